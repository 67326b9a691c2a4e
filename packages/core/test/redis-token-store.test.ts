/**
 * A fleet shares tokens through Redis: several registries (workers) with their own Redis
 * connections start at once against a real `oidc-provider`, and only one token request is made;
 * a worker that starts later reads the token from Redis. Needs Redis at 127.0.0.1:6379 (or
 * REDIS_URL): fails under CI=true when it is missing, skips loudly otherwise.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, silentLogger } from '../src/index.js';
import { createRedisTokenStore } from '../src/redis.js';
import { startOAuthServer, type TestOAuthServer } from './fixtures/oauth-server.js';
import { type ProtectedMCPServer, startProtectedMCPServer } from './fixtures/protected-mcp-server.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'redis-fleet-secret-6e0b';
const prefix = `toolwire-test:${process.pid}:${Date.now()}:`;

async function redisAvailable(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const available = await redisAvailable();
if (!available) {
  if (process.env.CI === 'true') throw new Error(`Redis is required in CI but not reachable at ${REDIS_URL}`);
  console.warn(`\n!!! Redis not reachable at ${REDIS_URL}: SKIPPING the Redis token store tests !!!\n`);
}

describe.runIf(available)('Redis token store', () => {
  let oauth: TestOAuthServer;
  let mcp: ProtectedMCPServer;
  const clients: Redis[] = [];

  beforeAll(async () => {
    oauth = await startOAuthServer({
      clients: [
        { clientId: 'fleet', clientSecret: SECRET, authMethod: 'client_secret_basic', scope: 'mcp:tools' },
      ],
    });
    mcp = await startProtectedMCPServer({ issuer: oauth.issuer, jwksUrl: oauth.jwksUrl });
    oauth.defaultResource = mcp.url;
  });

  afterAll(async () => {
    if (clients[0]) {
      const keys = await clients[0].keys(`${prefix}*`);
      if (keys.length > 0) await clients[0].del(...keys);
    }
    for (const client of clients) client.disconnect();
    await mcp?.close();
    await oauth?.close();
  });

  function worker() {
    const redis = new Redis(REDIS_URL);
    clients.push(redis);
    return createRegistry({
      logger: silentLogger,
      cache: 'none',
      tokenStore: createRedisTokenStore({ redis, keyPrefix: prefix }),
      servers: {
        crm: {
          url: mcp.url,
          auth: {
            type: 'client_credentials',
            clientId: 'fleet',
            clientSecret: SECRET,
            tokenUrl: oauth.tokenUrl,
            scope: 'mcp:tools',
          },
        },
      },
    });
  }

  it('lets a fleet of workers share one token', async () => {
    const workers = await Promise.all(Array.from({ length: 8 }, () => worker()));
    try {
      const subjects = await Promise.all(
        workers.map(async (registry) => (await registry.callTool('crm__whoami', {})).text),
      );
      expect(subjects).toEqual(Array(8).fill('fleet'));
      expect(oauth.tokenRequests).toBe(1);

      const late = await worker();
      workers.push(late);
      expect((await late.callTool('crm__whoami', {})).text).toBe('fleet');
      expect(oauth.tokenRequests).toBe(1);

      const keys = await clients[0]?.keys(`${prefix}*`);
      expect(keys?.length).toBe(1);
      expect(keys?.[0]).toMatch(new RegExp(`^${prefix}token:[0-9a-f]{64}$`));
      expect(keys?.join(' ')).not.toContain(SECRET);
    } finally {
      await Promise.all(workers.map((registry) => registry.close()));
    }
  });
});
