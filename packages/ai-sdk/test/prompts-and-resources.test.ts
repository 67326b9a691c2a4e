/**
 * MCP prompts as AI SDK `ModelMessage`s and MCP resources as message parts, read from a real
 * `server-everything` over stdio, then handed to a real `generateText` (the AI SDK's own mock
 * model) to show the SDK accepts them as they are and the model receives them.
 */
import { createRegistry, type Registry, silentLogger } from '@toolwire/core';
import { generateText, type ModelMessage } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPromptMessages, loadResourceParts, readResourceParts } from '../src/index.js';
import { generateResults } from '../src/testing.js';
import { everythingServer } from './support/servers.js';

let registry: Registry;

beforeAll(async () => {
  registry = await createRegistry({ mcpServers: { everything: everythingServer() }, logger: silentLogger });
  expect(registry.server('everything')?.status).toBe('active');
});

afterAll(async () => {
  await registry?.close();
});

/** Runs `messages` through `generateText` and returns the prompt the model received. */
async function promptSeenByModel(messages: ModelMessage[]) {
  const model = new MockLanguageModelV4({ doGenerate: generateResults([{ text: 'done' }]) });
  const result = await generateText({ model, messages });
  expect(result.text).toBe('done');
  return model.doGenerateCalls[0]!.prompt;
}

describe('getPromptMessages', () => {
  it('renders a prompt with arguments into messages generateText runs on', async () => {
    const messages = await getPromptMessages(registry, 'everything__args-prompt', { city: 'Oslo' });
    expect(messages).toEqual([{ role: 'user', content: "What's weather in Oslo?" }]);
    expect(await promptSeenByModel(messages)).toEqual([
      { role: 'user', content: [{ type: 'text', text: "What's weather in Oslo?" }] },
    ]);
  });

  it('maps an embedded text resource to text naming its URI', async () => {
    const messages = await getPromptMessages(registry, 'everything__resource-prompt', {
      resourceType: 'Text',
      resourceId: '1',
    });
    expect(messages.map((message) => message.role)).toEqual(['user', 'user']);
    expect(messages[1]!.content).toMatch(
      /^Resource \S+1 \(text\/plain\):\nResource 1: This is a plaintext resource/,
    );
    await promptSeenByModel(messages);
  });

  it('decodes an embedded blob of a textual type to text', async () => {
    const messages = await getPromptMessages(registry, 'everything__resource-prompt', {
      resourceType: 'Blob',
      resourceId: '2',
    });
    expect(messages[1]!.content).toMatch(
      /^Resource demo:\/\/\S+\/blob\/2 \(text\/plain\):\nResource 2: This is a base64 blob/,
    );
  });

  it('rejects an unknown prompt with a typed error naming the prompts there are', async () => {
    await expect(getPromptMessages(registry, 'everything__nope')).rejects.toMatchObject({
      code: 'TOOL_NOT_FOUND',
      message: expect.stringContaining('everything__args-prompt'),
    });
  });
});

describe('readResourceParts and loadResourceParts', () => {
  it('reads one resource as a text part naming its URI and MIME type', async () => {
    const uri = 'demo://resource/static/document/architecture.md';
    const parts = await readResourceParts(registry, 'everything', uri);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({
      type: 'text',
      text: expect.stringMatching(/^Resource \S+ \(text\/markdown\):\n# Everything Server/),
    });
    expect((parts[0] as { text: string }).text.startsWith(`Resource ${uri} `)).toBe(true);
  });

  it('loads the resources a filter selects, and a user message carries them to the model', async () => {
    const listed = await registry.listResources('everything');
    const markdown = listed.filter((resource) => resource.mimeType === 'text/markdown');
    expect(markdown.length).toBeGreaterThan(1);
    const parts = await loadResourceParts(registry, {
      server: 'everything',
      filter: (resource) => resource.mimeType === 'text/markdown',
    });
    expect(parts).toHaveLength(markdown.length);
    const named = parts.map((part) => (part.type === 'text' ? part.text.split(' ')[1] : undefined));
    expect(named.sort()).toEqual(markdown.map((resource) => resource.uri).sort());

    const prompt = await promptSeenByModel([
      { role: 'user', content: [...parts, { type: 'text', text: 'Summarize these documents.' }] },
    ]);
    expect(prompt[0]!.content).toHaveLength(parts.length + 1);
  });

  it('rejects an unknown server with a typed error', async () => {
    await expect(readResourceParts(registry, 'nowhere', 'demo://x')).rejects.toMatchObject({
      code: expect.any(String),
      message: expect.stringContaining('nowhere'),
    });
  });
});
