/**
 * An upstream's prompt-list change reaches the downstream client: the upstream (a stdio server
 * whose tools add and remove prompts) announces `prompts/list_changed`, the gateway serves the
 * new list and the official SDK v2 client downstream hears `notifications/prompts/list_changed`,
 * lists the new prompt and renders it through the gateway; a removed prompt is gone.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, waitFor } from '../../core/test/support/index.js';
import { createGateway, type Gateway } from '../src/index.js';

let gateway: Gateway;
let client: Client;
let heard = 0;

beforeAll(async () => {
  gateway = await createGateway({
    upstreams: {
      servers: { prompts: { command: process.execPath, args: [fixturePath('prompts-server.mjs')] } },
      cache: 'memory',
      logger: silentLogger,
    },
    upstreamSessions: 'shared',
    publisher: { onError: () => {} },
  });
  const { url } = await gateway.listen();
  client = new Client(
    { name: 'gateway-test', version: '1.0.0' },
    { listChanged: { prompts: { autoRefresh: false, onChanged: () => heard++ } } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
});

afterAll(async () => {
  await client?.close().catch(() => {});
  await gateway?.close();
});

const promptNames = async () => (await client.listPrompts()).prompts.map((prompt) => prompt.name).sort();

describe('prompts/list_changed through the gateway', () => {
  it('serves a prompt the upstream adds after start and tells the downstream client', async () => {
    expect(await promptNames()).toEqual(['prompts__hello']);
    await client.callTool({ name: 'prompts__add_prompt', arguments: { name: 'later' } });
    await waitFor(() => heard > 0, { message: 'notifications/prompts/list_changed downstream' });
    await waitFor(async () => (await promptNames()).includes('prompts__later'), {
      message: 'the new prompt listed downstream',
    });
    const rendered = await client.getPrompt({ name: 'prompts__later' });
    expect(rendered.messages[0]?.content).toEqual({ type: 'text', text: 'This is later.' });
  });

  it('stops serving a prompt the upstream removes', async () => {
    const before = heard;
    await client.callTool({ name: 'prompts__remove_prompt', arguments: { name: 'hello' } });
    await waitFor(() => heard > before, { message: 'a second prompts/list_changed downstream' });
    await waitFor(async () => !(await promptNames()).includes('prompts__hello'), {
      message: 'the removed prompt gone downstream',
    });
    expect(await promptNames()).toEqual(['prompts__later']);
    await expect(client.getPrompt({ name: 'prompts__hello' })).rejects.toThrow();
  });
});
