/**
 * The in-process schema cache store: a `Map` with expiry times. Used when `cache: 'memory'`, as the
 * fallback of every shared store, and on runtimes without a file system.
 */
import type { SchemaCacheStore } from './schema-cache-store.js';

/** Options for {@link createMemorySchemaCache}. */
export interface MemorySchemaCacheOptions {
  /** Most entries kept; the oldest written is dropped past it. Default 1,000. */
  maxEntries?: number;
}

/**
 * Creates a schema cache store that lives as long as the process.
 *
 * @example
 * ```ts
 * const registry = await createRegistry({ servers, cache: createMemorySchemaCache() });
 * ```
 */
export function createMemorySchemaCache(options: MemorySchemaCacheOptions = {}): SchemaCacheStore {
  const maxEntries = options.maxEntries ?? 1_000;
  const entries = new Map<string, { value: string; expiresAt: number }>();
  return {
    kind: 'memory',
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (Date.now() >= entry.expiresAt) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key, value, ttlMs) {
      entries.delete(key);
      entries.set(key, { value, expiresAt: Date.now() + ttlMs });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    delete(key) {
      entries.delete(key);
    },
  };
}
