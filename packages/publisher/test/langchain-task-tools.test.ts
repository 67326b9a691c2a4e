/**
 * A LangChain tool over a task-backed MCP tool (our publisher, `defineTool({ task })`, on
 * 2026-07-28) behaves like any tool to the agent: the result arrives when the task ends, the
 * task's progress reaches `onProgress`, and aborting the run cancels the task: the running tool's
 * signal fires on the server.
 */
import { AIMessage } from '@langchain/core/messages';
import { createRegistry, type Registry, silentLogger, ToolwireError } from '@toolwire/core';
import { type ToolProgressEvent, toLangChainTools } from '@toolwire/langchain';
import { ScriptedChatModel, toolCallTurn } from '@toolwire/langchain/testing';
import { createAgent } from 'langchain';
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

describe('a LangChain tool over a task-backed MCP tool', () => {
  it('gives the agent the result when the task ends, and surfaces its progress', async () => {
    const progress: ToolProgressEvent[] = [];
    const model = new ScriptedChatModel([
      toolCallTurn({ name: 'reports__build_report', args: { topic: 'tides' } }),
      new AIMessage('done'),
    ]);
    const agent = createAgent({
      model,
      tools: toLangChainTools(registry, { onProgress: (event) => progress.push(event) }),
    });
    const state = await agent.invoke({ messages: [{ role: 'user', content: 'Report on tides.' }] });
    const toolMessage = state.messages.find((message) => message.getType() === 'tool');
    expect(toolMessage?.content).toBe('report on tides');
    expect(progress.map((event) => event.message)).toContain('collecting sources');
  });

  it('aborting the call cancels the task, and the tool on the server sees it', async () => {
    const [tool] = toLangChainTools(registry, { include: ['reports__never_ends'] });
    const controller = new AbortController();
    const run = tool?.invoke({}, { signal: controller.signal });
    await Promise.all([started.promise, created.promise]);
    controller.abort();
    await expect(run).rejects.toBeDefined();
    const reason = (await aborted.promise) as ToolwireError;
    expect(ToolwireError.isInstance(reason) && reason.code).toBe('CANCELLED');
  });
});
