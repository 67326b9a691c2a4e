/**
 * The registry's view of the schema cache: resolves the `cache` option to a store (the file store
 * on Node, memory elsewhere), keys entries by server fingerprint, encodes and decodes them, and
 * never lets a cache failure fail the registry.
 */
import type { ServerDefinition } from '../config/server-config.js';
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
  log: (level: 'warn' | 'info' | 'debug', message: string) => void;
}

export class SchemaCache {
  /** `'file'`, `'memory'`, `'redis'`, `'none'`, or a custom store's kind. */
  readonly kind: string;
  private readonly store: SchemaCacheStore | undefined;
  private readonly settings: SchemaCacheSettings;
  private readonly ownsStore: boolean;
  private readonly keys = new Map<ServerDefinition, Promise<string>>();

  private constructor(
    store: SchemaCacheStore | undefined,
    settings: SchemaCacheSettings,
    ownsStore: boolean,
  ) {
    this.store = store;
    this.settings = settings;
    this.ownsStore = ownsStore;
    this.kind = store?.kind ?? 'none';
  }

  static async create(option: SchemaCacheOption, settings: SchemaCacheSettings): Promise<SchemaCache> {
    if (option === 'none') return new SchemaCache(undefined, settings, true);
    if (option === 'memory') return new SchemaCache(createMemorySchemaCache(), settings, true);
    if (option === 'file') {
      if (!hasFileSystem()) {
        settings.log('debug', 'no file system in this runtime; the schema cache lives in memory');
        return new SchemaCache(createMemorySchemaCache(), settings, true);
      }
      try {
        // Node-only module, loaded on demand so the root entry stays runtime-neutral.
        const { createFileSchemaCache } = await import('./file-schema-cache.js');
        const store = createFileSchemaCache({ directory: settings.directory });
        return new SchemaCache(new FallbackSchemaCacheStore(store, settings), settings, true);
      } catch (error) {
        settings.log('warn', `the file schema cache could not be loaded (${String(error)}); using memory`);
        return new SchemaCache(createMemorySchemaCache(), settings, true);
      }
    }
    const store = option.kind === 'memory' ? option : new FallbackSchemaCacheStore(option, settings);
    return new SchemaCache(store, settings, false);
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

  /** Closes the store when the registry created it (a store passed in is the caller's to close). */
  async close(): Promise<void> {
    if (!this.ownsStore) return;
    try {
      await this.store?.close?.();
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
