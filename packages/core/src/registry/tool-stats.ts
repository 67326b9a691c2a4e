/** Per-tool call statistics: counts, last error, last use and latency percentiles. */
import type { ToolwireErrorCode } from '../errors/toolwire-error.js';
import { type LatencySummary, LatencyWindow } from '../util/latency-window.js';

export interface ToolStats {
  calls: number;
  /** Calls that failed (no result) plus calls whose result had `isError`. */
  errors: number;
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
      this.lastError = { ...error, at: this.lastUsedAt };
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
