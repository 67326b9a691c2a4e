/**
 * The connection pool against real servers: single-flight connects, one session per conversation
 * for `session: 'per-conversation'` servers, idle connections closed after their TTL, and a cap
 * per server that evicts the least recently used idle connection or says clearly that all are busy.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRegistry, type Registry, type RegistryOptions, silentLogger } from '../src/index.js';
import {
  readEvents,
  startHttpFaultServer,
  stdioFaultServer,
  temporaryDirectory,
} from './support/fault-servers.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(label: string) {
  const directory = temporaryDirectory(label);
  cleanups.push(() => directory.cleanup());
  const eventsFile = join(directory.path, 'events.jsonl');
  const events = () => readEvents(eventsFile);
  const starts = () => events().filter((event) => event.event === 'start');
  return { directory, eventsFile, events, starts };
}

async function open(options: RegistryOptions): Promise<Registry> {
  const registry = await createRegistry({ logger: silentLogger, ...options });
  cleanups.push(() => registry.close());
  return registry;
}

async function waitFor(probe: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('connection pool', () => {
  it('50 concurrent first calls open one connection (single-flight), shared and per conversation', async () => {
    const { directory, eventsFile, starts } = setup('single-flight');
    const cacheDirectory = join(directory.path, 'cache');
    const servers = {
      shared: stdioFaultServer('shared', eventsFile),
      convo: stdioFaultServer('convo', eventsFile, { session: 'per-conversation' }),
    };
    await (await createRegistry({ servers, cache: 'file', cacheDirectory, logger: silentLogger })).close();
    const before = starts().length;
    const registry = await open({ servers, cache: 'file', cacheDirectory, loading: 'lazy' });
    expect(starts().length).toBe(before);

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) => registry.callTool('shared__echo', { message: String(index) })),
    );
    expect(results.map((result) => result.text)).toEqual(results.map((_, index) => `shared: ${index}`));
    expect(
      starts()
        .slice(before)
        .map((event) => event.server),
    ).toEqual(['shared']);

    await Promise.all(
      Array.from({ length: 50 }, () =>
        registry.callTool('convo__echo', { message: 'x' }, { sessionKey: 'thread-1' }),
      ),
    );
    expect(
      starts()
        .slice(before)
        .map((event) => event.server),
    ).toEqual(['shared', 'convo']);
    expect(registry.server('convo')?.connections).toBe(1);
  });

  it('gives each conversation its own session on a per-conversation server, and refuses a call without one', async () => {
    const { eventsFile, events } = setup('sessions');
    const server = await startHttpFaultServer('h', eventsFile);
    cleanups.push(() => server.stop());
    const registry = await open({
      servers: { h: { url: server.url, type: 'http', session: 'per-conversation' } },
      cache: 'memory',
    });
    const sessions = () => events().filter((event) => event.event === 'session');
    expect(sessions()).toHaveLength(1); // the shared connection that listed the tools

    await registry.callTool('h__echo', { message: '1' }, { sessionKey: 'thread-a' });
    await registry.callTool('h__echo', { message: '2' }, { sessionKey: 'thread-b' });
    await registry.callTool('h__echo', { message: '3' }, { sessionKey: 'thread-a' });
    expect(sessions()).toHaveLength(3);
    expect(registry.server('h')?.connections).toBe(3);
    expect(registry.server('h')?.session).toBe('per-conversation');

    const refused = await registry
      .callTool('h__echo', { message: 'no key' })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'SESSION_REQUIRED', server: 'h', tool: 'h__echo' });
    expect((refused as Error).message).toMatch(/sessionKey/);
    expect(sessions()).toHaveLength(3);
  });

  it('closes a conversation connection after its idle time (its HTTP session is deleted)', async () => {
    const { eventsFile, events } = setup('idle');
    const server = await startHttpFaultServer('h', eventsFile);
    cleanups.push(() => server.stop());
    const registry = await open({
      servers: { h: { url: server.url, type: 'http', session: 'per-conversation' } },
      cache: 'memory',
      pool: { idleTimeoutMs: 300 },
    });
    await registry.callTool('h__echo', { message: 'x' }, { sessionKey: 'thread-a' });
    expect(registry.server('h')?.connections).toBe(2);
    await waitFor(() => registry.server('h')?.connections === 1, 'the idle connection to close');
    await waitFor(() => events().some((event) => event.event === 'session-closed'), 'the session DELETE');
    // The shared connection stays; the conversation reconnects on its next call.
    const again = await registry.callTool('h__echo', { message: 'y' }, { sessionKey: 'thread-a' });
    expect(again.text).toBe('h: y');
    expect(registry.server('h')?.connections).toBe(2);
  });

  it('caps connections per server: evicts the least recently used idle one, and says so when all are busy', async () => {
    const { eventsFile, events } = setup('cap');
    const registry = await open({
      servers: { s: stdioFaultServer('s', eventsFile, { session: 'per-conversation' }) },
      cache: 'memory',
      pool: { maxConnectionsPerServer: 3 },
    });
    await registry.callTool('s__echo', { message: 'a' }, { sessionKey: 'a' });
    await registry.callTool('s__echo', { message: 'b' }, { sessionKey: 'b' });
    expect(registry.server('s')?.connections).toBe(3);
    await registry.callTool('s__echo', { message: 'a again' }, { sessionKey: 'a' });
    // c evicts b (least recently used), not a.
    await registry.callTool('s__echo', { message: 'c' }, { sessionKey: 'c' });
    expect(registry.server('s')?.connections).toBe(3);
    const startsBefore = events().filter((event) => event.event === 'start').length;
    await registry.callTool('s__echo', { message: 'a still pooled' }, { sessionKey: 'a' });
    expect(events().filter((event) => event.event === 'start').length).toBe(startsBefore);

    // Both conversation connections busy, the shared one never evicted: no room for a fourth.
    const busyA = registry.callTool('s__append', { value: 'busy-a', ms: 1_500 }, { sessionKey: 'a' });
    const busyC = registry.callTool('s__append', { value: 'busy-c', ms: 1_500 }, { sessionKey: 'c' });
    await waitFor(
      () => events().filter((event) => event.tool === 'append' && event.event === 'start').length === 2,
      'both calls to run',
    );
    const exhausted = await registry
      .callTool('s__echo', { message: 'd' }, { sessionKey: 'd' })
      .catch((error: unknown) => error);
    expect(exhausted).toMatchObject({ code: 'POOL_EXHAUSTED', server: 's' });
    expect((exhausted as Error).message).toMatch(/3 connections, all busy/);
    await Promise.all([busyA, busyC]);
    // Once idle, the same request succeeds by evicting one.
    expect((await registry.callTool('s__echo', { message: 'd' }, { sessionKey: 'd' })).text).toBe('s: d');
  });
});
