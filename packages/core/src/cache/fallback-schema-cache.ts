/**
 * Keeps the registry working when its schema cache store does not (Redis down, a read-only home
 * directory): every entry is also kept in memory, a failing store is reported once and skipped
 * for a growing pause, and a background probe (which never keeps the process alive) notices when
 * it answers again and copies back the entries written meanwhile.
 */
import { withDeadline } from '../util/abort.js';
import { createMemorySchemaCache } from './memory-schema-cache.js';
import type { SchemaCacheStore } from './schema-cache-store.js';

export interface FallbackSchemaCacheOptions {
  /** Longest wait for one store operation before falling back (ms). */
  operationTimeoutMs: number;
  /** Receives one warning per outage and one note per recovery. */
  log: (level: 'warn' | 'info' | 'debug', message: string) => void;
}

const MAX_PAUSE_MS = 30_000;
const LOCAL_COPY_TTL_MS = 60 * 60 * 1000;
const PROBE_KEY = 'toolwire-probe';

export class FallbackSchemaCacheStore implements SchemaCacheStore {
  readonly kind: string;
  private readonly local = createMemorySchemaCache();
  private readonly primary: SchemaCacheStore;
  private readonly options: FallbackSchemaCacheOptions;
  /** Keys written while the primary store was away: copied to it on recovery. */
  private readonly unsynced = new Map<string, number>();
  private degraded = false;
  private failures = 0;
  private retryAt = 0;
  private probeTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(primary: SchemaCacheStore, options: FallbackSchemaCacheOptions) {
    this.primary = primary;
    this.options = options;
    this.kind = primary.kind ?? 'custom';
  }

  /** True while the primary store is being skipped. */
  get isDegraded(): boolean {
    return this.degraded;
  }

  async get(key: string): Promise<string | undefined> {
    if (this.usable() && !this.unsynced.has(key)) {
      try {
        const value = (await this.run('read', () => this.primary.get(key))) ?? undefined;
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
    if (!this.usable()) {
      this.unsynced.set(key, ttlMs);
      return;
    }
    try {
      await this.run('write', () => this.primary.set(key, value, ttlMs));
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
    if (!this.usable()) return;
    try {
      await this.run('delete', () => this.primary.delete(key));
      await this.recovered();
    } catch (error) {
      this.fail(error);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    await this.primary.close?.();
  }

  /** While degraded: try the primary store again after the pause, until it answers. */
  private scheduleProbe(): void {
    if (this.probeTimer || this.closed) return;
    const timer = setTimeout(
      () => {
        this.probeTimer = undefined;
        if (this.closed || !this.degraded) return;
        void this.run('read', () => this.primary.get(PROBE_KEY)).then(
          () => this.recovered(),
          (error: unknown) => this.fail(error),
        );
      },
      Math.max(0, this.retryAt - Date.now()),
    );
    (timer as { unref?: () => void }).unref?.();
    this.probeTimer = timer;
  }

  private usable(): boolean {
    return !this.degraded || Date.now() >= this.retryAt;
  }

  private run<T>(what: string, operation: () => T | Promise<T>): Promise<T> {
    return withDeadline(
      Promise.resolve().then(operation),
      this.options.operationTimeoutMs,
      () => new Error(`${this.kind} schema cache ${what} took over ${this.options.operationTimeoutMs} ms`),
    );
  }

  private fail(error: unknown): void {
    this.failures++;
    this.retryAt = Date.now() + Math.min(MAX_PAUSE_MS, 1_000 * 2 ** Math.min(this.failures - 1, 5));
    this.scheduleProbe();
    if (this.degraded) return;
    this.degraded = true;
    const reason = error instanceof Error ? error.message : String(error);
    this.options.log(
      'warn',
      `The ${this.kind} schema cache is unavailable (${reason}); using the in-process cache until it answers again`,
    );
  }

  private async recovered(): Promise<void> {
    if (!this.degraded) return;
    this.degraded = false;
    this.failures = 0;
    const pending = [...this.unsynced];
    this.unsynced.clear();
    for (const [key, ttlMs] of pending) {
      const value = this.local.get(key) as string | undefined;
      if (value === undefined) continue;
      try {
        await this.run('write', () => this.primary.set(key, value, ttlMs));
      } catch (error) {
        this.unsynced.set(key, ttlMs);
        this.fail(error);
        return;
      }
    }
    this.options.log('info', `The ${this.kind} schema cache answers again; back in use`);
  }
}
