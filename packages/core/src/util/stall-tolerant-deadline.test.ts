import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withStallTolerantDeadline } from './stall-tolerant-deadline.js';

/** Keeps the event loop busy for `ms` (what a large catalogue rebuild does). */
function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

describe('withStallTolerantDeadline', () => {
  it('does not time out an answer that arrived while the process itself was blocked past the deadline', async () => {
    // A file read (answered in the poll phase, after timers) is started, then the loop is blocked
    // for three deadlines: the read has completed, but its callback waits behind the timer.
    const answer = readFile(fileURLToPath(import.meta.url), 'utf8').then(() => 'answered');
    const outcome = withStallTolerantDeadline(answer, 50, () => new Error('timed out'));
    block(150);
    await expect(outcome).resolves.toBe('answered');
  });

  it('gives the operation its time again after a stall, and an answer in that time wins', async () => {
    // The loop is blocked past the deadline before the answer is even sent; it comes 20 ms after.
    const answer = (async () => {
      await sleep(5);
      block(150);
      await sleep(20);
      return 'answered';
    })();
    await expect(withStallTolerantDeadline(answer, 50, () => new Error('timed out'))).resolves.toBe(
      'answered',
    );
  });

  it('times out an operation that never answers on an idle loop', async () => {
    await expect(
      withStallTolerantDeadline(new Promise(() => {}), 30, () => new Error('timed out')),
    ).rejects.toThrow('timed out');
  });

  it('still times out when the loop keeps stalling past the extensions allowed', async () => {
    const stalls = setInterval(() => block(80), 10);
    try {
      await expect(
        withStallTolerantDeadline(new Promise(() => {}), 30, () => new Error('timed out'), {
          maxExtensions: 2,
        }),
      ).rejects.toThrow('timed out');
    } finally {
      clearInterval(stalls);
    }
  });

  it('passes a failure through unchanged', async () => {
    const failure = new Error('disk full');
    await expect(
      withStallTolerantDeadline(Promise.reject(failure), 50, () => new Error('timed out')),
    ).rejects.toBe(failure);
  });
});
