/**
 * Sessions, cancellation and progress through a real agent run: the session key comes from
 * LangGraph's `thread_id` (or the option), aborting the run cancels the MCP call on the server
 * (`notifications/cancelled`), and progress notifications arrive as LangChain custom events.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { awaitAllCallbacks } from '@langchain/core/callbacks/promises';
import { AIMessage } from '@langchain/core/messages';
import { createRegistry, type Registry } from '@toolwire/core';
import { createAgent } from 'langchain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRESS_EVENT, type ToolProgressEvent, toLangChainTools } from '../src/index.js';
import { ScriptedChatModel, toolCallTurn } from '../src/testing.js';
import { adapterServer, temporaryDirectory } from './support/servers.js';

const scratch = temporaryDirectory('sessions');
const eventsFile = path.join(scratch.dir, 'events.jsonl');
let registry: Registry;

beforeAll(async () => {
  registry = await createRegistry({ mcpServers: { fixture: adapterServer({ eventsFile }) } });
}, 60_000);

afterAll(async () => {
  await registry?.close();
  scratch.remove();
});

function serverEvents(): Record<string, unknown>[] {
  return readFileSync(eventsFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('session keys', () => {
  it("passes LangGraph's thread_id as the session key, and the option when there is none", async () => {
    const seen: (string | undefined)[] = [];
    const stop = registry.on('call:start', (event) => seen.push(event.sessionKey));
    const run = async (configurable: Record<string, unknown> | undefined, sessionKey?: string) => {
      const model = new ScriptedChatModel([
        toolCallTurn({ name: 'fixture__whoami', args: {} }),
        new AIMessage('ok'),
      ]);
      const agent = createAgent({
        model,
        tools: toLangChainTools(registry, { include: ['fixture__whoami'], sessionKey }),
      });
      await agent.invoke(
        { messages: [{ role: 'user', content: 'who?' }] },
        configurable ? { configurable } : {},
      );
    };
    await run({ thread_id: 'thread-a' });
    await run({ thread_id: 'thread-b' }, 'ignored-when-a-thread-is-known');
    await run(undefined, 'tenant-42');
    await run(undefined);
    stop();
    expect(seen).toEqual(['thread-a', 'thread-b', 'tenant-42', undefined]);
  });
});

describe('cancellation and progress', () => {
  it('aborting the agent run cancels the MCP call on the server', async () => {
    const controller = new AbortController();
    const progress: ToolProgressEvent[] = [];
    const model = new ScriptedChatModel([
      toolCallTurn({ name: 'fixture__slow', args: { ms: 20_000, steps: 200 } }),
      new AIMessage('unreachable'),
    ]);
    const tools = toLangChainTools(registry, {
      include: ['fixture__slow'],
      onProgress: (event) => {
        progress.push(event);
        controller.abort(new Error('user pressed stop'));
      },
    });
    const agent = createAgent({ model, tools });
    await expect(
      agent.invoke({ messages: [{ role: 'user', content: 'wait' }] }, { signal: controller.signal }),
    ).rejects.toThrow();
    expect(progress[0]).toMatchObject({ tool: 'fixture__slow', server: 'fixture', progress: 1, total: 200 });
    expect(progress[0]!.toolCallId).toMatch(/^call_fixture__slow/);
    // The server saw notifications/cancelled: its handler's signal fired (the 20 s tool was
    // stopped, not waited out; nothing here is timed).
    await waitFor(() => serverEvents().some((event) => event.event === 'cancelled'));
  });

  it('surfaces progress notifications as LangChain custom events of the tool run', async () => {
    const events: { name: string; data: ToolProgressEvent; runId: string }[] = [];
    const delivered: ToolProgressEvent[] = [];
    const toolRuns: string[] = [];
    const model = new ScriptedChatModel([
      toolCallTurn({ name: 'fixture__slow', args: { ms: 150, steps: 3 } }),
      new AIMessage('done'),
    ]);
    const agent = createAgent({
      model,
      tools: toLangChainTools(registry, {
        include: ['fixture__slow'],
        onProgress: (event) => delivered.push(event),
      }),
    });
    const result = await agent.invoke(
      { messages: [{ role: 'user', content: 'wait a bit' }] },
      {
        callbacks: [
          {
            handleToolStart: (_tool, _input, runId) => {
              toolRuns.push(runId);
            },
            handleCustomEvent: (name, data, runId) => {
              events.push({ name, data, runId });
            },
          },
        ],
      },
    );
    await awaitAllCallbacks(); // LangChain may run handlers in the background
    expect(result.messages.at(-1)?.content).toBe('done');
    const progress = events.filter((event) => event.name === PROGRESS_EVENT);
    // Every notification core delivered became a custom event, in order. (The SDK client may drop a
    // notification that arrives right before the result, so the last step is not guaranteed.)
    expect(progress.map((event) => event.data)).toEqual(delivered);
    expect(
      progress.slice(0, 2).map((event) => [event.data.progress, event.data.total, event.data.message]),
    ).toEqual([
      [1, 3, 'step 1'],
      [2, 3, 'step 2'],
    ]);
    expect(toolRuns).toHaveLength(1);
    expect(new Set(progress.map((event) => event.runId))).toEqual(new Set(toolRuns));
  });
});
