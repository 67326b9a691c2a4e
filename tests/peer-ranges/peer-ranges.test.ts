/**
 * The key paths at the lowest supported peers (see vitest.config.ts): the publisher publishes a
 * zod tool, a LangChain tool and an AI SDK tool on 127.0.0.1; the registry lists and calls them;
 * the LangChain adapter's tools run as a LangChain tool node runs them; the AI SDK adapter's
 * tools run inside `generateText` driven by the SDK's own mock model. The peerDependencies'
 * lower bounds are the versions installed here (tests/packaging checks they agree).
 */
import { createRequire } from 'node:module';
import { toAISDKTools } from '@toolwire/ai-sdk';
import { scriptedGenerate, toolResultsIn } from '@toolwire/ai-sdk/testing';
import { createRegistry, type Registry, silentLogger } from '@toolwire/core';
import { ToolwireTool, toLangChainTools } from '@toolwire/langchain';
import { createPublisher, defineTool, type ListeningPublisher } from '@toolwire/publisher';
import { tool as aiTool, generateText, jsonSchema, stepCountIs } from 'ai-lowest';
import { MockLanguageModelV3 } from 'ai-lowest/test';
import { ToolMessage } from 'langchain-core-lowest/messages';
import { tool as langChainTool, StructuredTool } from 'langchain-core-lowest/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod-lowest';
// Internal, read only to prove the adapter itself was loaded against ai@6 (not the workspace's ai@7).
import { installedContentPartStyle } from '../../packages/ai-sdk/src/ai-version.js';

const require = createRequire(import.meta.url);
const versionOf = (name: string) => (require(`${name}/package.json`) as { version: string }).version;

let publisher: ListeningPublisher;
let registry: Registry;

beforeAll(async () => {
  const convert = defineTool({
    name: 'km_to_miles',
    description: 'Converts kilometres to miles.',
    inputSchema: z.object({ km: z.number() }),
    outputSchema: z.object({ miles: z.number() }),
    execute: async ({ km }) => ({ miles: Math.round(km * 0.621371 * 10) / 10 }),
  });
  const shout = langChainTool(async ({ text }: { text: string }) => text.toUpperCase(), {
    name: 'shout',
    description: 'Upper-cases a text.',
    schema: z.object({ text: z.string() }),
  });
  const aiTools = {
    word_count: aiTool({
      description: 'Counts words.',
      inputSchema: jsonSchema<{ text: string }>({
        type: 'object',
        properties: { text: { type: 'string' } },
        required: ['text'],
      }),
      execute: async ({ text }) => ({ words: text.split(/\s+/).filter(Boolean).length }),
    }),
  };
  publisher = await createPublisher({
    name: 'lowest-peers',
    version: '1.0.0',
    tools: [convert, shout, aiTools],
  }).listen();
  registry = await createRegistry({
    servers: { peers: { url: publisher.url } },
    cache: 'memory',
    logger: silentLogger,
  });
});

afterAll(async () => {
  await registry?.close();
  await publisher?.close();
});

describe('at the lowest supported peers', () => {
  it('runs against ai 6.0.0, @langchain/core 1.0.0 and zod 4.0.0', () => {
    expect(versionOf('ai-lowest')).toBe('6.0.0');
    expect(versionOf('langchain-core-lowest')).toBe('1.0.0');
    expect(versionOf('zod-lowest')).toBe('4.0.0');
    // The adapters themselves import the lowest versions, not the workspace's newest ones.
    expect(installedContentPartStyle).toBe('legacy');
    expect(Object.getPrototypeOf(ToolwireTool)).toBe(StructuredTool);
  });

  it('the publisher publishes zod, LangChain and AI SDK tools, and the registry calls them', async () => {
    expect(
      registry
        .tools()
        .map((tool) => tool.name)
        .sort(),
    ).toEqual(['peers__km_to_miles', 'peers__shout', 'peers__word_count']);
    expect((await registry.callTool('peers__km_to_miles', { km: 42 })).structuredContent).toEqual({
      miles: 26.1,
    });
    expect((await registry.callTool('peers__shout', { text: 'ship it' })).text).toBe('SHIP IT');
    expect((await registry.callTool('peers__word_count', { text: 'one two three' })).text).toContain('3');
    const invalid = await registry
      .callTool('peers__km_to_miles', { km: 'far' })
      .catch((error: unknown) => error);
    expect((invalid as { code?: string }).code).toBe('INVALID_ARGUMENTS');
  });

  it('the LangChain adapter’s tools answer tool calls with ToolMessages', async () => {
    const tools = toLangChainTools(registry);
    const shout = tools.find((tool) => tool.name === 'peers__shout');
    const message = await shout?.invoke({
      type: 'tool_call',
      id: 'call-1',
      name: 'peers__shout',
      args: { text: 'hi' },
    });
    expect(ToolMessage.isInstance(message)).toBe(true);
    expect((message as ToolMessage).content).toBe('HI');
    expect((message as ToolMessage).tool_call_id).toBe('call-1');
  });

  it('the AI SDK adapter’s tools run inside generateText with the SDK’s mock model', async () => {
    const model = new MockLanguageModelV3({
      doGenerate: scriptedGenerate([
        { toolCalls: [{ toolName: 'peers__km_to_miles', input: { km: 10 } }] },
        (prompt) => ({ text: `Result: ${JSON.stringify(toolResultsIn(prompt)[0]?.output)}` }),
      ]) as never,
    });
    const result = await generateText({
      model,
      tools: toAISDKTools(registry) as never,
      stopWhen: stepCountIs(3),
      prompt: 'How far is 10 km in miles?',
    });
    expect(result.steps.flatMap((step) => step.toolResults).map((entry) => entry.toolName)).toEqual([
      'peers__km_to_miles',
    ]);
    expect(result.text).toContain('6.2');
  });
});
