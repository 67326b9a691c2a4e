/**
 * The publisher never imports `ai` or `@langchain/core` for these tools: it reads the tool
 * objects an app built with its own copies. So its peer ranges reach further back than the
 * adapters' (which import the SDKs): AI SDK tools from ai 5.0.0 and LangChain tools from
 * @langchain/core 0.3.0, with zod 4.0.0 schemas, published on 127.0.0.1 and called through
 * the registry.
 */
import { createRequire } from 'node:module';
import { createRegistry, type Registry, silentLogger } from '@toolwire/core';
import { createPublisher, type ListeningPublisher } from '@toolwire/publisher';
import { tool as aiTool, jsonSchema } from 'ai-v5-lowest';
import { tool as langChainTool } from 'langchain-core-v03-lowest/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod-lowest';

const require = createRequire(import.meta.url);
const versionOf = (name: string) => (require(`${name}/package.json`) as { version: string }).version;

let publisher: ListeningPublisher;
let registry: Registry;

beforeAll(async () => {
  const shout = langChainTool(async ({ text }: { text: string }) => text.toUpperCase(), {
    name: 'shout',
    description: 'Upper-cases a text.',
    schema: z.object({ text: z.string() }) as never,
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
    repeat: aiTool({
      description: 'Repeats a word.',
      inputSchema: z.object({ word: z.string(), times: z.number().int().min(1) }) as never,
      execute: async ({ word, times }: { word: string; times: number }) => Array(times).fill(word).join(' '),
    }),
  };
  publisher = await createPublisher({
    name: 'old-peers',
    version: '1.0.0',
    tools: [shout, aiTools],
  }).listen();
  registry = await createRegistry({
    servers: { old: { url: publisher.url } },
    cache: 'memory',
    logger: silentLogger,
  });
});

afterAll(async () => {
  await registry?.close();
  await publisher?.close();
});

describe('the publisher at its lowest peers', () => {
  it('uses ai 5.0.0 and @langchain/core 0.3.0', () => {
    expect(versionOf('ai-v5-lowest')).toBe('5.0.0');
    expect(versionOf('langchain-core-v03-lowest')).toBe('0.3.0');
  });

  it('publishes their tools with their schemas and runs them', async () => {
    expect(
      registry
        .tools()
        .map((tool) => tool.name)
        .sort(),
    ).toEqual(['old__repeat', 'old__shout', 'old__word_count']);
    expect(registry.tools().find((tool) => tool.name === 'old__repeat')?.inputSchema).toMatchObject({
      type: 'object',
      required: ['word', 'times'],
    });
    expect((await registry.callTool('old__shout', { text: 'ship it' })).text).toBe('SHIP IT');
    expect((await registry.callTool('old__word_count', { text: 'one two three' })).text).toContain('3');
    expect((await registry.callTool('old__repeat', { word: 'go', times: 2 })).text).toContain('go go');
    const invalid = await registry
      .callTool('old__repeat', { word: 'go', times: 0 })
      .catch((error: unknown) => error);
    expect((invalid as { code?: string }).code).toBe('INVALID_ARGUMENTS');
  });
});
