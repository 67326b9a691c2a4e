import { describe, expect, it } from 'vitest';
import { CallDeadlines } from './call-deadlines.js';

/** A `CallDeadlines` that records when each id expired. */
function recorder() {
  const expired: { id: string; at: number }[] = [];
  const waiting = new Map<string, () => void>();
  const deadlines = new CallDeadlines<string>((id) => {
    expired.push({ id, at: performance.now() });
    waiting.get(id)?.();
  });
  const expiry = (id: string) => new Promise<void>((resolve) => waiting.set(id, resolve));
  return { deadlines, expired, expiry };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('CallDeadlines', () => {
  it('expires an id once its timeout has passed, never before', async () => {
    const { deadlines, expired, expiry } = recorder();
    const added = performance.now();
    deadlines.add('a', 30);
    await expiry('a');
    expect(expired).toHaveLength(1);
    expect(expired[0]!.at - added).toBeGreaterThanOrEqual(30);
    expect(deadlines.size).toBe(0);
  });

  it('never expires an id deleted before its deadline', async () => {
    const { deadlines, expired, expiry } = recorder();
    deadlines.add('answered', 20);
    expect(deadlines.delete('answered')).toBe(true);
    expect(deadlines.delete('answered')).toBe(false);
    // The timer armed for the deleted deadline finds nothing due; a later id still expires.
    deadlines.add('later', 60);
    await expiry('later');
    expect(expired.map((entry) => entry.id)).toEqual(['later']);
  });

  it('expires a short deadline added after a long one at its own time', async () => {
    const { deadlines, expired, expiry } = recorder();
    deadlines.add('long', 60_000);
    const added = performance.now();
    deadlines.add('short', 25);
    await expiry('short');
    expect(expired.map((entry) => entry.id)).toEqual(['short']);
    expect(expired[0]!.at - added).toBeGreaterThanOrEqual(25);
    expect(deadlines.size).toBe(1);
    deadlines.clear();
    expect(deadlines.size).toBe(0);
  });

  it('expires several deadlines in turn, each no earlier than its own', async () => {
    const { deadlines, expired, expiry } = recorder();
    const added = performance.now();
    deadlines.add('first', 20);
    deadlines.add('second', 50);
    deadlines.add('third', 50);
    await Promise.all([expiry('second'), expiry('third')]);
    expect(expired.map((entry) => entry.id)).toEqual(['first', 'second', 'third']);
    expect(expired[0]!.at - added).toBeGreaterThanOrEqual(20);
    expect(expired[1]!.at - added).toBeGreaterThanOrEqual(50);
  });

  it('keeps the process alive only while an id is pending', async () => {
    const { deadlines } = recorder();
    expect(deadlines.holdsProcess).toBe(false);
    deadlines.add('a', 60_000);
    expect(deadlines.holdsProcess).toBe(true);
    deadlines.delete('a');
    expect(deadlines.holdsProcess).toBe(false);
    deadlines.add('b', 60_000); // the armed timer serves it: held again
    expect(deadlines.holdsProcess).toBe(true);
    deadlines.clear();
    expect(deadlines.holdsProcess).toBe(false);
  });

  it('forgets everything on clear: nothing expires afterwards', async () => {
    const { deadlines, expired } = recorder();
    deadlines.add('a', 10);
    deadlines.add('b', 20);
    deadlines.clear();
    await pause(60);
    expect(expired).toEqual([]);
  });

  it('treats a timeout beyond the longest timer delay as far away, not as 1 ms', async () => {
    const { deadlines, expired } = recorder();
    deadlines.add('a', 3_000_000_000);
    await pause(30);
    expect(expired).toEqual([]);
    expect(deadlines.size).toBe(1);
    deadlines.clear();
  });
});
