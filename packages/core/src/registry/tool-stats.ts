/**
 * Per-tool call statistics: counts, last error, last use and latency percentiles. The last error
 * is an excerpt: a tool's error text is the server's, and stats live as long as the registry.
 */
import type { ToolwireErrorCode } from '../errors/toolwire-error.js';
import { excerpt } from '../util/bounded-text.js';
import { type LatencySummary, LatencyWindow } from '../util/latency-window.js';

/** Characters of an error message kept in `stats()` (`lastError.message`). */
export const MAX_STATS_ERROR_CHARS = 1_000;

export interface ToolStats {
  calls: number;
  /** Calls that failed (no result) plus calls whose result had `isError`. */
  errors: number;
  /** The last failure or `isError` result; `message` is cut to 1,000 characters. */
  lastError: { code: ToolwireErrorCode; message: string; at: number } | undefined;
  /** Epoch milliseconds of the last call's end. */
  lastUsedAt: number | undefined;
  latency: LatencySummary;
}

/** The statistics of a tool that has not been called. */
export function emptyToolStats(): ToolStats {
  return {
    calls: 0,
    errors: 0,
    lastError: undefined,
    lastUsedAt: undefined,
    latency: { count: 0, p50Ms: undefined, p95Ms: undefined, p99Ms: undefined, maxMs: undefined },
  };
}

export class ToolStatsRecorder {
  calls = 0;
  errors = 0;
  lastError: ToolStats['lastError'];
  lastUsedAt: number | undefined;
  private readonly latency = new LatencyWindow();

  record(durationMs: number, error: { code: ToolwireErrorCode; message: string } | undefined): void {
    this.calls++;
    this.lastUsedAt = Date.now();
    this.latency.record(durationMs);
    if (error) {
      this.errors++;
      this.lastError = {
        code: error.code,
        message: excerpt(error.message, MAX_STATS_ERROR_CHARS),
        at: this.lastUsedAt,
      };
    }
  }

  snapshot(): ToolStats {
    return {
      calls: this.calls,
      errors: this.errors,
      lastError: this.lastError,
      lastUsedAt: this.lastUsedAt,
      latency: this.latency.summary(),
    };
  }
}
