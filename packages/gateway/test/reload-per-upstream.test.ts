/**
 * A reload that changes one upstream reconnects that one alone, over real peers: two upstreams
 * with per-session state (our publisher on loopback, 2025 sessions: `remember` / `recall`), one
 * that holds a call until released, the gateway with per-principal upstream sessions, and the
 * official SDK v2 client downstream. After a reload that changes `second`'s entry, adds `third`
 * and removes `held`: `first` still recalls what was stored in its upstream session (kept),
 * `second` starts a fresh one (reconnected), a call running on `held` finishes, and the tools
 * follow (`list_changed`).
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../core/test/support/index.js';
import { createGateway, type Gateway } from '../src/index.js';
import { type GatedUpstream, startGatedUpstream } from './support/gated-upstream.js';
import { startUpstreamPublisher, type UpstreamPublisher } from './support/upstream-publisher.js';

let first: UpstreamPublisher;
let second: UpstreamPublisher;
let held: GatedUpstream;
let gateway: Gateway;
let client: Client;
const seen: string[][] = [];

const logger = silentLogger;
const entry = (url: string, extra: Record<string, unknown> = {}) => ({
  url,
  type: 'http' as const,
  protocol: 'legacy' as const,
  ...extra,
});

beforeAll(async () => {
  [first, second, held] = await Promise.all([
    startUpstreamPublisher(),
    startUpstreamPublisher(),
    startGatedUpstream('held'),
  ]);
  gateway = await createGateway({
    upstreams: {
      servers: { first: entry(first.url), second: entry(second.url), held: entry(held.url) },
      cache: 'memory',
      logger,
    },
    publisher: { onError: () => {} },
  });
  const { url } = await gateway.listen();
  client = new Client(
    { name: 'reload-per-upstream', version: '1.0.0' },
    {
      listChanged: {
        tools: {
          debounceMs: 0,
          onChanged: (_error, tools) => tools && seen.push(tools.map((tool) => tool.name)),
        },
      },
    },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
});

afterAll(async () => {
  await client?.close().catch(() => {});
  await gateway?.close();
  await Promise.all([first?.close(), second?.close(), held?.close()]);
});

const text = (result: { content?: unknown }) =>
  ((result.content as { type: string; text: string }[])[0] as { text: string }).text;
const recall = async (server: string) =>
  text(await client.callTool({ name: `${server}__recall`, arguments: {} }));

describe('reload of one upstream', () => {
  it('reconnects the changed upstream only; the others keep their sessions and running calls', async () => {
    await client.callTool({ name: 'first__remember', arguments: { note: 'kept' } });
    await client.callTool({ name: 'second__remember', arguments: { note: 'forgotten' } });
    expect(await recall('first')).toBe('kept');
    expect(await recall('second')).toBe('forgotten');
    const running = client.callTool({ name: 'held__hold', arguments: {} });
    await held.holding();

    await gateway.reload({
      upstreams: {
        servers: {
          first: entry(first.url),
          // A changed entry (one more header): this upstream is reconnected.
          second: entry(second.url, { headers: { 'x-config-revision': '2' } }),
          third: entry(first.url),
        },
        cache: 'memory',
        logger,
      },
    });

    // `first` kept its upstream session; `second` has a new one; `third` is served.
    expect(await recall('first')).toBe('kept');
    expect(await recall('second')).toBe('(nothing)');
    expect(await recall('third')).toBe('(nothing)');
    await waitFor(
      () => seen.some((names) => names.includes('third__recall') && !names.includes('held__hold')),
      {
        message: 'a list_changed with third and without held',
      },
    );
    // The call running on the removed upstream finishes there.
    held.release();
    expect(text(await running)).toBe('released by held');
    expect(
      gateway.registry
        .servers()
        .map((server) => server.name)
        .sort(),
    ).toEqual(['first', 'second', 'third']);
    expect(gateway.status().reloads).toBe(1);
  });
});
