/**
 * A `TokenStore` in Redis (ioredis), so a fleet of workers shares one access token per client:
 * the first worker to need a token takes a short lock and fetches it, the others read it from
 * Redis. Node-only; reached through `@toolwire/core/redis`. Keys are `<prefix>token:<sha256>`
 * (no secret in them); values are the tokens themselves, so give Redis the protection you give
 * the credentials.
 */
import type { StoredToken, TokenStore } from './token-store.js';

/** The subset of an ioredis client this store uses. */
export interface RedisTokenStoreClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'PX', milliseconds: number): Promise<unknown>;
  set(key: string, value: string, mode: 'PX', milliseconds: number, condition: 'NX'): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
  eval(script: string, keyCount: number, ...args: (string | number)[]): Promise<unknown>;
}

export interface RedisTokenStoreOptions {
  /** An ioredis client (`new Redis(url)`); the store never closes it. */
  redis: RedisTokenStoreClient;
  /** Prepended to every key. Default `toolwire:`. */
  keyPrefix?: string;
}

const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Creates a Redis-backed token store.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createRedisTokenStore } from '@toolwire/core/redis';
 * const registry = await createRegistry({ servers, tokenStore: createRedisTokenStore({ redis: new Redis() }) });
 * ```
 */
export function createRedisTokenStore(options: RedisTokenStoreOptions): TokenStore {
  const { redis } = options;
  const prefix = options.keyPrefix ?? 'toolwire:';
  return {
    async get(key) {
      const value = await redis.get(prefix + key);
      if (value === null) return undefined;
      try {
        const token = JSON.parse(value) as StoredToken;
        return typeof token.accessToken === 'string' ? token : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, token, ttlMs) {
      await redis.set(prefix + key, JSON.stringify(token), 'PX', Math.max(1, Math.round(ttlMs)));
    },
    async delete(key) {
      await redis.del(prefix + key);
    },
    async acquireLock(key, ttlMs) {
      const owner = globalThis.crypto.randomUUID();
      const acquired = await redis.set(prefix + key, owner, 'PX', Math.max(1, Math.round(ttlMs)), 'NX');
      if (acquired !== 'OK') return undefined;
      return async () => {
        await redis.eval(RELEASE_LOCK, 1, prefix + key, owner);
      };
    },
  };
}
