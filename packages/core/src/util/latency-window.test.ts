import { describe, expect, it } from 'vitest';
import { LatencyWindow } from './latency-window.js';

describe('LatencyWindow', () => {
  it('orders samples by value, not as text (10 after 9, 1000 last)', () => {
    const window = new LatencyWindow(8);
    for (const value of [10, 9, 100, 2.5, 1000]) window.record(value);
    expect(window.summary()).toEqual({ count: 5, p50Ms: 10, p95Ms: 1000, p99Ms: 1000, maxMs: 1000 });
  });

  it('keeps only the most recent samples once the ring is full', () => {
    const window = new LatencyWindow(4);
    for (const value of [500, 400, 1, 2, 3, 4]) window.record(value);
    expect(window.summary()).toEqual({ count: 4, p50Ms: 2, p95Ms: 4, p99Ms: 4, maxMs: 4 });
  });

  it('has no percentiles before the first sample', () => {
    expect(new LatencyWindow().summary()).toEqual({
      count: 0,
      p50Ms: undefined,
      p95Ms: undefined,
      p99Ms: undefined,
      maxMs: undefined,
    });
  });
});
