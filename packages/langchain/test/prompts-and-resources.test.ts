/**
 * MCP prompts as LangChain messages and MCP resources as LangChain `Document`s, read from
 * `server-everything` over stdio; and a prompt's messages used as a real agent's input.
 */
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { createRegistry, type Registry } from '@toolwire/core';
import { createAgent } from 'langchain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getPromptMessages,
  loadResourceDocuments,
  readResourceDocuments,
  toLangChainTools,
} from '../src/index.js';
import { ScriptedChatModel } from '../src/testing.js';
import { everythingServer } from './support/servers.js';

let registry: Registry;

beforeAll(async () => {
  registry = await createRegistry({ mcpServers: { everything: everythingServer() } });
}, 60_000);

afterAll(async () => {
  await registry?.close();
});

describe('prompts', () => {
  it('renders a prompt with arguments into messages an agent can run on', async () => {
    const messages = await getPromptMessages(registry, 'everything__args-prompt', { city: 'Oslo' });
    expect(messages).toHaveLength(1);
    expect(HumanMessage.isInstance(messages[0])).toBe(true);
    expect(messages[0]!.content).toBe("What's weather in Oslo?");

    const model = new ScriptedChatModel([new AIMessage('Sunny in Oslo')]);
    const agent = createAgent({
      model,
      tools: toLangChainTools(registry, { include: ['everything__echo'] }),
    });
    const result = await agent.invoke({ messages });
    expect(result.messages.at(-1)?.content).toBe('Sunny in Oslo');
    expect(model.calls[0]!.messages.map((message) => message.content)).toContain("What's weather in Oslo?");
  });

  it('maps an embedded resource in a prompt to text the model can read', async () => {
    const messages = await getPromptMessages(registry, 'everything__resource-prompt', {
      resourceType: 'Text',
      resourceId: '1',
    });
    expect(messages.map((message) => message.type)).toEqual(['human', 'human']);
    expect(messages[1]!.content).toMatch(/^Resource 1: This is a plaintext resource/);
  });

  it('rejects an unknown prompt with a typed error naming the prompts there are', async () => {
    await expect(getPromptMessages(registry, 'everything__nope')).rejects.toMatchObject({
      code: 'TOOL_NOT_FOUND',
      message: expect.stringContaining('everything__args-prompt'),
    });
  });
});

describe('resources', () => {
  it('reads one resource as documents with its URI and MIME type', async () => {
    const [document, ...rest] = await readResourceDocuments(
      registry,
      'everything',
      'demo://resource/static/document/architecture.md',
    );
    expect(rest).toHaveLength(0);
    expect(document!.pageContent).toMatch(/^# Everything Server/);
    expect(document!.metadata).toEqual({
      server: 'everything',
      uri: 'demo://resource/static/document/architecture.md',
      mimeType: 'text/markdown',
      encoding: 'utf-8',
    });
  });

  it('lists and loads the resources a filter selects', async () => {
    const listed = await registry.listResources('everything');
    const markdown = listed.filter((resource) => resource.mimeType === 'text/markdown');
    expect(markdown.length).toBeGreaterThan(1);
    const documents = await loadResourceDocuments(registry, {
      server: 'everything',
      filter: (resource) => resource.mimeType === 'text/markdown',
    });
    expect(documents.map((document) => document.metadata.uri).sort()).toEqual(
      markdown.map((resource) => resource.uri).sort(),
    );
    expect(documents.every((document) => document.pageContent.length > 0)).toBe(true);
  });
});
