/**
 * A `TokenStore` in Redis (ioredis), so a fleet of workers shares one access token per client:
 * the first worker to need a token takes a short lock and fetches it, the others read it from
 * Redis. Node-only; reached through `@toolwire/core/redis`. Keys are `<prefix>token:<sha256>`
 * (no secret in them); values are the tokens themselves, so give Redis the protection you give
 * the credentials. Pass your own client (never closed by us) or a `url` (we create the client,
 * and close it when the last registry using the store closes, or on `store.close()`).
 */
import { RedisConnection } from '../stores/redis-connection.js';
import { RESET_STORE, RETAIN_STORE } from '../stores/store-hooks.js';
import type { StoredToken, TokenStore } from './token-store.js';

/** The subset of an ioredis client this store uses. */
export interface RedisTokenStoreClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'PX', milliseconds: number): Promise<unknown>;
  set(key: string, value: string, mode: 'PX', milliseconds: number, condition: 'NX'): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
  eval(script: string, keyCount: number, ...args: (string | number)[]): Promise<unknown>;
}

/** Options for {@link createRedisTokenStore}. Give `redis` or `url`. */
export interface RedisTokenStoreOptions {
  /** An ioredis client (`new Redis(url)`); the store never closes a client you pass. */
  redis?: RedisTokenStoreClient | undefined;
  /**
   * A `redis://` or `rediss://` URL: the store creates its own ioredis client on first use and
   * closes it when the last registry using the store closes (or on `store.close()`).
   */
  url?: string | undefined;
  /** Prepended to every key. Default `toolwire:`. */
  keyPrefix?: string | undefined;
}

const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Creates a Redis-backed token store. While Redis is unreachable, registries fetch tokens
 * directly (one warning per outage naming `Redis token store at redis://host:port`) and use
 * the store again once it answers.
 *
 * @example
 * ```ts
 * import { createRedisTokenStore } from '@toolwire/core/redis';
 * const registry = await createRegistry({
 *   servers,
 *   tokenStore: createRedisTokenStore({ url: 'redis://127.0.0.1:6379', keyPrefix: 'agents:' }),
 * });
 * ```
 */
export function createRedisTokenStore(options: RedisTokenStoreOptions): TokenStore {
  const connection = new RedisConnection<RedisTokenStoreClient>({
    client: options.redis,
    url: options.url,
    factory: 'createRedisTokenStore',
  });
  const prefix = options.keyPrefix ?? 'toolwire:';
  const client = () => connection.client();
  const store: TokenStore & {
    [RETAIN_STORE](): () => Promise<void>;
    [RESET_STORE](): void;
  } = {
    label: `Redis token store at ${connection.location}`,
    async get(key) {
      const value = await (await client()).get(prefix + key);
      if (value === null) return undefined;
      try {
        const token = JSON.parse(value) as StoredToken;
        return typeof token.accessToken === 'string' ? token : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, token, ttlMs) {
      await (await client()).set(prefix + key, JSON.stringify(token), 'PX', Math.max(1, Math.round(ttlMs)));
    },
    async delete(key) {
      await (await client()).del(prefix + key);
    },
    async acquireLock(key, ttlMs) {
      const redis = await client();
      const owner = globalThis.crypto.randomUUID();
      const acquired = await redis.set(prefix + key, owner, 'PX', Math.max(1, Math.round(ttlMs)), 'NX');
      if (acquired !== 'OK') return undefined;
      return async () => {
        await redis.eval(RELEASE_LOCK, 1, prefix + key, owner);
      };
    },
    close: () => connection.close(),
    [RETAIN_STORE]: () => connection.retain(),
    [RESET_STORE]: () => connection.reset(),
  };
  return store;
}
