/**
 * A schema cache store in Redis, so a fleet of agent workers shares one catalogue and starts
 * without touching the servers. ioredis is an optional peer dependency: pass a client you built
 * (never closed by us), or a URL and ioredis is loaded on demand (that client is closed when the
 * last registry using the store closes, or on `store.close()`). Exported from
 * `@toolwire/core/redis`.
 */
import { RedisConnection } from '../stores/redis-connection.js';
import { RESET_STORE, RETAIN_STORE } from '../stores/store-hooks.js';
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
  /**
   * A `redis://` or `rediss://` URL: the store creates its own ioredis client on first use and
   * closes it when the last registry using the store closes (or on `store.close()`).
   */
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
 * Creates a Redis-backed schema cache store. When Redis is unreachable or slow the registry keeps
 * working on its in-process cache (one warning per outage, naming `Redis schema cache at
 * redis://host:port`), and goes back to Redis once it answers again.
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
  const connection = new RedisConnection<RedisSchemaCacheClient>({
    client: options.client,
    url: options.url,
    factory: 'createRedisSchemaCache',
  });
  const prefix = `${options.keyPrefix ?? 'toolwire:'}schema:`;
  const client = () => connection.client();
  const ttlOf = (ttlMs: number) => Math.max(1, Math.round(Math.min(ttlMs, options.maxTtlMs ?? ttlMs)));

  const store: SchemaCacheStore & {
    [RETAIN_STORE](): () => Promise<void>;
    [RESET_STORE](): void;
  } = {
    kind: 'redis',
    label: `Redis schema cache at ${connection.location}`,
    async get(key) {
      return (await (await client()).get(prefix + key)) ?? undefined;
    },
    async set(key, value, ttlMs) {
      await (await client()).set(prefix + key, value, 'PX', ttlOf(ttlMs));
    },
    async delete(key) {
      await (await client()).del(prefix + key);
    },
    close: () => connection.close(),
    [RETAIN_STORE]: () => connection.retain(),
    [RESET_STORE]: () => connection.reset(),
  };
  return store;
}
