/**
 * Interceptors seen through the AI SDK tools: the registry's and the tool set's own run around
 * every call the model makes (registry ones outside), their rewritten arguments and headers reach
 * a real Streamable HTTP server, and their rewritten or short-circuited results are what the
 * model gets back.
 */
import { createRegistry, createToolCallResult, silentLogger, type ToolCallInterceptor } from '@toolwire/core';
import { generateText, stepCountIs } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTempDir,
  type HttpFixtureServer,
  readEvents,
  startHttpFixture,
  type TempDir,
} from '../../core/test/support/index.js';
import { toAISDKTools } from '../src/index.js';
import { generateResults } from '../src/testing.js';

describe('interceptors through toAISDKTools', () => {
  let dir: TempDir;
  let server: HttpFixtureServer;
  let eventsFile: string;

  beforeAll(async () => {
    dir = await createTempDir();
    eventsFile = dir.file('events.jsonl');
    server = await startHttpFixture({ name: 'fx', eventsFile });
  });
  afterAll(async () => {
    await server?.stop();
    await dir?.remove();
  });

  it('change what the server gets and what the model sees, or answer without the server', async () => {
    const order: string[] = [];
    const agentHeader: ToolCallInterceptor = async (context, next) => {
      order.push(`registry:${context.tool}`);
      return next({ headers: { 'X-Agent': 'ai-sdk-agent' } });
    };
    await using registry = await createRegistry({
      servers: { fx: { url: server.url } },
      cache: 'memory',
      logger: silentLogger,
      interceptors: [agentHeader],
    });
    const rewrite: ToolCallInterceptor = async (context, next) => {
      order.push(`tools:${String(context.arguments.message)}`);
      if (context.arguments.message === 'cached') {
        return createToolCallResult(context, { content: [{ type: 'text', text: 'from the cache' }] });
      }
      const result = await next({ arguments: { message: `[ai] ${String(context.arguments.message)}` } });
      return { ...result, content: [{ type: 'text', text: `${result.text} (checked)` }] };
    };
    const model = new MockLanguageModelV4({
      doGenerate: generateResults([
        { toolCalls: [{ toolName: 'fx__echo', input: { message: 'hello' } }] },
        { toolCalls: [{ toolName: 'fx__echo', input: { message: 'cached' } }] },
        { text: 'done' },
      ]),
    });
    const result = await generateText({
      model,
      tools: toAISDKTools(registry, { interceptors: [rewrite] }),
      stopWhen: stepCountIs(4),
      prompt: 'Echo twice.',
    });
    expect(result.text).toBe('done');
    const outputs = result.steps.flatMap((step) =>
      step.content.filter((part) => part.type === 'tool-result').map((part) => JSON.stringify(part.output)),
    );
    expect(outputs).toHaveLength(2);
    expect(outputs[0]).toContain('fx: [ai] hello (checked)');
    expect(outputs[1]).toContain('from the cache');
    expect(order).toEqual(['registry:fx__echo', 'tools:hello', 'registry:fx__echo', 'tools:cached']);

    const events = await readEvents(eventsFile);
    expect(events.filter((event) => event.tool === 'echo').map((event) => event.message)).toEqual([
      '[ai] hello',
    ]);
    const calls = events.filter((event) => event.rpc?.includes('tools/call'));
    expect(calls).toHaveLength(1);
    expect(calls[0]?.headers).toMatchObject({ 'x-agent': 'ai-sdk-agent' });
  });
});
