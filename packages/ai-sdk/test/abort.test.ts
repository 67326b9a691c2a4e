/**
 * Aborting a loop mid-call: the AI SDK's abort signal reaches the registry, the MCP server gets
 * `notifications/cancelled` (core's fixture server records it), and the step ends with the
 * abort error instead of waiting for the tool.
 */
import { join } from 'node:path';
import { createRegistry, type Registry, silentLogger, ToolwireError } from '@toolwire/core';
import { generateText, stepCountIs, streamText } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAISDKTools } from '../src/index.js';
import { generateResults, streamResults } from '../src/testing.js';
import { fixtureServer, temporaryDirectory, waitForFixtureEvent } from './support/servers.js';

const directory = temporaryDirectory();
const eventsFile = join(directory.path, 'events.jsonl');
let registry: Registry;

beforeAll(async () => {
  registry = await createRegistry({
    mcpServers: { fixture: fixtureServer({ eventsFile }) },
    logger: silentLogger,
  });
  expect(registry.server('fixture')?.status).toBe('active');
});

afterAll(async () => {
  await registry?.close();
  directory.remove();
});

async function abortOnceSleeping(controller: AbortController, reason: Error): Promise<string | number> {
  const start = await waitForFixtureEvent(
    eventsFile,
    (event) => event.tool === 'sleep' && event.event === 'start' && !seenStarts.has(String(event.id)),
  );
  seenStarts.add(String(start.id));
  controller.abort(reason);
  return start.id!;
}
const seenStarts = new Set<string>();

describe('aborting a call', () => {
  it('generateText: the server receives notifications/cancelled and the step ends with the abort', async () => {
    const controller = new AbortController();
    const reason = new Error('user pressed stop');
    const toolErrors: unknown[] = [];
    const model = new MockLanguageModelV4({
      doGenerate: generateResults([
        { toolCalls: [{ toolName: 'fixture__sleep', input: { ms: 60_000 } }] },
        { text: 'never reached' },
      ]),
    });
    const run = generateText({
      model,
      tools: toAISDKTools(registry),
      stopWhen: stepCountIs(3),
      abortSignal: controller.signal,
      prompt: 'Sleep for a minute.',
      onToolExecutionEnd: ({ toolOutput }) => {
        if (toolOutput.type === 'tool-error') toolErrors.push(toolOutput.error);
      },
    });
    const rejection = expect(run).rejects.toBe(reason);
    const requestId = await abortOnceSleeping(controller, reason);
    await rejection;

    await waitForFixtureEvent(
      eventsFile,
      (event) => event.tool === 'sleep' && event.event === 'cancelled' && event.id === requestId,
    );
    expect(toolErrors).toHaveLength(1);
    expect(ToolwireError.isInstance(toolErrors[0])).toBe(true);
    expect((toolErrors[0] as ToolwireError).code).toBe('CANCELLED');
    expect(model.doGenerateCalls).toHaveLength(1);
  });

  it('streamText: the stream reports the abort and the server is told to cancel', async () => {
    const controller = new AbortController();
    const reason = new Error('client disconnected');
    const model = new MockLanguageModelV4({
      doStream: streamResults([
        { toolCalls: [{ toolName: 'fixture__sleep', input: { ms: 60_000 } }] },
        { text: 'never reached' },
      ]),
    });
    const result = streamText({
      model,
      tools: toAISDKTools(registry),
      stopWhen: stepCountIs(3),
      abortSignal: controller.signal,
      prompt: 'Sleep for a minute.',
    });
    const partTypes: string[] = [];
    const consumed = (async () => {
      for await (const part of result.fullStream) partTypes.push(part.type);
    })();
    const requestId = await abortOnceSleeping(controller, reason);
    await consumed.catch(() => undefined);

    await waitForFixtureEvent(
      eventsFile,
      (event) => event.tool === 'sleep' && event.event === 'cancelled' && event.id === requestId,
    );
    expect(partTypes).toContain('abort');
    expect(partTypes).not.toContain('tool-result');
    expect(model.doStreamCalls).toHaveLength(1);
  });
});
