/**
 * Prompt messages and resource parts under ai@6 (`ai` resolves to the `ai6` alias here): the
 * same messages and parts are accepted by ai@6's `generateText` with its v6 mock model.
 */
import { createRegistry, type Registry, silentLogger } from '@toolwire/core';
import { generateText } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { contentBlockToPart, getPromptMessages, readResourceParts } from '../../src/index.js';
import { generateResults } from '../../src/testing.js';
import { everythingServer } from '../support/servers.js';

let registry: Registry;

beforeAll(async () => {
  registry = await createRegistry({ mcpServers: { everything: everythingServer() }, logger: silentLogger });
});

afterAll(async () => {
  await registry?.close();
});

it('feeds a prompt, a resource and an image part to ai@6 generateText', async () => {
  const messages = await getPromptMessages(registry, 'everything__args-prompt', { city: 'Oslo' });
  const parts = await readResourceParts(
    registry,
    'everything',
    'demo://resource/static/document/architecture.md',
  );
  const image = contentBlockToPart({ type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' });
  const model = new MockLanguageModelV3({ doGenerate: generateResults([{ text: 'ok' }]) });
  const result = await generateText({
    model,
    messages: [...messages, { role: 'user', content: [...parts, image] }],
  });
  expect(result.text).toBe('ok');
  expect(model.doGenerateCalls[0]!.prompt).toMatchObject([
    { role: 'user', content: [{ type: 'text', text: "What's weather in Oslo?" }] },
    {
      role: 'user',
      content: [
        { type: 'text', text: expect.stringContaining('# Everything Server') },
        { type: 'file', mediaType: 'image/png' },
      ],
    },
  ]);
});
