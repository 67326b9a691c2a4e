/**
 * Where access tokens are kept between requests: in memory by default (one process), or any
 * `TokenStore` (Redis, via `@toolwire/core/redis`) so a fleet of workers shares one token per
 * client instead of each fetching its own. Keys never contain a secret: they are hashes of the
 * client's public parameters (see `token-cache-key.ts`).
 */

/** One cached access token. */
export interface StoredToken {
  accessToken: string;
  /** `Bearer` unless the token endpoint said otherwise. */
  tokenType: string;
  /** The granted scope, when the token endpoint reported it. */
  scope: string | undefined;
  /** When the token was obtained (ms since the epoch). */
  obtainedAt: number;
  /** When the token expires (ms since the epoch); `undefined` when the endpoint gave no lifetime. */
  expiresAt: number | undefined;
}

/**
 * A pluggable token cache. Implementations must be safe to call concurrently; values are
 * access tokens, so keep the store as private as the credentials that mint them.
 *
 * The registry never waits on a store for long: every call has a deadline (`storeTimeoutMs`,
 * default 1 s), and a store that fails or times out is skipped (tokens are then fetched
 * directly, one warning per outage) until it answers again. Throw (or reject) on failure;
 * never report a failure as a missing value or a held lock.
 */
export interface TokenStore {
  /**
   * Names the store in warnings and errors, without credentials: `Redis token store at
   * redis://10.0.0.5:6379`. Default `token store`.
   */
  readonly label?: string;
  get(key: string): Promise<StoredToken | undefined>;
  /** Stores `token` for `ttlMs` milliseconds (it expires from the store by itself). */
  set(key: string, token: StoredToken, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Optional: a short lock so that one process of a fleet fetches a new token while the others
   * wait for it to appear in the store. Resolves with a release function when acquired, or
   * `undefined` when another holder has the lock; rejects when the store could not be asked
   * (then nobody waits: the token is fetched directly).
   */
  acquireLock?(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
  /**
   * Releases what the store opened itself (a Redis connection it created from a URL). A
   * registry never calls it on a store you passed; it only returns its lease (see the Redis
   * store). Optional.
   */
  close?(): Promise<void>;
}

/**
 * The default store: a map in this process. Expired entries are dropped when read. Pass one
 * store to several registries in a process and they share tokens (and one fetch) too.
 */
export function createMemoryTokenStore(): TokenStore {
  const entries = new Map<string, { token: StoredToken; until: number }>();
  const locks = new Map<string, { owner: object; until: number }>();
  return {
    label: 'memory token store',
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (Date.now() >= entry.until) {
        entries.delete(key);
        return undefined;
      }
      return entry.token;
    },
    async set(key, token, ttlMs) {
      entries.set(key, { token, until: Date.now() + ttlMs });
    },
    async delete(key) {
      entries.delete(key);
    },
    async acquireLock(key, ttlMs) {
      const held = locks.get(key);
      if (held && Date.now() < held.until) return undefined;
      const owner = {};
      locks.set(key, { owner, until: Date.now() + ttlMs });
      return async () => {
        if (locks.get(key)?.owner === owner) locks.delete(key);
      };
    },
  };
}
