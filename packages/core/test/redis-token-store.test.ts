/**
 * The Redis token store against real peers: `oidc-provider` issuing tokens, an MCP server that
 * verifies them, and real Redis servers. A fleet of workers shares one token through the shared
 * Redis (unique key prefix). Then the store fails in each way a store fails, always against a
 * Redis this file owns: stopped (a private redis-server, killed), a port nothing listens on,
 * hanging (a TCP proxy that stops forwarding), refusing the lock (an ACL user without SET).
 * Each time, calls go on with tokens fetched directly, exactly one warning names the store
 * (without its credentials), nobody waits for a lock nobody holds, and the store is used again
 * once it answers.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Logger, type Registry, silentLogger } from '../src/index.js';
import { createRedisTokenStore } from '../src/redis.js';
import { startOAuthServer, type TestOAuthServer } from './fixtures/oauth-server.js';
import { type ProtectedMCPServer, startProtectedMCPServer } from './fixtures/protected-mcp-server.js';
import { freePort, startTcpProxy, waitFor } from './support/index.js';
import {
  connectSharedRedis,
  deletePrefix,
  type PrivateRedis,
  quickStoreRetry,
  sharedRedisUrl,
  startPrivateRedis,
  uniquePrefix,
} from './support/redis-servers.js';
import { assertNoSecrets } from './support/secret-search.js';

const SECRET = 'redis-fleet-secret-6e0b';
const prefix = uniquePrefix('tokens');

let shared: Redis | undefined;
/** 600 s tokens: one request serves a whole test. */
let oauth: TestOAuthServer;
let mcp: ProtectedMCPServer;
/** 2 s tokens: a registry asks for a new one about every second while it is called. */
let shortLived: TestOAuthServer;
let shortLivedMCP: ProtectedMCPServer;
const clients: Redis[] = [];

beforeAll(async () => {
  shared = await connectSharedRedis();
  const client = {
    clientId: 'fleet',
    clientSecret: SECRET,
    authMethod: 'client_secret_basic',
    scope: 'mcp:tools',
  } as const;
  [oauth, shortLived] = await Promise.all([
    startOAuthServer({ clients: [client] }),
    startOAuthServer({ clients: [client], accessTokenTTL: 2 }),
  ]);
  [mcp, shortLivedMCP] = await Promise.all([
    startProtectedMCPServer({ issuer: oauth.issuer, jwksUrl: oauth.jwksUrl }),
    startProtectedMCPServer({ issuer: shortLived.issuer, jwksUrl: shortLived.jwksUrl }),
  ]);
  oauth.defaultResource = mcp.url;
  shortLived.defaultResource = shortLivedMCP.url;
});

afterAll(async () => {
  if (shared) {
    await deletePrefix(shared, prefix);
    shared.disconnect();
  }
  for (const client of clients) client.disconnect();
  await Promise.all([mcp?.close(), shortLivedMCP?.close()]);
  await Promise.all([oauth?.close(), shortLived?.close()]);
});

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function crm(server: ProtectedMCPServer, authServer: TestOAuthServer) {
  return {
    url: server.url,
    connectTimeoutMs: 60_000,
    callTimeoutMs: 60_000,
    auth: {
      type: 'client_credentials' as const,
      clientId: 'fleet',
      clientSecret: SECRET,
      tokenUrl: authServer.tokenUrl,
      scope: 'mcp:tools',
    },
  };
}

/** A logger that keeps warnings and info lines. */
function recordingLogger() {
  const warnings: string[] = [];
  const notes: string[] = [];
  const logger: Logger = {
    ...silentLogger,
    warn: (message) => warnings.push(message),
    info: (message) => notes.push(message),
  };
  const storeWarnings = () => warnings.filter((line) => /token store/.test(line));
  return { logger, warnings, notes, storeWarnings };
}

function track(registry: Registry): Registry {
  cleanups.push(() => registry.close());
  return registry;
}

/**
 * Calls `whoami` every 100 ms, each answered as `fleet`, until `done()` holds: a count of what
 * happened (tokens fetched), never a span of time, so a slow machine only makes it take longer.
 */
async function callUntil(registry: Registry, done: () => boolean, message: string): Promise<number> {
  let calls = 0;
  await waitFor(
    async () => {
      const result = await registry.callTool('crm__whoami', {});
      expect(result.text).toBe('fleet');
      calls++;
      return done();
    },
    { intervalMs: 100, message },
  );
  return calls;
}

async function commandCalls(admin: Redis, command: string): Promise<number> {
  const stats = await admin.info('commandstats');
  const match = new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats);
  return Number(match?.[1] ?? 0);
}

describe('Redis token store: a fleet', () => {
  it('lets a fleet of workers share one token', async (context) => {
    if (!shared) return context.skip();
    const keyPrefix = `${prefix}fleet:`;
    const worker = () => {
      const redis = new Redis(sharedRedisUrl);
      clients.push(redis);
      return createRegistry({
        logger: silentLogger,
        cache: 'none',
        tokenStore: createRedisTokenStore({ redis, keyPrefix }),
        servers: { crm: crm(mcp, oauth) },
      });
    };
    const before = oauth.tokenRequests;
    const workers = await Promise.all(Array.from({ length: 8 }, () => worker()));
    for (const registry of workers) track(registry);
    const subjects = await Promise.all(
      workers.map(async (registry) => (await registry.callTool('crm__whoami', {})).text),
    );
    expect(subjects).toEqual(Array(8).fill('fleet'));
    expect(oauth.tokenRequests - before).toBe(1);

    const late = track(await worker());
    expect((await late.callTool('crm__whoami', {})).text).toBe('fleet');
    expect(oauth.tokenRequests - before).toBe(1);

    const keys = await shared.keys(`${keyPrefix}*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/token:[0-9a-f]{64}$/);
    expect(keys.join(' ')).not.toContain(SECRET);
  });
});

describe('Redis token store: encrypted at rest', () => {
  it('keeps no form of the token in Redis, shares it with the key, and warns once without it', async (context) => {
    if (!shared) return context.skip();
    const keyPrefix = `${prefix}sealed:`;
    const encryptionKey = randomBytes(32);
    const worker = (key: Uint8Array | string, logger: Logger = silentLogger) => {
      const redis = new Redis(sharedRedisUrl);
      clients.push(redis);
      return createRegistry({
        logger,
        cache: 'none',
        tokenStore: createRedisTokenStore({ redis, keyPrefix, encryptionKey: key }),
        servers: { crm: crm(mcp, oauth) },
      });
    };
    const before = oauth.tokenRequests;
    const first = track(await worker(encryptionKey));
    expect((await first.callTool('crm__whoami', {})).text).toBe('fleet');
    const [storageKey] = await shared.keys(`${keyPrefix}*`);
    expect(storageKey).toMatch(/token:[0-9a-f]{64}$/);
    const raw = (await shared.getBuffer(storageKey as string))?.toString('latin1') ?? '';
    expect(raw).toMatch(/^tw-aes256gcm:v1:/);
    // The store with the key reads the token; Redis holds none of its forms, nor the key's.
    const reader = createRedisTokenStore({ redis: shared, keyPrefix, encryptionKey });
    const token = await reader.get((storageKey as string).slice(keyPrefix.length));
    expect(token?.accessToken).toMatch(/^ey/);
    assertNoSecrets(raw, [token?.accessToken as string, SECRET, encryptionKey.toString('base64')]);

    // Another worker with the same key (here as hex) uses the stored token.
    const second = track(await worker(encryptionKey.toString('hex')));
    expect((await second.callTool('crm__whoami', {})).text).toBe('fleet');
    expect(oauth.tokenRequests - before).toBe(1);

    // A worker with another key cannot read it: one warning naming why, and it fetches its own.
    const { logger, storeWarnings } = recordingLogger();
    const stranger = track(await worker(randomBytes(32).toString('base64url'), logger));
    expect((await stranger.callTool('crm__whoami', {})).text).toBe('fleet');
    expect(oauth.tokenRequests - before).toBe(2);
    expect(storeWarnings()).toHaveLength(1);
    expect(storeWarnings()[0]).toMatch(/could not be decrypted: it was encrypted with another encryptionKey/);
    expect(storeWarnings()[0]).not.toContain(encryptionKey.toString('base64'));
    // A store without the key says so, rather than reading the sealed value as no token.
    await expect(
      createRedisTokenStore({ redis: shared, keyPrefix }).get((storageKey as string).slice(keyPrefix.length)),
    ).rejects.toMatchObject({
      code: 'DECRYPTION_FAILED',
      message: expect.stringContaining('it is encrypted: give the store its encryptionKey'),
    });
  });

  it('refuses a key that is not 32 bytes, without quoting it', () => {
    const key = 'too-short-key-material';
    const error = (() => {
      try {
        createRedisTokenStore({ url: sharedRedisUrl, encryptionKey: key });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('createRedisTokenStore: encryptionKey must be 32 bytes'),
    });
    expect((error as Error).message).not.toContain(key);
  });
});

describe('Redis token store: outages', () => {
  let privateRedis: PrivateRedis;
  let admin: Redis;

  beforeAll(async () => {
    privateRedis = await startPrivateRedis();
    admin = new Redis(privateRedis.url, { lazyConnect: true });
    admin.on('error', () => {});
  });

  afterAll(async () => {
    admin?.disconnect();
    await privateRedis?.stop();
  });

  it('a stopped Redis: one warning naming it, tokens fetched directly, and back in use once Redis is', async () => {
    const keyPrefix = uniquePrefix('stopped');
    const store = createRedisTokenStore({ url: privateRedis.url, keyPrefix });
    const { logger, notes, storeWarnings } = recordingLogger();
    const registry = track(
      await createRegistry({
        logger,
        cache: 'none',
        // Generous: this outage is a refused connection, not a slow one.
        storeTimeoutMs: 10_000,
        storeRetry: quickStoreRetry,
        tokenStore: store,
        servers: { crm: crm(shortLivedMCP, shortLived) },
      }),
    );
    expect((await registry.callTool('crm__whoami', {})).text).toBe('fleet');
    expect(await admin.keys(`${keyPrefix}*`)).toHaveLength(1);

    await privateRedis.stop();
    const tokensBefore = shortLived.tokenRequests;
    // Several 2-second tokens are fetched while Redis is away, with one warning in all.
    await callUntil(
      registry,
      () => shortLived.tokenRequests - tokensBefore >= 2,
      'two tokens fetched directly while Redis is stopped',
    );
    expect(storeWarnings()).toHaveLength(1);
    expect(storeWarnings()[0]).toContain(`Redis token store at ${privateRedis.url} is unavailable`);

    await privateRedis.start();
    const fresh = new Redis(privateRedis.url);
    fresh.on('error', () => {});
    cleanups.push(() => fresh.disconnect());
    // The next token after Redis is back is shared through it again (the store is empty now).
    await waitFor(
      async () => {
        await registry.callTool('crm__whoami', {});
        return (await fresh.keys(`${keyPrefix}*`)).length > 0;
      },
      { intervalMs: 200, message: 'a token in the restarted Redis' },
    );
    expect(
      notes.some((line) => line.includes(`Redis token store at ${privateRedis.url} answers again`)),
    ).toBe(true);
    expect(storeWarnings()).toHaveLength(1);
  });

  it('a port nothing listens on: calls work at once, one warning, no waiting for a lock', async () => {
    const port = await freePort();
    const { logger, storeWarnings } = recordingLogger();
    const before = oauth.tokenRequests;
    const registry = track(
      await createRegistry({
        logger,
        cache: 'none',
        storeTimeoutMs: 10_000,
        tokenStore: createRedisTokenStore({ url: `redis://127.0.0.1:${port}`, keyPrefix: 'closed:' }),
        servers: { crm: crm(mcp, oauth) },
      }),
    );
    const results = await Promise.all(Array.from({ length: 5 }, () => registry.callTool('crm__whoami', {})));
    expect(results.map((result) => result.text)).toEqual(Array(5).fill('fleet'));
    expect(oauth.tokenRequests - before).toBe(1);
    expect(storeWarnings()).toHaveLength(1);
    expect(storeWarnings()[0]).toContain(`Redis token store at redis://127.0.0.1:${port}`);
  });

  it('a hanging Redis (your own client): calls never wait on it past the store deadline', async () => {
    const redisPort = Number(new URL(privateRedis.url).port);
    const proxy = await startTcpProxy(() => redisPort);
    cleanups.push(() => proxy.stop());
    // Your client, with ioredis defaults: it queues commands for as long as the connection hangs.
    const yours = new Redis(proxy.url('redis'));
    yours.on('error', () => {});
    cleanups.push(() => yours.disconnect());
    const { logger, storeWarnings } = recordingLogger();
    const keyPrefix = uniquePrefix('hang');
    const registry = track(
      await createRegistry({
        logger,
        cache: 'none',
        storeTimeoutMs: 500,
        storeRetry: quickStoreRetry,
        tokenStore: createRedisTokenStore({ redis: yours, keyPrefix }),
        servers: { crm: crm(shortLivedMCP, shortLived) },
      }),
    );
    // Healthy first: a token written through the proxy (a slow first connect may cost a retry).
    await waitFor(
      async () => {
        await registry.callTool('crm__whoami', {});
        return (await admin.keys(`${keyPrefix}*`)).length > 0;
      },
      { intervalMs: 200, message: 'a token written through the proxy' },
    );
    const warningsBefore = storeWarnings().length;
    const tokensBefore = shortLived.tokenRequests;
    proxy.hang();
    // The proxy never answers again, so a call that waited on the store without its deadline
    // would never finish: each call answering, while 2-second tokens are refreshed (a store
    // read and lock each), is the outcome to see.
    await callUntil(
      registry,
      () => shortLived.tokenRequests - tokensBefore >= 2,
      'two tokens fetched directly while the store hangs',
    );
    const hung = storeWarnings().slice(warningsBefore);
    expect(hung).toHaveLength(1);
    expect(hung[0]).toContain(`Redis token store at redis://127.0.0.1:${proxy.port} is unavailable`);
    expect(hung[0]).toMatch(/no answer to a (read|lock|write) within 500 ms/);
    await registry.close();
    // A client you passed is never closed by the registry.
    expect(yours.status).not.toBe('end');
  });

  it('a lock refused (ACL without SET) is an error, not a lock held elsewhere: no polling, one warning', async () => {
    const user = 'toolwire-no-set';
    const password = 'acl-pass-51d7e0';
    await admin.call(
      'ACL',
      'SETUSER',
      user,
      'reset',
      'on',
      `>${password}`,
      '~*',
      '+@connection',
      '+info',
      '+get',
      '+eval',
      '+del',
    );
    cleanups.push(() => admin.call('ACL', 'DELUSER', user));
    const keyPrefix = uniquePrefix('acl');
    const { logger, notes, storeWarnings } = recordingLogger();
    const readsBefore = await commandCalls(admin, 'get');
    // Your client, logged in as that user: its credentials must not reach a message either.
    const yours = new Redis(`redis://${user}:${password}@127.0.0.1:${new URL(privateRedis.url).port}`);
    yours.on('error', () => {});
    cleanups.push(() => yours.disconnect());
    const registry = track(
      await createRegistry({
        logger,
        cache: 'none',
        // Generous: this failure is a refusal, not a slow answer.
        storeTimeoutMs: 10_000,
        tokenStore: createRedisTokenStore({ redis: yours, keyPrefix }),
        servers: { crm: crm(shortLivedMCP, shortLived) },
      }),
    );
    expect((await registry.callTool('crm__whoami', {})).text).toBe('fleet');
    // One read before the lock; a lock taken for "held" would poll the store for seconds.
    expect((await commandCalls(admin, 'get')) - readsBefore).toBe(1);
    expect(storeWarnings()).toHaveLength(1);
    expect(storeWarnings()[0]).toContain(
      `Redis token store at redis://127.0.0.1:${new URL(privateRedis.url).port}`,
    );
    expect(storeWarnings()[0]).toMatch(/lock failed: NOPERM/);
    expect(storeWarnings()[0]).not.toContain(password);
    expect(storeWarnings()[0]).not.toContain(user);

    // Given SET, the next token is shared through Redis again.
    await admin.call('ACL', 'SETUSER', user, '+set');
    await waitFor(
      async () => {
        await registry.callTool('crm__whoami', {});
        return (await admin.keys(`${keyPrefix}*`)).some((key) => !key.endsWith(':lock'));
      },
      { intervalMs: 200, message: 'a token written to Redis' },
    );
    expect(notes.some((line) => /Redis token store at .* answers again/.test(line))).toBe(true);
    expect(storeWarnings()).toHaveLength(1);
  });
});
