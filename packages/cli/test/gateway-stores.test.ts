/**
 * `toolwire gateway --config` with the stores a file can name, run as a user runs it (the CLI
 * spawned as a process): a `per-user` upstream credential store in memory (its token read from the
 * environment) and rate limits counted in Redis (the shared Redis at 127.0.0.1:6379, a prefix of
 * this run's own). Downstream users hold real tokens from a real OAuth server; the upstream (our
 * publisher on loopback) answers with the bearer token it was called with. Alice's call carries
 * her stored credential, Bob (none stored) gets AUTH_FAILED and nothing upstream, Alice's third
 * call is over the limit, and the counters are in Redis under the configured prefix.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectSharedRedis,
  deletePrefix,
  sharedRedisUrl,
  uniquePrefix,
} from '../../core/test/support/redis-servers.js';
import { gatewayAuth, gatewayToken } from '../../gateway/test/support/gateway-users.js';
import { createPublisher, defineTool, type ListeningPublisher } from '../../publisher/src/index.js';
import { type OAuthServer, startOAuthServer } from '../../publisher/test/support/oauth-server.js';
import { type GatewayProcess, startGatewayProcess } from './support/gateway-process.js';

const redis = await connectSharedRedis();
const prefix = uniquePrefix('cli-gateway-rate').replace(/:$/, '');
const ALICE_UPSTREAM_TOKEN = 'alice-upstream-token-from-env';

let directory: string;
let oauth: OAuthServer;
let upstream: ListeningPublisher;
let cli: GatewayProcess | undefined;
/** Every bearer token the upstream was called with. */
const seenTokens: string[] = [];

beforeAll(async () => {
  if (!redis) return;
  directory = await mkdtemp(join(tmpdir(), 'toolwire-cli-gateway-stores-'));
  oauth = await startOAuthServer();
  upstream = await createPublisher({
    name: 'token-echo',
    version: '1.0.0',
    onError: () => {},
    // Any bearer token is accepted and remembered: what matters is which one the gateway sends.
    http: {
      auth: {
        authorizationServers: ['http://127.0.0.1/unused'],
        verify: async (token) => ({
          token,
          clientId: 'upstream',
          scopes: [],
          expiresAt: Math.floor(Date.now() / 1000) + 3600,
        }),
      },
    },
    tools: [
      defineTool({
        name: 'whoami',
        description: 'Answers with the bearer token of the call.',
        execute: (_args, context) => {
          const token = context.authInfo?.token ?? '(none)';
          seenTokens.push(token);
          return token;
        },
      }),
    ],
  }).listen();
});

afterAll(async () => {
  await cli?.stop();
  await upstream?.close();
  await oauth?.close();
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
  if (directory) await rm(directory, { recursive: true, force: true });
});

const textOf = (result: { content?: unknown }) =>
  (result.content as { type: string; text?: string }[]).map((block) => block.text ?? '').join('\n');

async function connectAs(url: string, user: 'agent' | 'agent-b'): Promise<Client> {
  const token = await gatewayToken(oauth, user);
  const client = new Client({ name: `cli-stores-${user}`, version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

describe.skipIf(!redis)(
  'toolwire gateway: per-user credentials and Redis rate limits from the config file',
  () => {
    it('sends each user their own stored credential and counts their calls in Redis', async () => {
      const path = join(directory, 'gateway.json');
      await writeFile(
        path,
        JSON.stringify({
          mcpServers: {
            upstream: {
              url: upstream.url,
              type: 'http',
              headers: { Authorization: 'Bearer gateway-service' },
            },
          },
          gateway: {
            auth: gatewayAuth(oauth),
            upstreamAuth: {
              upstream: {
                kind: 'per-user',
                store: {
                  type: 'memory',
                  credentials: { agent: { upstream: { token: '${ALICE_UPSTREAM_TOKEN}' } } },
                },
              },
            },
            policy: {
              rateLimits: [{ name: 'per-user', per: 'principal', limit: 2, windowMs: 600_000 }],
              rateLimitStore: { type: 'redis', url: '${TEST_REDIS_URL}', prefix },
            },
          },
        }),
      );
      cli = await startGatewayProcess(path, { ALICE_UPSTREAM_TOKEN, TEST_REDIS_URL: sharedRedisUrl });
      const url = cli.url;
      const alice = await connectAs(url, 'agent');
      const bob = await connectAs(url, 'agent-b');
      try {
        const call = (client: Client) => client.callTool({ name: 'upstream__whoami', arguments: {} });
        const first = await call(alice);
        expect(first.isError).toBeFalsy();
        expect(textOf(first)).toBe(ALICE_UPSTREAM_TOKEN);

        const refused = await call(bob);
        expect(refused.isError).toBe(true);
        expect(textOf(refused)).toContain("needs this caller's own credential");
        expect(seenTokens).toEqual([ALICE_UPSTREAM_TOKEN]);

        expect((await call(alice)).isError).toBeFalsy();
        const limited = await call(alice);
        expect(limited.isError).toBe(true);
        expect(limited._meta?.['dev.toolwire/error']).toMatchObject({
          code: 'RATE_LIMITED',
          limit: 'per-user',
        });
        expect(seenTokens).toHaveLength(2);

        // The counters are in Redis, one per caller, under the configured prefix.
        const keys = await (redis as NonNullable<typeof redis>).keys(`${prefix}:per-user:principal:*`);
        expect(keys).toHaveLength(2);
      } finally {
        await alice.close();
        await bob.close();
      }
    });
  },
);
