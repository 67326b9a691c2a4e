import { describe, expect, it } from 'vitest';
import { createMemoryRateLimitStore, createRateLimiter, type RateLimitStore } from './rate-limits.js';

describe('createRateLimiter over the memory store', () => {
  it('counts per principal and tool, refuses past the limit with the window left, and keeps callers apart', async () => {
    const limiter = createRateLimiter(
      [{ name: 'two', per: 'principal+tool', tools: ['a__*'], limit: 2, windowMs: 60_000 }],
      createMemoryRateLimitStore(),
    );
    expect(await limiter.check('a__x', 'alice')).toBeUndefined();
    expect(await limiter.check('a__x', 'alice')).toBeUndefined();
    const refusal = await limiter.check('a__x', 'alice');
    expect(refusal).toMatchObject({ limit: 'two' });
    expect(refusal?.retryAfterMs).toBeGreaterThan(0);
    expect(refusal?.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(refusal?.message).toContain('2 calls per 60000 ms (this caller)');
    expect(await limiter.check('a__y', 'alice')).toBeUndefined();
    expect(await limiter.check('a__x', 'bob')).toBeUndefined();
    // Not under the limit's tools.
    for (let call = 0; call < 5; call++) expect(await limiter.check('b__x', 'alice')).toBeUndefined();
  });

  it('a window ends when it said it would', async () => {
    const limiter = createRateLimiter(
      [{ per: 'tool', limit: 1, windowMs: 50 }],
      createMemoryRateLimitStore(),
    );
    expect(await limiter.check('t', 'alice')).toBeUndefined();
    let refusal = await limiter.check('t', 'bob');
    expect(refusal).toMatchObject({ limit: 'rateLimits[0]' });
    // Timers and the wall clock may disagree by a millisecond: wait again if told to.
    for (let attempt = 0; attempt < 3 && refusal; attempt++) {
      expect(refusal.retryAfterMs).toBeLessThanOrEqual(50);
      await new Promise((resolve) => setTimeout(resolve, refusal?.retryAfterMs));
      refusal = await limiter.check('t', 'bob');
    }
    expect(refusal).toBeUndefined();
  });

  it('reports the latest-resetting limit when several are exhausted', async () => {
    const limiter = createRateLimiter(
      [
        { name: 'short', per: 'principal', limit: 1, windowMs: 1_000 },
        { name: 'long', per: 'principal', limit: 1, windowMs: 600_000 },
      ],
      createMemoryRateLimitStore(),
    );
    await limiter.check('t', 'alice');
    expect(await limiter.check('t', 'alice')).toMatchObject({ limit: 'long' });
  });

  it('turns a failing or silent store into STORE_UNAVAILABLE', async () => {
    const failing: RateLimitStore = { hit: () => Promise.reject(new Error('connection refused')) };
    await expect(
      createRateLimiter([{ per: 'tool', limit: 1, windowMs: 1 }], failing).check('t', 'p'),
    ).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: expect.stringContaining('connection refused'),
    });
    const silent: RateLimitStore = { hit: () => new Promise(() => {}) };
    await expect(
      createRateLimiter([{ per: 'tool', limit: 1, windowMs: 1 }], silent, 20).check('t', 'p'),
    ).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('within 20 ms') });
  });
});
