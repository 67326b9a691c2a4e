/**
 * A `TokenStore` in Redis (ioredis), so a fleet of workers shares one access token per client:
 * the first worker to need a token takes a short lock and fetches it, the others read it from
 * Redis. Node-only; reached through `@toolwire/core/redis`. Keys are `<prefix>token:<sha256>`
 * (no secret in them); values are the tokens as JSON, or with `encryptionKey` that JSON sealed
 * with AES-256-GCM (`stores/at-rest-encryption.ts`). Pass your own client (never closed by us) or
 * a `url` (we create the client, and close it when the last registry using the store closes, or
 * on `store.close()`).
 */
import {
  createAtRestEncryption,
  type EncryptionKey,
  type EncryptionKeyRotation,
} from '../stores/at-rest-encryption.js';
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
  /**
   * Encrypts the stored tokens (AES-256-GCM, each bound to its key): 32 bytes, as a `Uint8Array`
   * or in Base64 or hex. Every worker sharing the store needs the same key. A token written
   * without it, or with another key, is not used (`DECRYPTION_FAILED`, reported like an outage:
   * one warning, tokens fetched directly). Default: stored as plain JSON. To rotate the key, give
   * `{ current, previous: [oldKey] }`: tokens are written with `current` and those written with an
   * old key are still used (each is written with `current` when next fetched).
   */
  encryptionKey?: EncryptionKey | EncryptionKeyRotation | undefined;
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
  const encryption = createAtRestEncryption(options.encryptionKey, 'createRedisTokenStore');
  const client = () => connection.client();
  const store: TokenStore & {
    [RETAIN_STORE](): () => Promise<void>;
    [RESET_STORE](): void;
  } = {
    label: `Redis token store at ${connection.location}`,
    async get(key) {
      const stored = await (await client()).get(prefix + key);
      if (stored === null) return undefined;
      const value = await encryption.open(stored, prefix + key);
      try {
        const token = JSON.parse(value) as StoredToken;
        return typeof token.accessToken === 'string' ? token : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, token, ttlMs) {
      const value = await encryption.seal(JSON.stringify(token), prefix + key);
      await (await client()).set(prefix + key, value, 'PX', Math.max(1, Math.round(ttlMs)));
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
