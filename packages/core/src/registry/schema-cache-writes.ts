/**
 * The registry's side of the schema cache: opening the configured store, and writing a server's
 * live lists to it when they are new, drifted, or due for a refresh. Writes run in the
 * background; `flush()` waits for them (start, refresh, prewarm and close do).
 */
import { type CachedServerSchema, catalogueHash } from '../cache/cached-server-schema.js';
import { SchemaCache } from '../cache/schema-cache.js';
import { DEFAULT_SCHEMA_CACHE_TTL_MS } from '../cache/schema-cache-store.js';
import type { ServerConnection } from '../connection/server-connection.js';
import { ToolwireError } from '../errors/toolwire-error.js';
import type { Redactor } from '../redaction/redactor.js';
import type { StoreRetryOptions } from '../stores/store-health.js';
import { type RegistryOptions, readPositive } from './registry-options.js';
import type { ServerSlot } from './server-slot.js';

/** What cache writes need from the registry. */
export interface SchemaCacheWritesOptions {
  redactor: Redactor;
  revalidateAfterMs: number;
  storeTimeoutMs: number;
  storeRetry?: StoreRetryOptions | undefined;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, server?: string): void;
}

/** The schema cache and the writes in flight to it. */
export class SchemaCacheWrites {
  private readonly options: SchemaCacheWritesOptions;
  private cache: SchemaCache | undefined;
  private readonly pending = new Set<Promise<void>>();

  constructor(options: SchemaCacheWritesOptions) {
    this.options = options;
  }

  /** Opens the store `registryOptions.cache` names (checked here: a bad value is `CONFIG_INVALID`). */
  async open(registryOptions: RegistryOptions): Promise<void> {
    const cacheOption = registryOptions.cache ?? 'file';
    if (
      cacheOption !== 'file' &&
      cacheOption !== 'memory' &&
      cacheOption !== 'none' &&
      (typeof cacheOption !== 'object' || cacheOption === null || typeof cacheOption.get !== 'function')
    ) {
      throw new ToolwireError({
        code: 'CONFIG_INVALID',
        message: `cache: expected 'file', 'memory', 'none' or a store with get/set/delete, got ${JSON.stringify(cacheOption)}`,
      });
    }
    this.cache = await SchemaCache.create(cacheOption, {
      ttlMs: readPositive(registryOptions.cacheTtlMs, DEFAULT_SCHEMA_CACHE_TTL_MS, 'cacheTtlMs'),
      directory: registryOptions.cacheDirectory,
      operationTimeoutMs: this.options.storeTimeoutMs,
      retry: this.options.storeRetry,
      log: (level, message) => this.options.log(level, message),
    });
  }

  /** The cached lists of `slot`'s server, if any (`undefined` before `open()`). */
  load(slot: ServerSlot): Promise<CachedServerSchema | undefined> | undefined {
    return this.cache?.load(slot.definition);
  }

  /** Waits for every write in flight, including ones started meanwhile. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Writes a server's live lists to the cache when they are new, drifted, or due for a refresh. */
  handleListed(slot: ServerSlot, connection: ServerConnection): void {
    const cache = this.cache;
    if (!cache) return;
    const { redactor, revalidateAfterMs } = this.options;
    const write = (async () => {
      // The cache holds what the server published, with any credential it repeated redacted.
      const { tools, prompts } = redactor.published({
        tools: connection.tools,
        prompts: connection.prompts,
      });
      const hash = await catalogueHash(tools, prompts);
      const previous = slot.cached;
      if (previous && previous.hash === hash && Date.now() - previous.savedAt < revalidateAfterMs) return;
      if (previous && previous.hash !== hash) {
        this.options.log(
          'info',
          `tools of server "${slot.name}" changed since they were cached; cache updated`,
          slot.name,
        );
      }
      const entry: CachedServerSchema = redactor.published({
        format: 1,
        savedAt: Date.now(),
        hash,
        tools,
        prompts,
        serverInfo: connection.serverVersion,
        capabilities: connection.capabilities,
        instructions: connection.instructions,
        protocolVersion: connection.protocolVersion,
        era: connection.era,
        discover: connection.discoverResult,
        connectedTransport: connection.transportKind,
      } satisfies CachedServerSchema);
      slot.cached = entry;
      await cache.save(slot.definition, entry);
    })().catch((error: unknown) => {
      this.options.log('debug', `schema cache update failed: ${String(error)}`, slot.name);
    });
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
  }

  /** Closes the store (after `flush()`). */
  close(): Promise<void> | undefined {
    return this.cache?.close();
  }
}
