/** Latency percentiles over the most recent calls, in constant memory (a ring of samples). */
export interface LatencySummary {
  count: number;
  p50Ms: number | undefined;
  p95Ms: number | undefined;
  p99Ms: number | undefined;
  maxMs: number | undefined;
}

export class LatencyWindow {
  private readonly samples: Float64Array;
  private size = 0;
  private next = 0;

  constructor(capacity = 512) {
    this.samples = new Float64Array(capacity);
  }

  record(milliseconds: number): void {
    this.samples[this.next] = milliseconds;
    this.next = (this.next + 1) % this.samples.length;
    if (this.size < this.samples.length) this.size++;
  }

  summary(): LatencySummary {
    if (this.size === 0)
      return { count: 0, p50Ms: undefined, p95Ms: undefined, p99Ms: undefined, maxMs: undefined };
    // A typed array sorts numerically, natively: about 5× faster than a plain array with a
    // comparator, and a gateway describes the tool it forwards from here (`registry.tool()`).
    const sorted = this.samples.slice(0, this.size).sort();
    const at = (quantile: number) =>
      round(sorted[Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)]!);
    return {
      count: this.size,
      p50Ms: at(0.5),
      p95Ms: at(0.95),
      p99Ms: at(0.99),
      maxMs: round(sorted[sorted.length - 1]!),
    };
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
