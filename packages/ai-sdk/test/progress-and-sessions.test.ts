/**
 * Progress and session keys. Progress notifications from a real server reach `onProgress` and,
 * with `streamProgress`, stream as preliminary tool results while the model gets only the final
 * result. The session key comes from the option or from the call's `toolsContext` entry, and
 * reaches the registry with the call.
 */
import { createRegistry, type Registry, silentLogger } from '@toolwire/core';
import { generateText, stepCountIs, streamText } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMCPToolProgress, type ToolProgressEvent, toAISDKTools } from '../src/index.js';
import { generateResults, streamResults, toolResultsIn } from '../src/testing.js';
import { everythingServer, fixtureServer } from './support/servers.js';

let registry: Registry;

beforeAll(async () => {
  registry = await createRegistry({
    mcpServers: { everything: everythingServer(), fixture: fixtureServer() },
    logger: silentLogger,
  });
  expect(registry.servers().map((server) => server.status)).toEqual(['active', 'active']);
});

afterAll(async () => {
  await registry?.close();
});

describe('progress', () => {
  it('reports a reference server’s progress notifications to onProgress', async () => {
    const events: ToolProgressEvent[] = [];
    const model = new MockLanguageModelV4({
      doGenerate: generateResults([
        {
          toolCalls: [
            {
              toolName: 'everything__trigger-long-running-operation',
              input: { duration: 0.3, steps: 3 },
              toolCallId: 'long-1',
            },
          ],
        },
        { text: 'finished' },
      ]),
    });
    await generateText({
      model,
      tools: toAISDKTools(registry, { onProgress: (event) => events.push(event) }),
      stopWhen: stepCountIs(3),
      prompt: 'Run the long operation.',
    });
    // The last notification can race the response and be dropped by the MCP SDK
    // (modelcontextprotocol/typescript-sdk#2580): the earlier ones always arrive, in order.
    expect(events.slice(0, 2)).toEqual(
      [1, 2].map((progress) => ({
        toolName: 'everything__trigger-long-running-operation',
        toolCallId: 'long-1',
        progress,
        total: 3,
        message: undefined,
      })),
    );
    expect(events.length).toBeLessThanOrEqual(3);
    const [final] = toolResultsIn(model.doGenerateCalls[1]!.prompt);
    expect(String(final?.output.value)).toContain('Long running operation completed');
  });

  it('streams progress as preliminary results; the model sees only the final one', async () => {
    const model = new MockLanguageModelV4({
      doStream: streamResults([
        { toolCalls: [{ toolName: 'fixture__sleep', input: { ms: 300, steps: 3 } }] },
        { text: 'rested' },
      ]),
    });
    const result = streamText({
      model,
      tools: toAISDKTools(registry, { streamProgress: true }),
      stopWhen: stepCountIs(3),
      prompt: 'Rest a little.',
    });
    const results: { preliminary: boolean; output: unknown }[] = [];
    for await (const part of result.fullStream) {
      if (part.type === 'tool-result')
        results.push({ preliminary: part.preliminary === true, output: part.output });
    }
    // The AI SDK streams every yielded value as preliminary (the final one too), then the final result.
    const progress = results.filter((entry) => entry.preliminary && isMCPToolProgress(entry.output));
    expect(progress.slice(0, 2).map((entry) => entry.output)).toEqual([
      { status: 'progress', progress: 1, total: 3 },
      { status: 'progress', progress: 2, total: 3 },
    ]);
    const finals = results.filter((entry) => !entry.preliminary);
    expect(finals).toHaveLength(1);
    expect(finals[0]!.output).toMatchObject({
      content: [{ type: 'text', text: 'slept 300 ms' }],
      isError: false,
    });
    const [seen] = toolResultsIn(model.doStreamCalls[1]!.prompt);
    expect(seen?.output).toEqual({ type: 'text', value: 'slept 300 ms' });
  });
});

describe('session keys', () => {
  async function sessionKeysOf(run: () => Promise<unknown>): Promise<(string | undefined)[]> {
    const keys: (string | undefined)[] = [];
    const stop = registry.on('call:start', (event) => keys.push(event.sessionKey));
    try {
      await run();
    } finally {
      stop();
    }
    return keys;
  }

  function echoModel() {
    return new MockLanguageModelV4({
      doGenerate: generateResults([
        { toolCalls: [{ toolName: 'fixture__echo', input: { message: 'hi' }, toolCallId: 'echo-1' }] },
        { text: 'ok' },
      ]),
    });
  }

  it("takes the key from the tool's toolsContext entry (ai@7)", async () => {
    const keys = await sessionKeysOf(() =>
      generateText({
        model: echoModel(),
        tools: toAISDKTools(registry),
        // ai@7 types toolsContext only for tools that declare a context type; the runtime passes it on.
        toolsContext: { fixture__echo: { sessionKey: 'thread-7' } } as never,
        stopWhen: stepCountIs(3),
        prompt: 'Echo.',
      }),
    );
    expect(keys).toEqual(['thread-7']);
  });

  it('prefers the sessionKey option, as a string or a function of the call', async () => {
    const fixed = await sessionKeysOf(() =>
      generateText({
        model: echoModel(),
        tools: toAISDKTools(registry, { sessionKey: 'thread-fixed' }),
        stopWhen: stepCountIs(3),
        prompt: 'Echo.',
      }),
    );
    expect(fixed).toEqual(['thread-fixed']);

    const derived = await sessionKeysOf(() =>
      generateText({
        model: echoModel(),
        tools: toAISDKTools(registry, {
          sessionKey: ({ toolName, toolCallId, context }) =>
            `${(context as { tenant: string }).tenant}:${toolName}:${toolCallId}`,
        }),
        toolsContext: { fixture__echo: { tenant: 'acme' } } as never,
        stopWhen: stepCountIs(3),
        prompt: 'Echo.',
      }),
    );
    expect(derived).toEqual(['acme:fixture__echo:echo-1']);
  });

  it('without a key the call uses the shared session', async () => {
    const keys = await sessionKeysOf(() =>
      generateText({
        model: echoModel(),
        tools: toAISDKTools(registry),
        stopWhen: stepCountIs(3),
        prompt: 'Echo.',
      }),
    );
    expect(keys).toEqual([undefined]);
  });
});
