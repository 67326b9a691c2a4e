import { afterEach, describe, expect, it, vi } from 'vitest';
import { StoreHealth, type StoreRetryOptions } from './store-health.js';

afterEach(() => {
  vi.useRealTimers();
});

/** The pause after each of `failures` consecutive failures (ms), on a frozen clock. */
function pauses(failures: number, retry?: StoreRetryOptions): number[] {
  vi.useFakeTimers({ now: 1_000_000 });
  const health = new StoreHealth({
    label: 'test store',
    timeoutMs: 100,
    fallback: 'nothing',
    log: () => {},
    retry,
  });
  const seen: number[] = [];
  for (let failure = 0; failure < failures; failure++) {
    health.failed(new Error('down'));
    seen.push(health.nextAttemptAt - Date.now());
  }
  return seen;
}

describe('StoreHealth pauses', () => {
  it('skips a failed store for 1 s, doubling to at most 30 s, by default', () => {
    expect(pauses(8)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('takes the first and longest pause from `retry`', () => {
    expect(pauses(5, { firstPauseMs: 50, maxPauseMs: 300 })).toEqual([50, 100, 200, 300, 300]);
    expect(pauses(3, { maxPauseMs: 1_500 })).toEqual([1_000, 1_500, 1_500]);
  });

  it('is usable again once the pause is over, and a success ends the outage', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const logs: string[] = [];
    const health = new StoreHealth({
      label: 'test store',
      timeoutMs: 100,
      fallback: 'nothing',
      log: (level, message) => logs.push(`${level}: ${message}`),
      retry: { firstPauseMs: 50 },
    });
    health.failed(new Error('down'));
    expect(health.usable()).toBe(false);
    vi.advanceTimersByTime(50);
    expect(health.usable()).toBe(true);
    expect(health.succeeded()).toBe(true);
    expect(health.isDegraded).toBe(false);
    expect(logs).toEqual([
      'warn: test store is unavailable (down); nothing until it answers again (one warning per outage)',
      'info: test store answers again; back in use',
    ]);
  });
});
