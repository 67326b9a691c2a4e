/**
 * Per-user upstream credentials in Redis, so every gateway instance of a fleet reads the same
 * ones. Keys are `<prefix>:<principal digest>:<server>`: the digest is the publisher's
 * `principalKey` of the caller (issuer, subject and client, hashed), never an identity or a token.
 * Values are the credentials as JSON, as core's Redis token store keeps its tokens (core has no
 * encryption at rest): give Redis the protection you give the credentials. The caller owns the
 * client (ioredis, or any with the same `get`/`set`/`del` signatures); the store never closes it.
 */
import { ToolwireError } from '@toolwire/core';
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
  const keyOf = (principal: string, server: string) => `${prefix}:${principal}:${encodeURIComponent(server)}`;
  return {
    async get(principal, server) {
      const key = keyOf(principal.key, server);
      const value = await redis.get(key);
      if (value === null) return undefined;
      const credential = parseCredential(value);
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
      const value = JSON.stringify({
        ...(credential.token === undefined ? {} : { token: credential.token }),
        ...(credential.headers === undefined ? {} : { headers: credential.headers }),
      });
      if (ttlMs === undefined) await redis.set(keyOf(principal, server), value);
      else await redis.set(keyOf(principal, server), value, 'PX', Math.max(1, Math.round(ttlMs)));
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
