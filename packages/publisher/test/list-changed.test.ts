/**
 * Tools and prompts changed at run time (`addTools`, `removeTools`, `setToolsEnabled`, and the
 * same for prompts) reach every client: 2025 sessions get `notifications/tools/list_changed`
 * (and prompts), 2026-07-28 clients get them on their `subscriptions/listen` streams (SEP-2575),
 * filtered to what they asked for; stdio clients too. Clients here: the official SDK v2 client,
 * @toolwire/core (HTTP and stdio, both eras) and raw listen streams. Shutdown does not wait for
 * open subscription streams.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createRegistry, silentLogger, ToolwireError } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPublisher,
  definePrompt,
  defineTool,
  type ListeningPublisher,
  type Publisher,
} from '../src/index.js';
import { listen, modernRequest } from './support/modern-mcp.js';
import { readEvents, type SSEEvent } from './support/raw-mcp.js';

const here = dirname(fileURLToPath(import.meta.url));
const greet = (name: string) =>
  defineTool({ name, description: `Greets (${name}).`, execute: () => `${name} ran` });

let publisher: Publisher;
let listening: ListeningPublisher;

beforeAll(async () => {
  publisher = createPublisher({
    name: 'list-changed',
    version: '1.0.0',
    tools: [greet('hello')],
    prompts: [definePrompt({ name: 'intro', get: () => 'Introduce yourself.' })],
    onError: () => {},
  });
  listening = await publisher.listen();
});

afterAll(async () => {
  await publisher?.close({ drainMs: 200 });
});

const messages = (events: SSEEvent[]) =>
  events.map((event) => JSON.parse(event.data) as { method?: string; params?: Record<string, unknown> });

/** An SDK v2 client that refreshes its lists on list_changed and records what it saw. */
async function connect(era: 'legacy' | '2026-07-28') {
  const seen = { tools: [] as string[][], prompts: [] as string[][] };
  const client = new Client(
    { name: 'list-changed-test', version: '1.0.0' },
    {
      versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: '2026-07-28' } },
      listChanged: {
        tools: {
          debounceMs: 0,
          onChanged: (_error, tools) => tools && seen.tools.push(tools.map((tool) => tool.name)),
        },
        prompts: {
          debounceMs: 0,
          onChanged: (_error, prompts) => prompts && seen.prompts.push(prompts.map((prompt) => prompt.name)),
        },
      },
    },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(listening.url)));
  // The client opens its stream for server messages (the 2025 session's GET stream, the
  // 2026-07-28 subscription) after `connect` resolves: changes made before it is open are not
  // heard. Change the list until the client hears a change, then start from a clean record.
  for (let probe = 0; seen.tools.length === 0; probe++) {
    if (probe === 100) throw new Error('the client never heard a list change');
    await publisher.addTools([greet(`probe_${probe}`)]);
    await publisher.removeTools([`probe_${probe}`]);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await expect.poll(() => seen.tools.at(-1)).toEqual(['hello']);
  seen.tools.length = 0;
  return { client, seen };
}

for (const era of ['legacy', '2026-07-28'] as const) {
  describe(`SDK v2 client, ${era} era`, () => {
    it('hears of tools added, disabled, enabled and removed, and can call the new ones', async () => {
      const { client, seen } = await connect(era);
      const name = `added_${era.replace(/-/g, '_')}`;

      await publisher.addTools([greet(name)]);
      await expect.poll(() => seen.tools.at(-1), { timeout: 10_000 }).toContain(name);
      expect((await client.callTool({ name, arguments: {} })).content).toEqual([
        { type: 'text', text: `${name} ran` },
      ]);

      await publisher.setToolsEnabled([name], false);
      await expect.poll(() => seen.tools.at(-1), { timeout: 10_000 }).not.toContain(name);
      await expect(client.callTool({ name, arguments: {} })).rejects.toMatchObject({ code: -32602 });

      await publisher.setToolsEnabled([name], true);
      await expect.poll(() => seen.tools.at(-1), { timeout: 10_000 }).toContain(name);

      await publisher.removeTools([name]);
      await expect.poll(() => seen.tools.at(-1), { timeout: 10_000 }).toEqual(['hello']);
      await client.close();
    });

    it('hears of prompts added and removed', async () => {
      const { client, seen } = await connect(era);
      const name = `outro_${era.replace(/-/g, '_')}`;
      await publisher.addPrompts([definePrompt({ name, get: () => 'Say goodbye.' })]);
      await expect.poll(() => seen.prompts.at(-1), { timeout: 10_000 }).toEqual(['intro', name]);
      expect((await client.getPrompt({ name })).messages).toEqual([
        { role: 'user', content: { type: 'text', text: 'Say goodbye.' } },
      ]);
      await publisher.removePrompts([name]);
      await expect.poll(() => seen.prompts.at(-1), { timeout: 10_000 }).toEqual(['intro']);
      await client.close();
    });
  });
}

describe('2026-07-28 subscription streams', () => {
  it('acknowledge first, then carry the change tagged with the subscription id, filtered', async () => {
    const tools = await listen(listening.url, { toolsListChanged: true }, { id: 71 });
    const prompts = await listen(listening.url, { promptsListChanged: true }, { id: 72 });
    const toolAcks = messages(await readEvents(tools.response, (events) => events.length >= 1));
    const promptAcks = messages(await readEvents(prompts.response, (events) => events.length >= 1));
    expect(toolAcks[0]?.method).toBe('notifications/subscriptions/acknowledged');
    expect(promptAcks[0]?.method).toBe('notifications/subscriptions/acknowledged');

    await publisher.addTools([greet('streamed')]);
    await publisher.addPrompts([definePrompt({ name: 'streamed_prompt', get: () => 'x' })]);

    const toolEvents = messages(await readEvents(tools.response, (events) => events.length >= 1));
    expect(toolEvents[0]).toMatchObject({
      method: 'notifications/tools/list_changed',
      params: { _meta: { 'io.modelcontextprotocol/subscriptionId': 71 } },
    });
    // The prompts-only stream gets the prompt change and nothing about tools.
    const promptEvents = messages(await readEvents(prompts.response, (events) => events.length >= 1));
    expect(promptEvents.map((event) => event.method)).toEqual(['notifications/prompts/list_changed']);
    tools.controller.abort();
    prompts.controller.abort();

    const listed = await modernRequest(listening.url, 'tools/list', {});
    const names = ((listed.body.result?.tools ?? []) as { name: string }[]).map((tool) => tool.name);
    expect(names).toContain('streamed');
    await publisher.removeTools(['streamed']);
    await publisher.removePrompts(['streamed_prompt']);
  });

  it('are declared: tools and prompts list changes in server/discover', async () => {
    const discovered = await modernRequest(listening.url, 'server/discover', {});
    expect(discovered.body.result?.capabilities).toMatchObject({
      tools: { listChanged: true },
      prompts: { listChanged: true },
    });
  });

  it('are bounded per instance (http.maxSubscriptions)', async () => {
    const bounded = createPublisher({
      name: 'bounded',
      version: '1.0.0',
      tools: [greet('hi')],
      http: { maxSubscriptions: 1 },
      onError: () => {},
    });
    const { url } = await bounded.listen();
    const first = await listen(url, { toolsListChanged: true });
    await readEvents(first.response, (events) => events.length >= 1);
    const second = await listen(url, { toolsListChanged: true }, { id: 9 });
    expect(await second.response.json()).toEqual({
      jsonrpc: '2.0',
      id: 9,
      error: { code: -32603, message: 'Subscription limit reached' },
    });
    first.controller.abort();
    await bounded.close({ drainMs: 200 });
    const invalid = createPublisher({ name: 'x', version: '1', tools: [], http: { maxSubscriptions: 0 } });
    await expect(invalid.listen()).rejects.toThrow(
      'http.maxSubscriptions must be a positive integer; got 0.',
    );
  });

  it('do not hold up shutdown', async () => {
    const short = createPublisher({
      name: 'short',
      version: '1.0.0',
      tools: [greet('hi')],
      onError: () => {},
    });
    const { url } = await short.listen();
    const stream = await listen(url, { toolsListChanged: true });
    await readEvents(stream.response, (events) => events.length >= 1);
    // A drain longer than the test may run: a shutdown waiting for the stream would fail the test
    // by its timeout; nothing is timed here.
    await short.close({ drainMs: 10 * 60_000 });
    stream.controller.abort();
  });
});

describe('@toolwire/core as the client', () => {
  for (const protocol of ['legacy', '2026-07-28'] as const) {
    it(`${protocol}, over HTTP: a tool added at run time joins the catalogue`, async () => {
      const registry = await createRegistry({
        servers: { pub: { url: listening.url, protocol, toolPrefix: false } },
        loading: 'eager',
        logger: silentLogger,
      });
      try {
        const name = `core_${protocol.replace(/-/g, '_')}`;
        await publisher.addTools([greet(name)]);
        await expect.poll(() => registry.tool(name)?.name, { timeout: 10_000 }).toBe(name);
        expect((await registry.callTool(name, {})).text).toBe(`${name} ran`);
        await publisher.removeTools([name]);
        await expect.poll(() => registry.tool(name), { timeout: 10_000 }).toBeUndefined();
      } finally {
        await registry.close();
      }
    });

    it(`${protocol}, over stdio: a tool the publisher adds joins the catalogue`, async () => {
      const registry = await createRegistry({
        servers: {
          stdio: {
            command: process.execPath,
            args: [join(here, 'fixtures', 'stdio-changing-publisher.mjs')],
            protocol,
            toolPrefix: false,
            // Start-up is not under test: on a loaded machine a node process importing the
            // publisher can take longer than the default 30 s; only the test's timeout bounds it.
            connectTimeoutMs: 55_000,
          },
        },
        loading: 'eager',
        logger: silentLogger,
      });
      try {
        expect((await registry.callTool('add_tool', { name: 'late' })).text).toBe('added late');
        await expect.poll(() => registry.tool('late')?.name, { timeout: 10_000 }).toBe('late');
        expect((await registry.callTool('late', {})).text).toBe('late ran');
      } finally {
        await registry.close();
      }
    });
  }
});

describe('changing the lists', () => {
  it('refuses unknown names and duplicates, changing nothing', async () => {
    const error = await publisher.removeTools(['hello', 'nope']).catch((caught: unknown) => caught);
    expect(ToolwireError.isInstance(error)).toBe(true);
    expect((error as ToolwireError).code).toBe('TOOL_NOT_FOUND');
    expect((error as Error).message).toBe('No published tool is named "nope"; nothing was changed.');
    const duplicate = await publisher
      .addTools([greet('fresh'), greet('hello')])
      .catch((caught: unknown) => caught);
    expect((duplicate as ToolwireError).code).toBe('CONFIG_INVALID');
    expect((duplicate as Error).message).toContain('"hello" is already published');
    await expect(publisher.setPromptsEnabled(['missing'], false)).rejects.toThrow('No published prompt');
    await expect(publisher.addPrompts([definePrompt({ name: 'bad name', get: () => '' })])).rejects.toThrow(
      'Prompt "bad name" needs a name',
    );
    expect((await publisher.ready()).map((tool) => tool.name)).toEqual(['hello']);
  });

  it('reports disabled tools from ready() and applies the publisher’s selection to added tools', async () => {
    const selective = createPublisher({
      name: 'selective',
      version: '1.0.0',
      tools: [greet('one')],
      exclude: ['internal_*'],
      rename: { two: 'second' },
      onError: () => {},
    });
    const added = await selective.addTools([greet('two'), greet('internal_x')]);
    expect(added.map((tool) => tool.name)).toEqual(['second']);
    await selective.setToolsEnabled(['one'], false);
    expect((await selective.ready()).map(({ name, enabled }) => ({ name, enabled }))).toEqual([
      { name: 'one', enabled: false },
      { name: 'second', enabled: true },
    ]);
    await selective.close();
  });
});
