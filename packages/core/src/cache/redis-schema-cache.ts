/**
 * A schema cache store in Redis, so a fleet of agent workers shares one catalogue and starts
 * without touching the servers. ioredis is an optional peer dependency: pass a client you built,
 * or a URL and ioredis is loaded on demand. Exported from `@toolwire/core/redis`.
 */
import type { SchemaCacheStore } from './schema-cache-store.js';

/** The few ioredis commands the store uses (any compatible client fits). */
export interface RedisSchemaCacheClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'PX', milliseconds: number): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
  quit?(): Promise<unknown>;
  disconnect?(): void;
}

/** Options for {@link createRedisSchemaCache}. Give `client` or `url`. */
export interface RedisSchemaCacheOptions {
  /** An ioredis client (or compatible). The store never closes a client it did not create. */
  client?: RedisSchemaCacheClient | undefined;
  /** A `redis://` URL; the store creates (and closes) its own ioredis client. */
  url?: string | undefined;
  /** Prepended to every key. Default `'toolwire:'`; use one per application or test run. */
  keyPrefix?: string | undefined;
  /**
   * Caps the TTL of every entry (ms). The registry passes its own `cacheTtlMs` (default 24 h);
   * this cap wins when smaller. Default: no cap.
   */
  maxTtlMs?: number | undefined;
}

/**
 * Creates a Redis-backed schema cache store. When Redis is unreachable the registry keeps working
 * on its local cache (one warning), and goes back to Redis once it answers again.
 *
 * @example
 * ```ts
 * import { createRedisSchemaCache } from '@toolwire/core/redis';
 * const registry = await createRegistry({
 *   servers,
 *   loading: 'lazy',
 *   cache: createRedisSchemaCache({ url: 'redis://127.0.0.1:6379', keyPrefix: 'agents:' }),
 * });
 * ```
 */
export function createRedisSchemaCache(options: RedisSchemaCacheOptions): SchemaCacheStore {
  const prefix = `${options.keyPrefix ?? 'toolwire:'}schema:`;
  const ownsClient = options.client === undefined;
  if (!options.client && !options.url) {
    throw new TypeError('createRedisSchemaCache needs a `client` or a `url`');
  }
  let clientPromise: Promise<RedisSchemaCacheClient> | undefined = options.client
    ? Promise.resolve(options.client)
    : undefined;
  const client = (): Promise<RedisSchemaCacheClient> => {
    clientPromise ??= createIORedisClient(options.url!);
    return clientPromise;
  };
  const ttlOf = (ttlMs: number) => Math.max(1, Math.round(Math.min(ttlMs, options.maxTtlMs ?? ttlMs)));

  return {
    kind: 'redis',
    async get(key) {
      return (await (await client()).get(prefix + key)) ?? undefined;
    },
    async set(key, value, ttlMs) {
      await (await client()).set(prefix + key, value, 'PX', ttlOf(ttlMs));
    },
    async delete(key) {
      await (await client()).del(prefix + key);
    },
    async close() {
      if (!ownsClient || !clientPromise) return;
      const created = await clientPromise.catch(() => undefined);
      clientPromise = undefined;
      if (!created) return;
      try {
        await created.quit?.();
      } catch {
        created.disconnect?.();
      }
    },
  };
}

async function createIORedisClient(url: string): Promise<RedisSchemaCacheClient> {
  let RedisClass: typeof import('ioredis').Redis;
  try {
    ({ Redis: RedisClass } = await import('ioredis'));
  } catch (error) {
    throw new Error('createRedisSchemaCache({ url }) needs the optional peer dependency "ioredis"', {
      cause: error,
    });
  }
  const client = new RedisClass(url, {
    // Fail fast while Redis is away: the registry falls back to its local cache meanwhile.
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(200 * times, 5_000),
  });
  // Outages are reported once by the registry; ioredis would otherwise print every reconnect failure.
  client.on('error', () => {});
  return client as unknown as RedisSchemaCacheClient;
}
