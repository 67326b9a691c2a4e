/**
 * An AI SDK tool over a task-backed MCP tool (our publisher, `defineTool({ task })`, on
 * 2026-07-28) behaves like any tool in a loop: the model gets the result when the task ends, the
 * task's progress reaches `onProgress`, and aborting the loop cancels the task: the running tool's
 * signal fires on the server.
 */

import { type ToolProgressEvent, toAISDKTools } from '@toolwire/ai-sdk';
import { generateResults, toolResultsIn } from '@toolwire/ai-sdk/testing';
import { createRegistry, type Registry, silentLogger, ToolwireError } from '@toolwire/core';
import { generateText, stepCountIs } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, defineTool, type ListeningPublisher, type Publisher } from '../src/index.js';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

const started = deferred();
/** Resolves once the client holds the task (its id came back): from then on abort can cancel it. */
const created = deferred();
const aborted = deferred<unknown>();
let publisher: Publisher;
let listening: ListeningPublisher;
let registry: Registry;

beforeAll(async () => {
  publisher = createPublisher({
    name: 'long-running',
    version: '1.0.0',
    tasks: { pollIntervalMs: 20 },
    tools: [
      defineTool({
        name: 'build_report',
        description: 'Builds a report; takes a while.',
        inputSchema: { type: 'object', properties: { topic: { type: 'string' } }, required: ['topic'] },
        task: 'required',
        async execute({ topic }, context) {
          await context.reportProgress({ progress: 1, total: 2, message: 'collecting sources' });
          return `report on ${String(topic)}`;
        },
      }),
      defineTool({
        name: 'never_ends',
        description: 'Runs until cancelled.',
        task: 'required',
        async execute(_args, context) {
          started.resolve();
          await new Promise((_resolve, reject) => {
            const stop = () => {
              aborted.resolve(context.signal.reason);
              reject(context.signal.reason);
            };
            if (context.signal.aborted) stop();
            else context.signal.addEventListener('abort', stop, { once: true });
          });
        },
      }),
    ],
    onError: () => {},
  });
  listening = await publisher.listen();
  registry = await createRegistry({
    servers: { reports: { url: listening.url } },
    cache: 'none',
    logger: silentLogger,
  });
  registry.on('task:update', (event) => {
    if (event.tool?.endsWith('never_ends')) created.resolve();
  });
});

afterAll(async () => {
  await registry?.close();
  await publisher?.close({ drainMs: 1_000 });
});

describe('an AI SDK tool over a task-backed MCP tool', () => {
  it('gives the model the result when the task ends, and surfaces its progress', async () => {
    const progress: ToolProgressEvent[] = [];
    const model = new MockLanguageModelV4({
      doGenerate: generateResults([
        { toolCalls: [{ toolName: 'reports__build_report', input: { topic: 'tides' }, toolCallId: 'r-1' }] },
        { text: 'done' },
      ]),
    });
    await generateText({
      model,
      tools: toAISDKTools(registry, { onProgress: (event) => progress.push(event) }),
      stopWhen: stepCountIs(3),
      prompt: 'Report on tides.',
    });
    const [seen] = toolResultsIn(model.doGenerateCalls[1]!.prompt);
    expect(seen?.output).toEqual({ type: 'text', value: 'report on tides' });
    expect(progress.map((event) => event.message)).toContain('collecting sources');
  });

  it('aborting the loop cancels the task, and the tool on the server sees it', async () => {
    const controller = new AbortController();
    const reason = new Error('user pressed stop');
    const model = new MockLanguageModelV4({
      doGenerate: generateResults([
        { toolCalls: [{ toolName: 'reports__never_ends', input: {}, toolCallId: 'n-1' }] },
        { text: 'never reached' },
      ]),
    });
    const run = generateText({
      model,
      tools: toAISDKTools(registry),
      stopWhen: stepCountIs(3),
      abortSignal: controller.signal,
      prompt: 'Run forever.',
    });
    const rejection = expect(run).rejects.toBe(reason);
    await Promise.all([started.promise, created.promise]);
    controller.abort(reason);
    await rejection;
    const serverReason = (await aborted.promise) as ToolwireError;
    expect(ToolwireError.isInstance(serverReason) && serverReason.code).toBe('CANCELLED');
  });
});
