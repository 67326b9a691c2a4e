/**
 * Rate limits shared by two gateway instances through a real Redis: two `createGateway` over the
 * same upstream publisher, both counting in one Redis (same prefix), two users with real tokens
 * from a real OAuth server (oidc-provider on loopback), SDK v2 clients downstream. User A
 * exhausts a per-user limit on instance 1 and is limited on instance 2; user B is not; a per-tool
 * limit counts every caller; a window ends when the limiter said it would. Without Redis (a
 * refused connection), the default fails closed and `'open'` lets calls through. Needs Redis at
 * 127.0.0.1:6379 (or REDIS_URL): fails under CI=true when it is missing, skips loudly otherwise.
 */
import { randomUUID } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { silentLogger } from '@toolwire/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type OAuthClientName,
  type OAuthServer,
  startOAuthServer,
} from '../../publisher/test/support/oauth-server.js';
import {
  createGateway,
  createRedisRateLimitStore,
  GATEWAY_ERROR_META_KEY,
  type Gateway,
  type GatewayAuditRecord,
  type GatewayPolicy,
} from '../src/index.js';
import { GATEWAY_RESOURCE, gatewayAuth } from './support/gateway-users.js';
import { startUpstreamPublisher, type UpstreamPublisher } from './support/upstream-publisher.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAvailable(): Promise<boolean> {
  const probe = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const available = await redisAvailable();
if (!available) {
  if (process.env.CI === 'true')
    throw new Error(`Redis is required in CI and is not reachable at ${redisUrl}.`);
  console.warn(`\n!!! Redis not reachable at ${redisUrl}: the gateway rate-limit test is SKIPPED !!!\n`);
}

type CallResult = Awaited<ReturnType<Client['callTool']>>;
const textOf = (result: CallResult) =>
  (result.content as { type: string; text?: string }[]).map((block) => block.text ?? '').join('\n');
const refusalOf = (result: CallResult) =>
  (result._meta as Record<string, { code: string; limit?: string; retryAfterMs?: number }> | undefined)?.[
    GATEWAY_ERROR_META_KEY
  ];

describe.skipIf(!available)('rate limits shared by two gateway instances through Redis', () => {
  const prefix = `toolwire-test:gateway-rate:${randomUUID()}`;
  let redis: Redis;
  let oauth: OAuthServer;
  let upstream: UpstreamPublisher;
  const gateways: Gateway[] = [];
  const urls: string[] = [];
  const clients: Client[] = [];
  const audit: GatewayAuditRecord[] = [];

  const gatewayWith = async (
    policy: GatewayPolicy,
    auth = true,
  ): Promise<{ gateway: Gateway; url: string }> => {
    const gateway = await createGateway({
      upstreams: {
        servers: { upstream: { url: upstream.url, type: 'http' } },
        cache: 'memory',
        logger: silentLogger,
      },
      upstreamSessions: 'shared',
      policy,
      publisher: {
        onError: () => {},
        ...(auth
          ? {
              http: {
                auth: gatewayAuth(oauth),
              },
            }
          : {}),
      },
    });
    gateways.push(gateway);
    return { gateway, url: (await gateway.listen()).url };
  };

  beforeAll(async () => {
    redis = new Redis(redisUrl);
    oauth = await startOAuthServer();
    upstream = await startUpstreamPublisher();
    // Two instances, as behind a load balancer: separate processes' worth of state, one Redis.
    for (let instance = 0; instance < 2; instance++) {
      const { url } = await gatewayWith({
        rateLimits: [
          {
            name: 'forecast-per-user',
            per: 'principal+tool',
            tools: ['upstream__forecast'],
            limit: 2,
            windowMs: 60_000,
          },
          { name: 'recall-for-all', per: 'tool', tools: ['upstream__recall'], limit: 3, windowMs: 60_000 },
          { name: 'chatty-burst', per: 'principal', tools: ['upstream__chatty'], limit: 1, windowMs: 1_000 },
        ],
        rateLimitStore: createRedisRateLimitStore({ redis, prefix }),
        onAudit: (record) => audit.push(record),
      });
      urls.push(url);
    }
  });

  afterAll(async () => {
    for (const client of clients.splice(0)) await client.close().catch(() => {});
    for (const gateway of gateways.splice(0)) await gateway.close().catch(() => {});
    await upstream?.close();
    await oauth?.close();
    if (redis) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });

  async function connect(url: string, user?: OAuthClientName): Promise<Client> {
    const headers: Record<string, string> = {};
    if (user)
      headers.authorization = `Bearer ${await oauth.token({ resource: GATEWAY_RESOURCE, scope: 'mcp', client: user })}`;
    const client = new Client({ name: `gateway-rate-${user ?? 'anonymous'}`, version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
    clients.push(client);
    return client;
  }

  it('limits user A on instance 2 after A used up the limit on instance 1; user B is unaffected', async () => {
    const aliceOn1 = await connect(urls[0] as string, 'agent');
    const aliceOn2 = await connect(urls[1] as string, 'agent');
    const bobOn2 = await connect(urls[1] as string, 'agent-b');
    const forecast = { name: 'upstream__forecast', arguments: { city: 'Oslo' } };

    expect((await aliceOn1.callTool(forecast)).isError).toBeFalsy();
    expect((await aliceOn1.callTool(forecast)).isError).toBeFalsy();
    const limited = await aliceOn2.callTool(forecast);
    expect(limited.isError).toBe(true);
    expect(textOf(limited)).toContain('Rate limit "forecast-per-user" reached for "upstream__forecast"');
    expect(refusalOf(limited)).toMatchObject({ code: 'RATE_LIMITED', limit: 'forecast-per-user' });
    expect(refusalOf(limited)?.retryAfterMs).toBeGreaterThan(0);

    const bob = await bobOn2.callTool(forecast);
    expect(bob.isError).toBeFalsy();
    expect(bob.structuredContent).toEqual({ city: 'Oslo', celsius: 21.5 });

    expect(audit.find((record) => record.outcome === 'rate-limited')).toMatchObject({
      tool: 'upstream__forecast',
      errorCode: 'RATE_LIMITED',
    });
    // Keys hold principal digests, never tokens or subjects.
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.some((key) => key.includes('forecast-per-user:principal+tool:sha256:'))).toBe(true);
    expect(keys.join('\n')).not.toMatch(/agent|eyJ/);
  });

  it('a per-tool limit counts every caller, on every instance', async () => {
    const alice = await connect(urls[0] as string, 'agent');
    const bob = await connect(urls[1] as string, 'agent-b');
    const recall = { name: 'upstream__recall', arguments: {} };
    expect((await alice.callTool(recall)).isError).toBeFalsy();
    expect((await bob.callTool(recall)).isError).toBeFalsy();
    expect((await alice.callTool(recall)).isError).toBeFalsy();
    const limited = await bob.callTool(recall);
    expect(refusalOf(limited)).toMatchObject({ code: 'RATE_LIMITED', limit: 'recall-for-all' });
    expect(refusalOf(await alice.callTool(recall))).toMatchObject({ code: 'RATE_LIMITED' });
    // Other tools are not under this limit.
    expect(
      (await bob.callTool({ name: 'upstream__forecast', arguments: { city: 'Bergen' } })).isError,
    ).toBeFalsy();
  });

  it('lets calls through again once the window the limiter reported has passed', async () => {
    const alice = await connect(urls[0] as string, 'agent');
    const aliceOn2 = await connect(urls[1] as string, 'agent');
    const chatty = { name: 'upstream__chatty', arguments: {} };
    expect((await alice.callTool(chatty)).isError).toBeFalsy();
    let result = await aliceOn2.callTool(chatty);
    expect(refusalOf(result)).toMatchObject({ code: 'RATE_LIMITED', limit: 'chatty-burst' });
    // Wait as long as the limiter says, and again if a call lands just inside the old window.
    for (let attempt = 0; attempt < 5 && refusalOf(result)?.code === 'RATE_LIMITED'; attempt++) {
      const retryAfterMs = refusalOf(result)?.retryAfterMs as number;
      expect(retryAfterMs).toBeGreaterThan(0);
      expect(retryAfterMs).toBeLessThanOrEqual(1_000);
      await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
      result = await aliceOn2.callTool(chatty);
    }
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('chatty done');
  });

  it('fails closed when Redis is unreachable, unless told to fail open', async () => {
    // A real client to a port nothing listens on: every command fails at once.
    const down = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    down.on('error', () => {});
    const errors: Error[] = [];
    const limits: GatewayPolicy['rateLimits'] = [{ per: 'principal', limit: 100, windowMs: 60_000 }];
    try {
      const closed = await gatewayWith(
        { rateLimits: limits, rateLimitStore: createRedisRateLimitStore({ redis: down }) },
        false,
      );
      const client = await connect(closed.url);
      const refused = await client.callTool({ name: 'upstream__forecast', arguments: { city: 'Oslo' } });
      expect(refused.isError).toBe(true);
      expect(refusalOf(refused)).toMatchObject({ code: 'STORE_UNAVAILABLE' });
      expect(textOf(refused)).toContain('cannot check its rate limits for "upstream__forecast"');

      const open = await createGateway({
        registry: closed.gateway.registry,
        upstreamSessions: 'shared',
        policy: {
          rateLimits: limits,
          rateLimitStore: createRedisRateLimitStore({ redis: down }),
          rateLimitStoreFailure: 'open',
        },
        publisher: { onError: (error) => errors.push(error) },
      });
      gateways.push(open);
      const openClient = await connect((await open.listen()).url);
      const allowed = await openClient.callTool({ name: 'upstream__forecast', arguments: { city: 'Oslo' } });
      expect(allowed.isError).toBeFalsy();
      expect(errors.map((error) => (error as { code?: string }).code)).toContain('STORE_UNAVAILABLE');
    } finally {
      down.disconnect();
    }
  });
});

describe('rate limits checked at start', () => {
  it.each([
    [{ rateLimits: {} }, 'policy.rateLimits must be an array'],
    [{ rateLimits: [{ per: 'user', limit: 1, windowMs: 1 }] }, 'policy.rateLimits[0].per must be'],
    [
      { rateLimits: [{ per: 'tool', limit: 0, windowMs: 1 }] },
      'policy.rateLimits[0].limit must be a whole number',
    ],
    [{ rateLimits: [{ per: 'tool', limit: 1, windowMs: 1.5 }] }, 'policy.rateLimits[0].windowMs must be'],
    [
      { rateLimits: [{ per: 'tool', tools: 'a', limit: 1, windowMs: 1 }] },
      'policy.rateLimits[0].tools must be',
    ],
    [
      {
        rateLimits: [
          { name: 'x', per: 'tool', limit: 1, windowMs: 1 },
          { name: 'x', per: 'tool', limit: 1, windowMs: 1 },
        ],
      },
      'policy.rateLimits[1].name must be unique',
    ],
    [{ rateLimitStore: {} }, 'policy.rateLimitStore must be a store'],
    [{ rateLimitStoreFailure: 'maybe' }, "policy.rateLimitStoreFailure must be 'closed' or 'open'"],
  ])('rejects %j as CONFIG_INVALID naming the path', async (policy, message) => {
    const failure = createGateway({
      upstreams: { servers: {}, cache: 'memory', logger: silentLogger },
      // biome-ignore lint/suspicious/noExplicitAny: deliberately malformed input
      policy: policy as any,
    });
    await expect(failure).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(failure).rejects.toThrow(message);
  });
});
