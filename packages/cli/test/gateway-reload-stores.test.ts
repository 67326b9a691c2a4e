/**
 * `toolwire gateway` lets go of a Redis client once a reload stops naming its URL, run as a user
 * runs it (the built CLI spawned as a process) against the shared Redis: rate limits
 * counted in database 1, a `per-user` credential store in database 3. A reload that moves the
 * rate limits to database 2 puts the new client in place (calls are counted there) and then
 * closes the database-1 client, while the credential store's client, still named, stays; a
 * rejected reload naming database 4 keeps the served configuration's clients and closes the one
 * it opened. The CLI's connections are told apart in Redis's `CLIENT LIST` by their name,
 * `toolwire-gateway:<pid>`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../core/test/support/index.js';
import {
  connectSharedRedis,
  deletePrefix,
  sharedRedisUrl,
  uniquePrefix,
} from '../../core/test/support/redis-servers.js';
import { type GatedUpstream, startGatedUpstream } from '../../gateway/test/support/gated-upstream.js';
import { type GatewayProcess, startGatewayProcess } from './support/gateway-process.js';

const redis = await connectSharedRedis();
const prefix = uniquePrefix('cli-gateway-reload-stores').replace(/:$/, '');

/** The shared Redis URL, on database `db`. */
const database = (db: number) => {
  const url = new URL(sharedRedisUrl);
  url.pathname = `/${db}`;
  return url.href;
};

let directory: string;
let upstream: GatedUpstream;
let cli: GatewayProcess | undefined;
const byDatabase = new Map<number, Redis>();

beforeAll(async () => {
  if (!redis) return;
  directory = await mkdtemp(join(tmpdir(), 'toolwire-cli-gateway-reload-stores-'));
  upstream = await startGatedUpstream('alpha');
  for (const db of [1, 2]) byDatabase.set(db, new Redis(database(db)));
});

afterAll(async () => {
  await cli?.stop();
  await upstream?.close();
  for (const client of byDatabase.values()) {
    await deletePrefix(client, prefix);
    await client.quit();
  }
  await redis?.quit();
  if (directory) await rm(directory, { recursive: true, force: true });
});

/** The databases the CLI process holds connections to, from Redis's `CLIENT LIST`. */
async function cliDatabases(pid: number): Promise<number[]> {
  const list = (await (redis as Redis).client('LIST')) as string;
  return list
    .split('\n')
    .filter((line) => line.includes(` name=toolwire-gateway:${pid} `))
    .map((line) => Number(/ db=(\d+) /.exec(line)?.[1]))
    .sort();
}

const config = (rateLimitsDb: number, name = 'reloading') => ({
  mcpServers: {
    alpha: { url: upstream.url, type: 'http' },
    // Never called here: it is what keeps the credential store (and its client) named.
    personal: { url: upstream.url, type: 'http' },
  },
  gateway: {
    name,
    upstreamAuth: {
      personal: { kind: 'per-user', store: { type: 'redis', url: database(3), prefix } },
    },
    policy: {
      rateLimits: [{ name: 'all', per: 'principal', limit: 100, windowMs: 600_000 }],
      rateLimitStore: { type: 'redis', url: database(rateLimitsDb), prefix },
    },
  },
});

describe.skipIf(!redis)('toolwire gateway: Redis clients across reloads', () => {
  it('closes the client of a URL the reloaded file no longer names, once the new one is in place', async () => {
    const path = join(directory, 'gateway.json');
    await writeFile(path, JSON.stringify(config(1)));
    cli = await startGatewayProcess(path);
    const pid = cli.pid;
    const client = new Client({ name: 'cli-reload-stores', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(cli.url)));
    const counters = (db: number) => (byDatabase.get(db) as Redis).keys(`${prefix}:all:*`);
    try {
      await client.callTool({ name: 'alpha__whoami', arguments: {} });
      expect(await counters(1)).toHaveLength(1);
      await waitFor(async () => (await cliDatabases(pid)).join() === '1,3', {
        message: 'the CLI connected to databases 1 and 3',
      });

      await writeFile(path, JSON.stringify(config(2)));
      process.kill(pid, 'SIGHUP');
      await cli.waitForOutput(/reloaded /, 30_000);
      // The new store counts the calls…
      await client.callTool({ name: 'alpha__whoami', arguments: {} });
      expect(await counters(2)).toHaveLength(1);
      // …and the client of database 1 is gone; the credential store's (still named) stays.
      await waitFor(async () => (await cliDatabases(pid)).join() === '2,3', {
        message: 'the database-1 client closed after the reload',
      });

      // A rejected reload (a restart-only change) keeps what is served and closes what it opened.
      await writeFile(path, JSON.stringify(config(4, 'renamed')));
      process.kill(pid, 'SIGHUP');
      await cli.waitForOutput(/reload of .* rejected/, 30_000);
      await waitFor(async () => (await cliDatabases(pid)).join() === '2,3', {
        message: 'the database-4 client closed after the rejected reload',
      });
      await client.callTool({ name: 'alpha__whoami', arguments: {} });
      expect(await counters(2)).toHaveLength(1);
      // Still so a round trip later (a client the rejected reload left open would have connected by now).
      expect(await cliDatabases(pid)).toEqual([2, 3]);
      expect(cli.output.join('\n')).not.toContain('Error:');
    } finally {
      await client.close();
    }
  });
});
