/**
 * Interceptors seen through the LangChain tools: the registry's and the tools' own run around
 * every call the agent makes (registry ones outside), their rewritten arguments and headers reach
 * a real Streamable HTTP server, and their rewritten or short-circuited results are what the
 * agent gets back as tool messages.
 */
import { AIMessage, ToolMessage } from '@langchain/core/messages';
import { createRegistry, createToolCallResult, silentLogger, type ToolCallInterceptor } from '@toolwire/core';
import { createAgent } from 'langchain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTempDir,
  type HttpFixtureServer,
  readEvents,
  startHttpFixture,
  type TempDir,
} from '../../core/test/support/index.js';
import { toLangChainTools } from '../src/index.js';
import { ScriptedChatModel, toolCallTurn } from '../src/testing.js';

describe('interceptors through toLangChainTools', () => {
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

  it('change what the server gets and what the agent sees, or answer without the server', async () => {
    const order: string[] = [];
    const agentHeader: ToolCallInterceptor = async (context, next) => {
      order.push(`registry:${context.sessionKey}`);
      return next({ headers: { 'X-Agent': 'langchain-agent' } });
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
      const result = await next({ arguments: { message: `[lc] ${String(context.arguments.message)}` } });
      return { ...result, content: [{ type: 'text', text: `${result.text} (checked)` }] };
    };
    const model = new ScriptedChatModel([
      toolCallTurn({ name: 'fx__echo', args: { message: 'hello' } }),
      toolCallTurn({ name: 'fx__echo', args: { message: 'cached' } }),
      new AIMessage('done'),
    ]);
    const agent = createAgent({ model, tools: toLangChainTools(registry, { interceptors: [rewrite] }) });
    const { messages } = await agent.invoke(
      { messages: [{ role: 'user', content: 'echo twice' }] },
      { configurable: { thread_id: 'thread-9' } },
    );
    const toolTexts = messages
      .filter((message) => ToolMessage.isInstance(message))
      .map((message) => JSON.stringify(message.content));
    expect(toolTexts).toHaveLength(2);
    expect(toolTexts[0]).toContain('fx: [lc] hello (checked)');
    expect(toolTexts[1]).toContain('from the cache');
    expect(order).toEqual(['registry:thread-9', 'tools:hello', 'registry:thread-9', 'tools:cached']);

    const events = await readEvents(eventsFile);
    expect(events.filter((event) => event.tool === 'echo').map((event) => event.message)).toEqual([
      '[lc] hello',
    ]);
    const calls = events.filter((event) => event.rpc?.includes('tools/call'));
    expect(calls).toHaveLength(1);
    expect(calls[0]?.headers).toMatchObject({ 'x-agent': 'langchain-agent' });
  });
});
