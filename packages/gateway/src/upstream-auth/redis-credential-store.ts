/**
 * Per-user upstream credentials in Redis, so every gateway instance of a fleet reads the same
 * ones. Keys are `<prefix>:<principal digest>:<server>`: the digest is the publisher's
 * `principalKey` of the caller (issuer, subject and client, hashed), never an identity or a token.
 * Values are the credentials as JSON, or with `encryptionKey` that JSON sealed with AES-256-GCM
 * and bound to its key (core's `createAtRestEncryption`, as its Redis token store does), so a
 * value moved under another caller's key does not decrypt. The caller owns the client (ioredis,
 * or any with the same `get`/`set`/`del` signatures); the store never closes it.
 */
import {
  createAtRestEncryption,
  type EncryptionKey,
  type EncryptionKeyRotation,
  ToolwireError,
} from '@toolwire/core';
import type { UpstreamCredential, UpstreamCredentialStore } from './credential-store.js';

/** The Redis commands the store uses (ioredis's signatures). */
export interface RedisCredentialStoreClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
  set(key: string, value: string, mode: 'PX', milliseconds: number): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
}

export interface RedisCredentialStoreOptions {
  /** An ioredis client (not closed by the store). */
  redis: RedisCredentialStoreClient;
  /** Key prefix; give each deployment (and each test run) its own. Default `toolwire:gateway:credentials`. */
  prefix?: string | undefined;
  /**
   * Encrypts the stored credentials (AES-256-GCM): 32 bytes, as a `Uint8Array` or in Base64 or
   * hex; every gateway instance (and whatever writes the credentials) needs the same key. A value
   * written without it, with another key or under another key is refused (`DECRYPTION_FAILED`;
   * the call fails with `AUTH_FAILED` naming the server). Default: stored as plain JSON. To rotate
   * the key, give `{ current, previous: [oldKey] }`: credentials are written with `current`, and
   * those written with an old key still decrypt until `set` writes them again (with `current`).
   */
  encryptionKey?: EncryptionKey | EncryptionKeyRotation | undefined;
}

/** A credential store in Redis; `set` and `delete` take the caller's `principalKey` digest. */
export interface RedisCredentialStore extends UpstreamCredentialStore {
  /**
   * Stores `credential` for the caller whose `principalKey(authInfo)` is `principal` (a
   * `sha256:…` digest) and the upstream `server`; `ttlMs` lets it expire (default: never).
   */
  set(principal: string, server: string, credential: UpstreamCredential, ttlMs?: number): Promise<void>;
  delete(principal: string, server: string): Promise<void>;
}

/**
 * Creates the Redis-backed store for `upstreamAuth: { <server>: { kind: 'per-user', store } }`.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { principalKey } from '@toolwire/publisher';
 * import { createRedisCredentialStore } from '@toolwire/gateway';
 *
 * const store = createRedisCredentialStore({ redis: new Redis(process.env.REDIS_URL!), prefix: 'acme-gw:credentials' });
 * // Where the user connects their account (their verified `authInfo` at hand):
 * await store.set(await principalKey(authInfo), 'github', { token: theirGitHubToken });
 * ```
 */
export function createRedisCredentialStore(options: RedisCredentialStoreOptions): RedisCredentialStore {
  const prefix = options.prefix ?? 'toolwire:gateway:credentials';
  const { redis } = options;
  const encryption = createAtRestEncryption(options.encryptionKey, 'createRedisCredentialStore');
  const keyOf = (principal: string, server: string) => `${prefix}:${principal}:${encodeURIComponent(server)}`;
  return {
    async get(principal, server) {
      const key = keyOf(principal.key, server);
      const stored = await redis.get(key);
      if (stored === null) return undefined;
      const credential = parseCredential(await encryption.open(stored, key));
      if (!credential) {
        // The value itself is never quoted: it may hold a secret.
        throw new ToolwireError({
          code: 'AUTH_FAILED',
          server,
          message: `The Redis credential at "${key}" is not a JSON object with a string "token" and/or string "headers".`,
        });
      }
      return credential;
    },
    async set(principal, server, credential, ttlMs) {
      const key = keyOf(principal, server);
      const json = JSON.stringify({
        ...(credential.token === undefined ? {} : { token: credential.token }),
        ...(credential.headers === undefined ? {} : { headers: credential.headers }),
      });
      const value = await encryption.seal(json, key);
      if (ttlMs === undefined) await redis.set(key, value);
      else await redis.set(key, value, 'PX', Math.max(1, Math.round(ttlMs)));
    },
    async delete(principal, server) {
      await redis.del(keyOf(principal, server));
    },
  };
}

function parseCredential(value: string): UpstreamCredential | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const { token, headers } = parsed as { token?: unknown; headers?: unknown };
  if (token !== undefined && typeof token !== 'string') return undefined;
  if (headers !== undefined) {
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return undefined;
    if (!Object.values(headers).every((header) => typeof header === 'string')) return undefined;
  }
  return {
    ...(token === undefined ? {} : { token }),
    ...(headers === undefined ? {} : { headers: headers as Record<string, string> }),
  };
}
