/**
 * The storage seam of the schema cache: a tiny key → string store with a TTL. Memory, file and
 * Redis stores implement it, and so can any other (a KV namespace, a database table). Methods may
 * answer synchronously or with a promise, so an in-process store costs no extra tick.
 */

/** The default time a cached catalogue lives: 24 hours. */
export const DEFAULT_SCHEMA_CACHE_TTL_MS = 24 * 60 * 60 * 1000;

/** A value, or a promise of one. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Where the registry keeps server catalogues between runs. Keys are opaque fingerprints (hex
 * digests of a server's identity, never a secret); values are JSON strings.
 *
 * @example A store over any key-value service
 * ```ts
 * const store: SchemaCacheStore = {
 *   get: (key) => kv.get(key) ?? undefined,
 *   set: (key, value, ttlMs) => kv.put(key, value, { expirationTtl: Math.ceil(ttlMs / 1000) }),
 *   delete: (key) => kv.delete(key),
 * };
 * await createRegistry({ servers, cache: store });
 * ```
 */
export interface SchemaCacheStore {
  /** A short name for log lines (`'memory'`, `'file'`, `'redis'`). */
  readonly kind?: string;
  /**
   * Names the store in warnings, without credentials: `Redis schema cache at
   * redis://10.0.0.5:6379`. Default `<kind> schema cache`.
   */
  readonly label?: string;
  /** The stored value, or `undefined` when missing or expired. */
  get(key: string): MaybePromise<string | undefined | null>;
  /** Stores a value that expires after `ttlMs` milliseconds. */
  set(key: string, value: string, ttlMs: number): MaybePromise<void>;
  delete(key: string): MaybePromise<void>;
  /**
   * Releases what the store holds open (connections it created). Optional. A registry never
   * calls it on a store you passed; it only returns its lease (see the Redis store).
   */
  close?(): MaybePromise<void>;
}
