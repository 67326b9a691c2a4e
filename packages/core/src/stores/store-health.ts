/**
 * The one rule for every store toolwire leans on but must never be stopped by (the OAuth token
 * store, the schema cache): each operation has a deadline; a failure or a timeout starts an
 * outage, reported by ONE warning that names the store; while it lasts the store is skipped for
 * a growing pause (1 s, doubling to 30 s, both settable: `storeRetry`) instead of being waited on
 * call after call; the first
 * operation that succeeds again ends the outage with one info line. What the caller does
 * meanwhile (fetch tokens directly, use the in-process catalogue) is the caller's business.
 */
import { ToolwireError } from '../errors/toolwire-error.js';
import { withStallTolerantDeadline } from '../util/stall-tolerant-deadline.js';

/** Default deadline for one store operation (ms): a healthy Redis or disk answers in a few. */
export const DEFAULT_STORE_TIMEOUT_MS = 1_000;

/** First pause after a store failure (ms); each further failure doubles it. */
export const DEFAULT_STORE_FIRST_PAUSE_MS = 1_000;
/** Longest pause between two attempts at an unavailable store (ms). */
export const DEFAULT_STORE_MAX_PAUSE_MS = 30_000;

/**
 * How long an unavailable store is skipped before it is tried again: `firstPauseMs` after the
 * first failure, doubling with each further one, never more than `maxPauseMs`.
 */
export interface StoreRetryOptions {
  /** Pause after the first failure of an outage (ms). Default 1 s. */
  firstPauseMs?: number;
  /** Longest pause (ms). Default 30 s. */
  maxPauseMs?: number;
}

export type StoreLogLevel = 'warn' | 'info' | 'debug';

export interface StoreHealthOptions {
  /** Names the store in every message: `Redis token store at redis://127.0.0.1:6379/0`. */
  label: string;
  /** Longest wait for one operation (ms). */
  timeoutMs: number;
  /** What happens while the store is away, for the warning: `fetching tokens directly`. */
  fallback: string;
  log(level: StoreLogLevel, message: string): void;
  /** Called when an operation outlived its deadline (a stalled connection: replace it). */
  onTimeout?: () => void;
  /** The pauses between attempts during an outage. Default 1 s doubling to 30 s. */
  retry?: StoreRetryOptions | undefined;
}

/** Health of one store as seen by one registry. */
export class StoreHealth {
  readonly label: string;
  private readonly options: StoreHealthOptions;
  private outage = false;
  private failures = 0;
  private retryAt = 0;

  constructor(options: StoreHealthOptions) {
    this.options = options;
    this.label = options.label;
  }

  /** True while an outage lasts (the store failed and has not answered since). */
  get isDegraded(): boolean {
    return this.outage;
  }

  /** When the store is next worth trying (epoch ms); in the past when it is usable now. */
  get nextAttemptAt(): number {
    return this.outage ? this.retryAt : 0;
  }

  /** False during an outage's pause: skip the store instead of waiting on it. */
  usable(): boolean {
    return !this.outage || Date.now() >= this.retryAt;
  }

  /**
   * Runs one operation under the deadline. Failures come back as a `STORE_UNAVAILABLE` error
   * that names the store and the operation (`Redis token store at …: read failed: …`); the
   * outage is not recorded here (see {@link failed} / {@link succeeded}), so a caller may retry.
   */
  async run<T>(operation: string, task: () => T | Promise<T>): Promise<T> {
    const { label, timeoutMs } = this.options;
    try {
      return await withStallTolerantDeadline(
        Promise.resolve().then(task),
        timeoutMs,
        () => new StoreTimeout(`${label}: no answer to a ${operation} within ${timeoutMs} ms`),
      );
    } catch (error) {
      if (error instanceof StoreTimeout) {
        this.options.onTimeout?.();
        throw new ToolwireError({ code: 'STORE_UNAVAILABLE', message: error.message });
      }
      throw new ToolwireError({
        code: 'STORE_UNAVAILABLE',
        cause: error,
        message: `${label}: ${operation} failed: ${describe(error)}`,
      });
    }
  }

  /** Runs one operation and records the outcome: `undefined` (and the outage noted) on failure. */
  async attempt<T>(operation: string, task: () => T | Promise<T>): Promise<{ value: T } | undefined> {
    try {
      const value = await this.run(operation, task);
      this.succeeded();
      return { value };
    } catch (error) {
      this.failed(error);
      return undefined;
    }
  }

  /** Records a failure: the first of an outage is warned about, every one lengthens the pause. */
  failed(error: unknown): void {
    this.failures++;
    const firstPauseMs = this.options.retry?.firstPauseMs ?? DEFAULT_STORE_FIRST_PAUSE_MS;
    const maxPauseMs = this.options.retry?.maxPauseMs ?? DEFAULT_STORE_MAX_PAUSE_MS;
    // Doubling stops once it passes the cap (2^30 × anything positive is well past any timer).
    const doubled = firstPauseMs * 2 ** Math.min(this.failures - 1, 30);
    this.retryAt = Date.now() + Math.min(maxPauseMs, doubled);
    const { label } = this.options;
    const reason = describe(error);
    const detail = reason.startsWith(`${label}: `) ? reason.slice(label.length + 2) : reason;
    if (this.outage) {
      this.options.log('debug', `${label} is still unavailable (${detail})`);
      return;
    }
    this.outage = true;
    this.options.log(
      'warn',
      `${label} is unavailable (${detail}); ${this.options.fallback} until it answers again (one warning per outage)`,
    );
  }

  /** Records a success; true when it ended an outage (announced with one info line). */
  succeeded(): boolean {
    if (!this.outage) return false;
    this.outage = false;
    this.failures = 0;
    this.retryAt = 0;
    this.options.log('info', `${this.options.label} answers again; back in use`);
    return true;
  }
}

class StoreTimeout extends Error {}

function describe(error: unknown): string {
  if (ToolwireError.isInstance(error)) return error.message;
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && message !== '' ? message : String(error);
}
