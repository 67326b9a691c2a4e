/**
 * The registry's view of the schema cache: resolves the `cache` option to a store (the file store
 * on Node, memory elsewhere), keys entries by server fingerprint, encodes and decodes them, and
 * never lets a cache failure fail the registry. A store passed in is used under a lease (see
 * `stores/store-hooks.ts`): closing the registry returns it, and a store that opened its own
 * connections closes them once no registry uses it.
 */
import type { ServerDefinition } from '../config/server-config.js';
import type { StoreRetryOptions } from '../stores/store-health.js';
import { retainStore } from '../stores/store-hooks.js';
import { type CachedServerSchema, decodeCachedServerSchema } from './cached-server-schema.js';
import { FallbackSchemaCacheStore } from './fallback-schema-cache.js';
import { createMemorySchemaCache } from './memory-schema-cache.js';
import type { SchemaCacheStore } from './schema-cache-store.js';
import { serverFingerprint } from './server-fingerprint.js';

/**
 * Where tool catalogues are cached between runs: `'file'` (default on Node: a per-user cache
 * directory), `'memory'` (this process only), `'none'`, or any {@link SchemaCacheStore} such as
 * `createRedisSchemaCache()` from `@toolwire/core/redis`.
 */
export type SchemaCacheOption = 'file' | 'memory' | 'none' | SchemaCacheStore;

export interface SchemaCacheSettings {
  /** Entry lifetime (ms). */
  ttlMs: number;
  /** Directory of the file store; default: the per-user cache directory. */
  directory: string | undefined;
  /** Longest wait for one store operation (ms) before using the in-process copy. */
  operationTimeoutMs: number;
  /** Pauses between attempts at a failed store. Default 1 s doubling to 30 s. */
  retry?: StoreRetryOptions | undefined;
  log: (level: 'warn' | 'info' | 'debug', message: string) => void;
}

export class SchemaCache {
  /** `'file'`, `'memory'`, `'redis'`, `'none'`, or a custom store's kind. */
  readonly kind: string;
  private readonly store: SchemaCacheStore | undefined;
  private readonly settings: SchemaCacheSettings;
  /** Stops the fallback's probe and returns the lease on a store passed in. */
  private readonly release: () => Promise<void>;
  private readonly keys = new Map<ServerDefinition, Promise<string>>();

  private constructor(
    store: SchemaCacheStore | undefined,
    settings: SchemaCacheSettings,
    release: () => Promise<void>,
  ) {
    this.store = store;
    this.settings = settings;
    this.release = release;
    this.kind = store?.kind ?? 'none';
  }

  static async create(option: SchemaCacheOption, settings: SchemaCacheSettings): Promise<SchemaCache> {
    const nothing = async () => {};
    if (option === 'none') return new SchemaCache(undefined, settings, nothing);
    if (option === 'memory') return new SchemaCache(createMemorySchemaCache(), settings, nothing);
    if (option === 'file') {
      if (!hasFileSystem()) {
        settings.log('debug', 'no file system in this runtime; the schema cache lives in memory');
        return new SchemaCache(createMemorySchemaCache(), settings, nothing);
      }
      try {
        // Node-only, loaded on demand; `#file-schema-cache` is a stub on other runtimes (package.json imports).
        const { createFileSchemaCache } = await import('#file-schema-cache');
        const store = createFileSchemaCache({ directory: settings.directory });
        const fallback = new FallbackSchemaCacheStore(store, settings);
        // The file store opens a file per operation and keeps nothing open between them.
        return new SchemaCache(fallback, settings, () => fallback.close());
      } catch (error) {
        settings.log('warn', `the file schema cache could not be loaded (${String(error)}); using memory`);
        return new SchemaCache(createMemorySchemaCache(), settings, nothing);
      }
    }
    if (option.kind === 'memory') return new SchemaCache(option, settings, nothing);
    const fallback = new FallbackSchemaCacheStore(option, settings);
    const releaseLease = retainStore(option);
    return new SchemaCache(fallback, settings, async () => {
      await fallback.close();
      await releaseLease();
    });
  }

  /** The cached entry for a server, or `undefined` (missing, expired, unreadable). Never throws. */
  async load(definition: ServerDefinition): Promise<CachedServerSchema | undefined> {
    if (!this.store) return undefined;
    try {
      const text = await this.store.get(await this.keyOf(definition));
      return typeof text === 'string' ? decodeCachedServerSchema(text) : undefined;
    } catch (error) {
      this.settings.log('debug', `[${definition.name}] schema cache read failed: ${String(error)}`);
      return undefined;
    }
  }

  /** Stores a server's entry. Never throws. */
  async save(definition: ServerDefinition, entry: CachedServerSchema): Promise<void> {
    if (!this.store) return;
    try {
      await this.store.set(await this.keyOf(definition), JSON.stringify(entry), this.settings.ttlMs);
    } catch (error) {
      this.settings.log('debug', `[${definition.name}] schema cache write failed: ${String(error)}`);
    }
  }

  /** Drops a server's entry. Never throws. */
  async invalidate(definition: ServerDefinition): Promise<void> {
    if (!this.store) return;
    try {
      await this.store.delete(await this.keyOf(definition));
    } catch (error) {
      this.settings.log('debug', `[${definition.name}] schema cache delete failed: ${String(error)}`);
    }
  }

  /**
   * Releases what the registry holds: the fallback's probe, and its lease on a store passed in
   * (which closes connections the store opened itself once no registry uses it; a client you
   * gave the store stays open).
   */
  async close(): Promise<void> {
    try {
      await this.release();
    } catch {
      // Closing a cache must never fail closing the registry.
    }
  }

  private keyOf(definition: ServerDefinition): Promise<string> {
    let key = this.keys.get(definition);
    if (!key) {
      key = serverFingerprint(definition);
      this.keys.set(definition, key);
    }
    return key;
  }
}

function hasFileSystem(): boolean {
  const runtime = globalThis as { process?: { versions?: { node?: string } } };
  return typeof runtime.process?.versions?.node === 'string';
}
