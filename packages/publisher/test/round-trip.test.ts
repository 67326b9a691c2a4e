/**
 * Round trip: LangChain, AI SDK and defineTool tools published over Streamable HTTP and stdio,
 * consumed by @toolwire/core's registry and driven by a real LangChain agent and a real AI SDK
 * agent (scripted models), and called by the official SDK clients v1 and v2.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AIMessage } from '@langchain/core/messages';
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as TransportV2,
} from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { toAISDKTools } from '@toolwire/ai-sdk';
import { createRegistry, type Registry, silentLogger } from '@toolwire/core';
import { toLangChainTools } from '@toolwire/langchain';
import { ScriptedChatModel, toolCallTurn } from '@toolwire/langchain/testing';
import { generateText, stepCountIs } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { createAgent } from 'langchain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, type ListeningPublisher, type Publisher } from '../src/index.js';
import { aiSDKTools, langChainTools, nativeTools, orderSchema } from './support/sample-tools.js';

const here = dirname(fileURLToPath(import.meta.url));

let publisher: Publisher;
let listening: ListeningPublisher;
let registry: Registry;

beforeAll(async () => {
  publisher = createPublisher({
    name: 'round-trip',
    version: '1.0.0',
    tools: [
      langChainTools.weather,
      langChainTools.multiply,
      langChainTools.order,
      aiSDKTools,
      ...nativeTools,
    ],
    onError: () => {},
  });
  listening = await publisher.listen();
  registry = await createRegistry({
    servers: {
      pub: { url: listening.url, toolPrefix: false },
      stdio: {
        command: process.execPath,
        args: [join(here, 'fixtures', 'stdio-publisher.mjs')],
        toolPrefix: 'stdio',
      },
    },
    logger: silentLogger,
  });
});

afterAll(async () => {
  await registry?.close();
  await publisher?.close();
});

describe('published over HTTP, consumed by @toolwire/core', () => {
  it('lists every selected tool with its JSON Schema intact', () => {
    const names = registry.tools({ server: 'pub' }).map((tool) => tool.name);
    expect(names.sort()).toEqual([
      'ai_add',
      'ai_echo',
      'fail',
      'greet',
      'lc_multiply',
      'lc_order',
      'lc_weather',
    ]);
    expect(registry.tool('lc_order')?.inputSchema).toEqual(orderSchema);
    const multiply = registry.tool('lc_multiply')?.inputSchema as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(multiply.properties).toEqual({ a: { type: 'number' }, b: { type: 'number' } });
    expect(multiply.required).toEqual(['a', 'b']);
    expect(registry.tool('ai_echo')?.inputSchema).toEqual({
      type: 'object',
      properties: { text: { type: 'string' } },
      required: ['text'],
      additionalProperties: false,
    });
    const greet = registry.tool('greet')?.inputSchema as { properties: Record<string, unknown> };
    expect(greet.properties.excited).toMatchObject({ type: 'boolean', default: false });
  });

  it('calls tools of every origin', async () => {
    expect((await registry.callTool('lc_weather', { city: 'Oslo' })).text).toBe('Sunny in Oslo');
    expect((await registry.callTool('lc_multiply', { a: 6, b: 7 })).text).toBe('42');
    expect((await registry.callTool('ai_add', { a: 2, b: 3 })).text).toBe('{"sum":5}');
    expect((await registry.callTool('ai_echo', { text: 'hi' })).text).toBe('echo: hi');
    expect((await registry.callTool('greet', { name: 'Ada' })).text).toBe('Hello, Ada.');
    const order = await registry.callTool('lc_order', { customer: 'ACME', lines: [{ sku: 'x', qty: 2 }] });
    expect(order.text).toBe('order for ACME: 1 line(s)');
  });

  it('answers invalid arguments with an isError result naming the path (server-side validation, SEP-1303)', async () => {
    const call = await registry.callTool(
      'lc_order',
      { customer: 'ACME', lines: [{ sku: 'x', qty: 0 }] },
      { validate: false },
    );
    expect(call.isError).toBe(true);
    expect(call.text).toContain('lines[0].qty: must be >= 1');
    const zodCall = await registry.callTool('greet', { name: 42 }, { validate: false });
    expect(zodCall.isError).toBe(true);
    expect(zodCall.text).toMatch(/Invalid arguments for tool "greet":\n- name: /);
  });

  it('turns a throwing tool into an isError result with its message and no stack', async () => {
    const result = await registry.callTool('fail', {});
    expect(result.isError).toBe(true);
    expect(result.text).toBe('the tool failed on purpose');
    expect(result.text).not.toMatch(/\n\s+at /);
  });
});

describe('published over stdio, consumed by @toolwire/core', () => {
  it('serves LangChain, AI SDK and defineTool tools', async () => {
    const names = registry.tools({ server: 'stdio' }).map((tool) => tool.serverToolName);
    expect(names.sort()).toEqual(['ai_echo', 'lc_weather', 'shout']);
    const weather = registry.tools({ server: 'stdio' }).find((tool) => tool.serverToolName === 'lc_weather');
    expect((await registry.callTool(weather!.name, { city: 'Lima' })).text).toBe('Sunny in Lima');
    const echo = registry.tools({ server: 'stdio' }).find((tool) => tool.serverToolName === 'ai_echo');
    expect((await registry.callTool(echo!.name, { text: 'x' })).text).toBe('echo: x');
  });
});

describe('agents using the published tools through the registry', () => {
  it('a LangChain agent (scripted model) calls published tools over HTTP and stdio', async () => {
    const stdioWeather = registry
      .tools({ server: 'stdio' })
      .find((tool) => tool.serverToolName === 'lc_weather')!;
    const model = new ScriptedChatModel([
      toolCallTurn(
        { name: 'lc_weather', args: { city: 'Rome' } },
        { name: stdioWeather.name, args: { city: 'Oslo' } },
      ),
      new AIMessage('Sunny in Rome and in Oslo.'),
    ]);
    const agent = createAgent({
      model,
      tools: toLangChainTools(registry, { include: ['lc_weather', stdioWeather.name] }),
    });
    const state = await agent.invoke({ messages: [{ role: 'user', content: 'Weather in Rome and Oslo?' }] });
    const toolMessages = state.messages.filter((message) => message.getType() === 'tool');
    expect(toolMessages.map((message) => message.content).sort()).toEqual(['Sunny in Oslo', 'Sunny in Rome']);
    expect(state.messages.at(-1)?.content).toBe('Sunny in Rome and in Oslo.');
    // The model saw the tool results on its second turn.
    expect(model.calls[1]?.messages.some((message) => message.content === 'Sunny in Oslo')).toBe(true);
  });

  it('an AI SDK agent (MockLanguageModelV4, tools from @toolwire/ai-sdk) calls a published tool', async () => {
    const tools = toAISDKTools(registry, { filter: (tool) => tool.server === 'pub' });
    expect(Object.keys(tools)).toContain('ai_add');
    let step = 0;
    const usage = {
      inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: 1, text: 1, reasoning: undefined },
    };
    const model = new MockLanguageModelV4({
      doGenerate: async () => {
        step++;
        if (step === 1) {
          return {
            content: [{ type: 'tool-call', toolCallId: 't1', toolName: 'ai_add', input: '{"a":20,"b":22}' }],
            finishReason: { unified: 'tool-calls', raw: undefined },
            usage,
            warnings: [],
          };
        }
        return {
          content: [{ type: 'text', text: 'The sum is 42.' }],
          finishReason: { unified: 'stop', raw: undefined },
          usage,
          warnings: [],
        };
      },
    });
    const result = await generateText({ model, tools, prompt: 'Add 20 and 22', stopWhen: stepCountIs(3) });
    const toolResult = result.steps.flatMap((item) => item.toolResults)[0];
    expect(JSON.stringify(toolResult?.output)).toContain('42');
    expect(result.text).toBe('The sum is 42.');
  });
});

describe('official SDK clients', () => {
  it('SDK v1 (@modelcontextprotocol/sdk) lists and calls published tools', async () => {
    const client = new ClientV1({ name: 'v1', version: '1.0.0' });
    await client.connect(new TransportV1(new URL(listening.url)));
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('lc_weather');
    const result = await client.callTool({ name: 'ai_echo', arguments: { text: 'v1' } });
    expect(result.content).toEqual([{ type: 'text', text: 'echo: v1' }]);
    await client.close();
  });

  it('SDK v2 (@modelcontextprotocol/client) lists and calls published tools', async () => {
    const client = new ClientV2({ name: 'v2', version: '1.0.0' });
    await client.connect(new TransportV2(new URL(listening.url)));
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('greet');
    const result = await client.callTool({ name: 'greet', arguments: { name: 'v2', excited: true } });
    expect(result.content).toEqual([{ type: 'text', text: 'Hello, v2!' }]);
    // Invalid arguments: an isError result naming the path (SEP-1303), not a JSON-RPC error.
    const invalid = await client.callTool({
      name: 'lc_order',
      arguments: { customer: 'ACME', lines: [{ sku: 'x', qty: 0 }] },
    });
    expect(invalid.isError).toBe(true);
    expect(invalid.content).toEqual([
      {
        type: 'text',
        text: [
          'Invalid arguments for tool "lc_order":',
          '- lines[0].qty: must be >= 1',
          "Correct the arguments to match the tool's input schema and call it again.",
        ].join('\n'),
      },
    ]);
    await client.close();
  });
});
