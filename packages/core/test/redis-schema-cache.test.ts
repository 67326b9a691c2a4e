/**
 * The schema cache in a real Redis: a catalogue written by one registry is read by a second that
 * connects no server; entries expire with their TTL; drift is detected and rewritten; a Redis
 * outage (a private redis-server, killed) degrades to the local cache with one warning naming
 * the store, then recovers; and a Redis that hangs (a TCP proxy we own stops forwarding) costs
 * each start-up at most the store deadline, and is used again once it answers.
 */
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serverFingerprint } from '../src/cache/server-fingerprint.js';
import { parseServersConfig } from '../src/config/parse-config.js';
import { createRegistry, type Logger, type Registry, silentLogger } from '../src/index.js';
import { createRedisSchemaCache } from '../src/redis.js';
import { readEvents, stdioFaultServer, temporaryDirectory } from './support/fault-servers.js';
import { startTcpProxy, waitFor } from './support/index.js';
import {
  connectSharedRedis,
  deletePrefix,
  quickStoreRetry,
  sharedRedisUrl,
  startPrivateRedis,
  uniquePrefix,
} from './support/redis-servers.js';

let redis: Redis | undefined;
const prefix = uniquePrefix('schema');
beforeAll(async () => {
  redis = await connectSharedRedis();
});
afterAll(async () => {
  if (redis) {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  }
});

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(label: string) {
  const directory = temporaryDirectory(label);
  cleanups.push(() => directory.cleanup());
  const eventsFile = join(directory.path, 'events.jsonl');
  const starts = () => readEvents(eventsFile).filter((event) => event.event === 'start');
  const store = createRedisSchemaCache({ url: sharedRedisUrl, keyPrefix: `${prefix}${label}:` });
  cleanups.push(() => store.close?.());
  return { eventsFile, starts, store, keyPrefix: `${prefix}${label}:schema:` };
}

function track(registry: Registry): Registry {
  cleanups.push(() => registry.close());
  return registry;
}

async function keyOf(keyPrefix: string, servers: Record<string, unknown>, name: string): Promise<string> {
  const definition = parseServersConfig({ servers }).servers.find((server) => server.name === name)!;
  return keyPrefix + (await serverFingerprint(definition));
}

describe('Redis schema cache', () => {
  it('a second registry lists the catalogue the first wrote, connecting no server', async (context) => {
    if (!redis) return context.skip();
    const { eventsFile, starts, store, keyPrefix } = setup('shared');
    const servers = {
      alpha: stdioFaultServer('alpha', eventsFile),
      beta: stdioFaultServer('beta', eventsFile),
    };
    const writer = await createRegistry({ servers, cache: store, logger: silentLogger });
    const names = writer.tools().map((tool) => tool.name);
    await writer.close();
    expect(starts().length).toBe(2);

    const stored = await redis.get(await keyOf(keyPrefix, servers, 'alpha'));
    expect(JSON.parse(stored ?? '{}')).toMatchObject({
      format: 1,
      tools: expect.any(Array),
      hash: expect.any(String),
    });
    // Nothing secret-looking in the key: a hex digest under the prefix.
    expect(await keyOf(keyPrefix, servers, 'alpha')).toMatch(/:schema:[0-9a-f]{64}$/);

    const reader = track(
      await createRegistry({ servers, cache: store, loading: 'lazy', logger: silentLogger }),
    );
    expect(reader.tools().map((tool) => tool.name)).toEqual(names);
    expect(reader.servers().map((server) => server.toolsSource)).toEqual(['cache', 'cache']);
    expect(starts().length).toBe(2);
    const result = await reader.callTool('alpha__echo', { message: 'from cache' });
    expect(result.text).toBe('alpha: from cache');
    const started = starts().map((event) => event.server);
    expect(started.slice(0, 2).sort()).toEqual(['alpha', 'beta']);
    expect(started.slice(2)).toEqual(['alpha']);
  });

  it('honours the TTL (24 h by default, or cacheTtlMs)', async (context) => {
    if (!redis) return context.skip();
    const { eventsFile, starts, store, keyPrefix } = setup('ttl');
    const servers = { alpha: stdioFaultServer('alpha', eventsFile) };
    const key = await keyOf(keyPrefix, servers, 'alpha');

    await (await createRegistry({ servers, cache: store, logger: silentLogger })).close();
    const defaultTtl = await redis.pttl(key);
    expect(defaultTtl).toBeGreaterThan(23 * 60 * 60 * 1000);
    expect(defaultTtl).toBeLessThanOrEqual(24 * 60 * 60 * 1000);

    await redis.del(key);
    await (await createRegistry({ servers, cache: store, cacheTtlMs: 1_200, logger: silentLogger })).close();
    const shortTtl = await redis.pttl(key);
    expect(shortTtl).toBeGreaterThan(0);
    expect(shortTtl).toBeLessThanOrEqual(1_200);
    // Redis expires the key by itself: wait for that, not for a guessed time.
    await waitFor(async () => (await redis?.exists(key)) === 0, { message: 'the entry to expire' });

    // Expired: a lazy start has nothing to list and must ask the server.
    const before = starts().length;
    const lazy = track(
      await createRegistry({ servers, cache: store, loading: 'lazy', logger: silentLogger }),
    );
    expect(starts().length).toBe(before + 1);
    expect(lazy.server('alpha')?.toolsSource).toBe('server');
  });

  it('detects drift: serves the cached list, then updates catalogue and cache when the server differs', async (context) => {
    if (!redis) return context.skip();
    const { eventsFile, store, keyPrefix } = setup('drift');
    const before = { alpha: stdioFaultServer('alpha', eventsFile) };
    // Same identity (only an env value differs): the key cannot see the change, the hash can.
    const after = { alpha: stdioFaultServer('alpha', eventsFile, { extraTools: ['fresh_tool'] }) };
    const key = await keyOf(keyPrefix, before, 'alpha');
    expect(await keyOf(keyPrefix, after, 'alpha')).toBe(key);

    await (await createRegistry({ servers: before, cache: store, logger: silentLogger })).close();
    const oldEntry = JSON.parse((await redis.get(key)) ?? '{}') as { hash: string };

    const logs: string[] = [];
    const logger: Logger = { ...silentLogger, info: (message) => logs.push(message) };
    const lazy = track(await createRegistry({ servers: after, cache: store, loading: 'lazy', logger }));
    expect(lazy.tool('alpha__fresh_tool')).toBeUndefined();
    const changes: { added: string[] }[] = [];
    lazy.on('tools:changed', (event) => changes.push(event));
    await lazy.callTool('alpha__echo', { message: 'connect' });
    expect(lazy.tool('alpha__fresh_tool')?.status).toBe('active');
    expect(changes.flatMap((change) => change.added)).toContain('alpha__fresh_tool');
    await lazy.close();
    expect(logs.some((line) => /changed since they were cached/.test(line))).toBe(true);

    const newEntry = JSON.parse((await redis.get(key)) ?? '{}') as {
      hash: string;
      tools: { name: string }[];
    };
    expect(newEntry.hash).not.toBe(oldEntry.hash);
    expect(newEntry.tools.map((tool) => tool.name)).toContain('fresh_tool');
    const third = track(
      await createRegistry({ servers: after, cache: store, loading: 'lazy', logger: silentLogger }),
    );
    expect(third.tool('alpha__fresh_tool')?.status).toBe('discovered');
  });

  it('a Redis outage degrades to the local cache with one warning, and recovers', async (context) => {
    if (!redis) return context.skip();
    const { eventsFile } = setup('outage');
    const privateRedis = await startPrivateRedis();
    cleanups.push(() => privateRedis.stop());
    const store = createRedisSchemaCache({ url: privateRedis.url, keyPrefix: 'outage:' });
    cleanups.push(() => store.close?.());
    const warnings: string[] = [];
    const notes: string[] = [];
    const logger: Logger = {
      ...silentLogger,
      warn: (message) => warnings.push(message),
      info: (message) => notes.push(message),
    };
    // Two servers are enough for several writes to meet one outage (each is a process start).
    const servers = {
      alpha: stdioFaultServer('alpha', eventsFile),
      beta: stdioFaultServer('beta', eventsFile),
    };
    const registry = track(
      await createRegistry({
        servers,
        cache: store,
        loading: 'lazy',
        revalidateAfterMs: 1,
        storeRetry: quickStoreRetry,
        logger,
      }),
    );
    expect(warnings).toEqual([]);

    await privateRedis.stop();
    // Every server relists (a drop of its connection forces a reconnect) while Redis is down.
    for (const name of ['alpha', 'beta']) {
      await registry.disableServer(name);
      registry.enableServer(name);
      const result = await registry.callTool(`${name}__echo`, { message: 'during outage' });
      expect(result.text).toBe(`${name}: during outage`);
    }
    // prewarm() also waits for pending cache writes (which are what meet the outage).
    await registry.prewarm();
    const degradedWarnings = warnings.filter((line) => /schema cache .* is unavailable/.test(line));
    expect(degradedWarnings).toHaveLength(1);
    // Named, so an operator knows which Redis to look at.
    expect(degradedWarnings[0]).toContain(`Redis schema cache at ${privateRedis.url} is unavailable`);

    // A registry started during the outage still works (it connects what it cannot read).
    const during = track(
      await createRegistry({
        servers: { alpha: servers.alpha },
        cache: store,
        loading: 'lazy',
        logger: silentLogger,
      }),
    );
    expect(during.server('alpha')?.toolsSource).toBe('server');
    expect(during.tools().length).toBeGreaterThan(0);

    await privateRedis.start();
    await waitFor(() => notes.some((line) => /answers again/.test(line)), {
      message: 'the schema cache to answer again',
    });
    expect(warnings.filter((line) => /schema cache .* is unavailable/.test(line))).toHaveLength(1);
    // What was written during the outage reached the fresh (empty) Redis on recovery.
    const check = createRedisSchemaCache({ url: privateRedis.url, keyPrefix: 'outage:' });
    cleanups.push(() => check.close?.());
    const key = await serverFingerprint(parseServersConfig({ servers }).servers[0]!);
    expect(await check.get(key)).toEqual(expect.stringContaining('"tools"'));
  });

  it('a hanging Redis costs start-up at most the store deadline, and is used again once it answers', async (context) => {
    if (!redis) return context.skip();
    const { eventsFile, starts } = setup('hang');
    const privateRedis = await startPrivateRedis();
    cleanups.push(() => privateRedis.stop());
    const redisPort = Number(new URL(privateRedis.url).port);
    const proxy = await startTcpProxy(() => redisPort);
    cleanups.push(() => proxy.stop());
    // The credentials in the URL never reach a message.
    const store = createRedisSchemaCache({
      url: `redis://:hang-test-password-9d2@127.0.0.1:${proxy.port}`,
      keyPrefix: 'hang:',
    });
    cleanups.push(() => store.close?.());
    const admin = new Redis(privateRedis.url);
    admin.on('error', () => {});
    cleanups.push(() => admin.disconnect());
    await admin.call('CONFIG', 'SET', 'requirepass', 'hang-test-password-9d2');
    const warnings: string[] = [];
    const notes: string[] = [];
    const logger: Logger = {
      ...silentLogger,
      warn: (message) => warnings.push(message),
      info: (message) => notes.push(message),
    };
    const servers = {
      alpha: stdioFaultServer('alpha', eventsFile),
      beta: stdioFaultServer('beta', eventsFile),
    };
    proxy.hang();
    // The proxy never answers: had start-up waited on the store itself, it would never finish.
    const registry = track(
      await createRegistry({
        servers,
        cache: store,
        loading: 'lazy',
        storeTimeoutMs: 300,
        storeRetry: quickStoreRetry,
        logger,
      }),
    );
    // Both servers were asked for their tools, since the cache could not answer.
    expect(registry.servers().map((server) => server.toolsSource)).toEqual(['server', 'server']);
    expect(starts().length).toBe(2);
    const hung = warnings.filter((line) => /schema cache .* is unavailable/.test(line));
    expect(hung).toHaveLength(1);
    expect(hung[0]).toContain(`Redis schema cache at redis://127.0.0.1:${proxy.port} is unavailable`);
    expect(hung[0]).toMatch(/no answer to a (read|write) within 300 ms/);
    expect(hung[0]).not.toContain('hang-test-password-9d2');

    // Forwarding again (new connections only): the stalled one is replaced, the catalogue reaches Redis.
    proxy.forward();
    await waitFor(() => notes.some((line) => /Redis schema cache at .* answers again/.test(line)), {
      message: 'the schema cache to answer again',
    });
    // Until it answered again, that was one outage and one warning.
    expect(warnings.filter((line) => /schema cache .* is unavailable/.test(line))).toHaveLength(1);
    const key = await keyOf('hang:schema:', servers, 'alpha');
    await waitFor(async () => (await admin.get(key)) !== null, {
      timeoutMs: 10_000,
      message: 'the catalogue written during the hang to reach Redis',
    });
  });
});
