/**
 * Keeps the registry working when its schema cache store does not (Redis down, a read-only home
 * directory): every entry is also kept in memory, a failing or slow store is reported once per
 * outage (naming the store) and skipped for a growing pause (`stores/store-health.ts`), and a
 * background probe (which never keeps the process alive) notices when it answers again and
 * copies back the entries written meanwhile.
 */
import { StoreHealth, type StoreRetryOptions } from '../stores/store-health.js';
import { resetStore } from '../stores/store-hooks.js';
import { createMemorySchemaCache } from './memory-schema-cache.js';
import type { SchemaCacheStore } from './schema-cache-store.js';

export interface FallbackSchemaCacheOptions {
  /** Longest wait for one store operation before falling back (ms). */
  operationTimeoutMs: number;
  /** Pauses between attempts at a failed store. Default 1 s doubling to 30 s. */
  retry?: StoreRetryOptions | undefined;
  /** Receives one warning per outage and one note per recovery. */
  log: (level: 'warn' | 'info' | 'debug', message: string) => void;
}

const LOCAL_COPY_TTL_MS = 60 * 60 * 1000;
const PROBE_KEY = 'toolwire-probe';

/** How a store is named in messages: its own label, else `<kind> schema cache`. */
export function schemaCacheLabel(store: SchemaCacheStore): string {
  return store.label ?? `${store.kind ?? 'custom'} schema cache`;
}

export class FallbackSchemaCacheStore implements SchemaCacheStore {
  readonly kind: string;
  readonly label: string;
  private readonly local = createMemorySchemaCache();
  private readonly primary: SchemaCacheStore;
  private readonly health: StoreHealth;
  /** Keys written while the primary store was away: copied to it on recovery. */
  private readonly unsynced = new Map<string, number>();
  private probeTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(primary: SchemaCacheStore, options: FallbackSchemaCacheOptions) {
    this.primary = primary;
    this.kind = primary.kind ?? 'custom';
    this.label = schemaCacheLabel(primary);
    this.health = new StoreHealth({
      label: this.label,
      timeoutMs: options.operationTimeoutMs,
      fallback:
        'the registry keeps its catalogue in this process (servers not in it are connected to list their tools)',
      log: options.log,
      onTimeout: () => resetStore(primary),
      retry: options.retry,
    });
  }

  /** True while the primary store is being skipped. */
  get isDegraded(): boolean {
    return this.health.isDegraded;
  }

  async get(key: string): Promise<string | undefined> {
    if (this.health.usable() && !this.unsynced.has(key)) {
      try {
        const value = (await this.health.run('read', () => this.primary.get(key))) ?? undefined;
        await this.recovered();
        // A local copy serves reads during a later outage (better a known catalogue than none).
        if (value !== undefined) this.local.set(key, value, LOCAL_COPY_TTL_MS);
        return value;
      } catch (error) {
        this.fail(error);
      }
    }
    return (this.local.get(key) as string | undefined) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.local.set(key, value, ttlMs);
    if (!this.health.usable()) {
      this.unsynced.set(key, ttlMs);
      return;
    }
    try {
      await this.health.run('write', () => this.primary.set(key, value, ttlMs));
      this.unsynced.delete(key);
      await this.recovered();
    } catch (error) {
      this.unsynced.set(key, ttlMs);
      this.fail(error);
    }
  }

  async delete(key: string): Promise<void> {
    this.local.delete(key);
    this.unsynced.delete(key);
    if (!this.health.usable()) return;
    try {
      await this.health.run('delete', () => this.primary.delete(key));
      await this.recovered();
    } catch (error) {
      this.fail(error);
    }
  }

  /** Stops probing. The primary store itself is closed (or its lease returned) by the owner. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
  }

  /** While degraded: try the primary store again after the pause, until it answers. */
  private scheduleProbe(): void {
    if (this.probeTimer || this.closed) return;
    const timer = setTimeout(
      () => {
        this.probeTimer = undefined;
        if (this.closed || !this.health.isDegraded) return;
        void this.health
          .run('read', () => this.primary.get(PROBE_KEY))
          .then(
            () => this.recovered(),
            (error: unknown) => this.fail(error),
          );
      },
      Math.max(0, this.health.nextAttemptAt - Date.now()),
    );
    (timer as { unref?: () => void }).unref?.();
    this.probeTimer = timer;
  }

  private fail(error: unknown): void {
    this.health.failed(error);
    this.scheduleProbe();
  }

  private async recovered(): Promise<void> {
    if (!this.health.isDegraded || this.closed) return;
    const pending = [...this.unsynced];
    this.unsynced.clear();
    for (const [key, ttlMs] of pending) {
      const value = this.local.get(key) as string | undefined;
      if (value === undefined) continue;
      try {
        await this.health.run('write', () => this.primary.set(key, value, ttlMs));
      } catch (error) {
        for (const [unsyncedKey, unsyncedTtl] of pending) this.unsynced.set(unsyncedKey, unsyncedTtl);
        this.fail(error);
        return;
      }
    }
    this.health.succeeded();
  }
}
