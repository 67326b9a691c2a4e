/**
 * Test support for Redis: the shared Redis at 127.0.0.1:6379 (or `REDIS_URL`), which tests use
 * only under a unique key prefix and never stop, and private `redis-server` processes on a free
 * loopback port that a test may kill to simulate an outage.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { StoreRetryOptions } from '../../src/index.js';
import { freePort } from './fault-servers.js';
import { killAndWait } from './processes.js';

export const sharedRedisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A client to the shared Redis, or `undefined` when it is not running. Under `CI=true` a missing
 * Redis is an error (CI must have it); elsewhere the suite says loudly that it skips.
 */
export async function connectSharedRedis(): Promise<Redis | undefined> {
  const client = new Redis(sharedRedisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch (error) {
    client.disconnect();
    if (process.env.CI === 'true')
      throw new Error(`Redis is required in CI but ${sharedRedisUrl} is unreachable`, { cause: error });
    console.warn(
      `\n!!! Redis at ${sharedRedisUrl} is unreachable: SKIPPING the Redis tests (they run in CI) !!!\n`,
    );
    return undefined;
  }
}

/**
 * The registry's `storeRetry` for tests that stop a store and wait for it to be used again: the
 * default pauses (1 s doubling to 30 s) would make such a test wait out up to 30 s of nothing.
 */
export const quickStoreRetry: StoreRetryOptions = { firstPauseMs: 50, maxPauseMs: 200 };

/** A key prefix no other run uses. */
export function uniquePrefix(label: string): string {
  return `toolwire-test:${label}:${randomUUID()}:`;
}

/** Deletes every key under `prefix`. */
export async function deletePrefix(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 200);
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
}

export interface PrivateRedis {
  readonly url: string;
  /** Kills the server (SIGKILL): connected clients see the connection drop. */
  stop(): Promise<void>;
  /** Starts a fresh, empty server on the same port. */
  start(): Promise<void>;
}

/** Starts `redis-server` on a free 127.0.0.1 port, without persistence. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    for (let attempt = 0; ; attempt++) {
      const started = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const ready = await new Promise<boolean>((resolve) => {
        let output = '';
        started.stdout?.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (/Ready to accept connections/i.test(output)) resolve(true);
        });
        started.once('exit', () => resolve(false));
        started.once('error', () => resolve(false));
      });
      if (ready) {
        child = started;
        return;
      }
      if (attempt >= 20) throw new Error(`redis-server did not start on port ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      const running = child;
      child = undefined;
      await killAndWait(running);
    },
    start,
  };
}
