/**
 * Graceful reload over real peers: two upstreams (our publisher on loopback HTTP), the gateway
 * on loopback HTTP, and the official SDK v2 client downstream. A reload keeps the client's
 * session, tells it `list_changed`, serves the new upstream's tools, lets a call already running
 * on the old registry finish, and swaps exposure; a bad configuration is rejected naming what is
 * wrong while the old one keeps serving. The prompts served follow the reloaded upstreams, and search mode's description too.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { silentLogger, ToolwireError } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, waitFor } from '../../core/test/support/index.js';
import { createGateway, type Gateway } from '../src/index.js';
import { type GatedUpstream, startGatedUpstream } from './support/gated-upstream.js';

let alpha: GatedUpstream;
let beta: GatedUpstream;
let gateway: Gateway;
let url: string;
const clients: Client[] = [];

const upstreams = (servers: Record<string, { url: string; type: 'http' }>) => ({
  servers,
  cache: 'memory' as const,
  logger: silentLogger,
});

beforeAll(async () => {
  [alpha, beta] = await Promise.all([startGatedUpstream('alpha'), startGatedUpstream('beta')]);
  gateway = await createGateway({
    upstreams: upstreams({ alpha: { url: alpha.url, type: 'http' } }),
    publisher: { onError: () => {} },
  });
  ({ url } = await gateway.listen());
});

afterAll(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => {});
  await gateway?.close();
  await Promise.all([alpha?.close(), beta?.close()]);
});

const text = (result: { content?: unknown }) =>
  ((result.content as { type: string; text: string }[])[0] as { text: string }).text;

describe('gateway.reload()', () => {
  it('keeps the downstream session, announces the new tools and lets a running call finish', async () => {
    const seen: string[][] = [];
    const client = new Client(
      { name: 'reload-test', version: '1.0.0' },
      {
        listChanged: {
          tools: {
            debounceMs: 0,
            onChanged: (_error, tools) => tools && seen.push(tools.map((t) => t.name)),
          },
        },
      },
    );
    const transport = new StreamableHTTPClientTransport(new URL(url));
    await client.connect(transport);
    clients.push(client);
    const sessionBefore = transport.sessionId;
    expect(sessionBefore).toBeDefined();
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual([
      'alpha__hold',
      'alpha__whoami',
    ]);

    // A call in flight on the old registry while the reload happens.
    const running = client.callTool({ name: 'alpha__hold', arguments: {} });
    await alpha.holding();

    await gateway.reload({
      upstreams: upstreams({
        alpha: { url: alpha.url, type: 'http' },
        beta: { url: beta.url, type: 'http' },
      }),
    });
    expect(gateway.status().reloads).toBe(1);

    await waitFor(() => seen.some((names) => names.includes('beta__whoami')), {
      message: 'a list_changed naming beta__whoami',
    });
    expect(text(await client.callTool({ name: 'beta__whoami', arguments: {} }))).toBe('beta');
    expect(text(await client.callTool({ name: 'alpha__whoami', arguments: {} }))).toBe('alpha');

    alpha.release();
    const finished = await running;
    expect(finished.isError).toBeFalsy();
    expect(text(finished)).toBe('released by alpha');
    expect(transport.sessionId).toBe(sessionBefore);
  });

  it('rejects a bad configuration with CONFIG_INVALID naming it, and keeps serving the old one', async () => {
    const client = new Client({ name: 'reload-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    clients.push(client);
    const before = (await client.listTools()).tools.map((tool) => tool.name).sort();

    const rejected = await gateway
      .reload({ upstreams: upstreams({ broken: { url: 'not a url', type: 'http' } }) })
      .catch((error: unknown) => error);
    expect(ToolwireError.isInstance(rejected)).toBe(true);
    expect((rejected as ToolwireError).code).toBe('CONFIG_INVALID');
    expect(String((rejected as Error).message)).toContain('broken');

    const badPolicy = await gateway
      .reload({
        upstreams: upstreams({ beta: { url: beta.url, type: 'http' } }),
        policy: { maxArgumentBytes: -1 },
      })
      .catch((error: unknown) => error);
    expect((badPolicy as ToolwireError).code).toBe('CONFIG_INVALID');
    expect(String((badPolicy as Error).message)).toContain('maxArgumentBytes');

    const unknownRequired = await gateway
      .reload({
        upstreams: upstreams({ beta: { url: beta.url, type: 'http' } }),
        requiredUpstreams: ['gamma'],
      })
      .catch((error: unknown) => error);
    expect((unknownRequired as ToolwireError).code).toBe('CONFIG_INVALID');
    expect(String((unknownRequired as Error).message)).toContain('gamma');

    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(before);
    expect(text(await client.callTool({ name: 'beta__whoami', arguments: {} }))).toBe('beta');
    expect(
      gateway.registry
        .servers()
        .map((server) => server.name)
        .sort(),
    ).toEqual(['alpha', 'beta']);
  });

  it('swaps exposure and policy (keeping unchanged upstreams connected), and takes a bare mcpServers configuration', async () => {
    const client = new Client({ name: 'reload-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    clients.push(client);
    const callsBefore = gateway.registry.stats().calls;
    expect(callsBefore).toBeGreaterThan(0);
    await gateway.reload({
      upstreams: upstreams({
        alpha: { url: alpha.url, type: 'http' },
        beta: { url: beta.url, type: 'http' },
      }),
      expose: { exclude: ['alpha__hold'] },
      policy: { deny: ['beta__hold'] },
    });
    // The excluded tool is gone, and the denied one hidden from this caller (`hideDeniedTools`).
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual([
      'alpha__whoami',
      'beta__whoami',
    ]);
    // Same upstreams: the registry (its connections, sessions and stats) stayed.
    expect(gateway.registry.stats().calls).toBe(callsBefore);
    const denied = await client.callTool({ name: 'beta__hold', arguments: {} });
    expect(denied.isError).toBe(true);
    expect(text(denied)).toContain('policy denies "beta__hold"');

    const betaConnections = gateway.registry.server('beta')?.connections;
    await gateway.reload({ mcpServers: { beta: { url: beta.url, type: 'http' } } });
    // Other options (a bare mcpServers: no cache, no logger): a new registry, connected afresh.
    expect(gateway.registry.stats().calls).toBe(0);
    expect(betaConnections).toBeGreaterThan(0);
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual([
      'beta__hold',
      'beta__whoami',
    ]);
    expect(text(await client.callTool({ name: 'beta__whoami', arguments: {} }))).toBe('beta');
  });

  it('refuses a reload once the gateway is closing, and leaves nothing open', async () => {
    const closing = await createGateway({
      upstreams: upstreams({ alpha: { url: alpha.url, type: 'http' } }),
      publisher: { onError: () => {} },
    });
    const reloading = closing.reload({
      upstreams: upstreams({ beta: { url: beta.url, type: 'http' } }),
    });
    const closed = closing.close();
    const outcome = await reloading.then(
      () => 'applied',
      (error: ToolwireError) => error.code,
    );
    await closed;
    // Either it finished before the close (and the close closed its registry) or it was refused.
    expect(['applied', 'SERVER_CLOSED']).toContain(outcome);
    expect(closing.registry.servers().every((server) => server.connections === 0)).toBe(true);
    await expect(
      closing.reload({ upstreams: upstreams({ beta: { url: beta.url, type: 'http' } }) }),
    ).rejects.toMatchObject({ code: 'SERVER_CLOSED' });
  });
});

describe('gateway.reload() and prompts', () => {
  it("serves the new upstreams' prompts and drops the prompts of the upstreams removed", async () => {
    const promptsServer = { command: process.execPath, args: [fixturePath('prompts-server.mjs')] };
    const own = await createGateway({
      upstreams: upstreams({ alpha: { url: alpha.url, type: 'http' } }),
      publisher: { onError: () => {} },
    });
    const heard: string[][] = [];
    const client = new Client(
      { name: 'reload-prompts-test', version: '1.0.0' },
      {
        listChanged: {
          prompts: {
            debounceMs: 0,
            onChanged: (_error, prompts) => prompts && heard.push(prompts.map((p) => p.name)),
          },
        },
      },
    );
    try {
      const { url: ownURL } = await own.listen();
      await client.connect(new StreamableHTTPClientTransport(new URL(ownURL)));
      const promptNames = async () => (await client.listPrompts()).prompts.map((prompt) => prompt.name);
      expect(await promptNames()).toEqual([]);

      await own.reload({
        upstreams: {
          ...upstreams({}),
          servers: { alpha: { url: alpha.url, type: 'http' }, prompts: promptsServer },
        },
      });
      expect(await promptNames()).toEqual(['prompts__hello']);
      await waitFor(() => heard.some((names) => names.includes('prompts__hello')), {
        message: 'notifications/prompts/list_changed after the reload',
      });
      const rendered = await client.getPrompt({ name: 'prompts__hello', arguments: {} });
      expect(rendered.messages.length).toBeGreaterThan(0);

      await own.reload({ upstreams: upstreams({ alpha: { url: alpha.url, type: 'http' } }) });
      expect(await promptNames()).toEqual([]);
    } finally {
      await client.close().catch(() => {});
      await own.close();
    }
  });
});

describe('gateway.reload() in search mode', () => {
  it('serves search_tools anew with a description naming the new upstreams', async () => {
    const own = await createGateway({
      upstreams: upstreams({ alpha: { url: alpha.url, type: 'http' } }),
      mode: 'search',
      publisher: { onError: () => {} },
    });
    let heard = 0;
    const client = new Client(
      { name: 'reload-search-test', version: '1.0.0' },
      { listChanged: { tools: { autoRefresh: false, onChanged: () => heard++ } } },
    );
    try {
      const { url: ownURL } = await own.listen();
      await client.connect(new StreamableHTTPClientTransport(new URL(ownURL)));
      const searchDescription = async () =>
        (await client.listTools()).tools.find((tool) => tool.name === 'search_tools')?.description ?? '';
      expect(await searchDescription()).toContain('servers: alpha)');

      await own.reload({
        upstreams: upstreams({
          alpha: { url: alpha.url, type: 'http' },
          beta: { url: beta.url, type: 'http' },
        }),
      });
      expect(await searchDescription()).toContain('servers: alpha, beta)');
      expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual([
        'call_tool',
        'search_tools',
      ]);
      await waitFor(() => heard > 0, { message: 'notifications/tools/list_changed after the reload' });
      const called = await client.callTool({
        name: 'call_tool',
        arguments: { name: 'beta__whoami', arguments: {} },
      });
      expect(called.isError, JSON.stringify(called.content)).toBeFalsy();
    } finally {
      await client.close().catch(() => {});
      await own.close();
    }
  });
});
