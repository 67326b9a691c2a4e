import { describe, expect, it } from 'vitest';
import {
  createMemoryRateLimitStore,
  createRateLimiter,
  type RateLimitStore,
  readRateLimits,
} from './rate-limits.js';

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

  it('counts prompts and resources only under limits whose kinds name them, in counters of their own', async () => {
    const keys: string[] = [];
    const memory = createMemoryRateLimitStore();
    const store: RateLimitStore = {
      hit: (key, windowMs, limit) => {
        keys.push(key);
        return memory.hit(key, windowMs, limit);
      },
    };
    const limiter = createRateLimiter(
      [
        { name: 'calls', per: 'principal', limit: 1, windowMs: 60_000 },
        { name: 'all', per: 'principal', kinds: ['tool', 'prompt', 'resource'], limit: 3, windowMs: 60_000 },
        { name: 'docs', per: 'tool', kinds: ['resource'], tools: ['docs__*'], limit: 5, windowMs: 60_000 },
      ],
      store,
    );
    expect(await limiter.check('a__x', 'alice')).toBeUndefined();
    expect(await limiter.check('a__p', 'alice', { kind: 'prompt' })).toBeUndefined();
    // Matched by its alias (`<server>__<uri>`), counted under the URI.
    expect(
      await limiter.check('memo://n', 'alice', { kind: 'resource', aliases: ['docs__memo://n'] }),
    ).toBeUndefined();
    expect(keys).toEqual([
      'calls:principal:alice',
      'all:principal:alice',
      'all:principal:alice',
      'all:principal:alice',
      'docs:tool:resource:memo://n',
    ]);
    // One counter for the three kinds: the fourth request of any kind is refused.
    expect(await limiter.check('b__p', 'alice', { kind: 'prompt' })).toMatchObject({
      limit: 'all',
      message: expect.stringContaining('3 requests per 60000 ms'),
    });
  });

  it('checks kinds', () => {
    expect(() =>
      readRateLimits([{ per: 'tool', limit: 1, windowMs: 1, kinds: ['tools'] }], 'policy.rateLimits'),
    ).toThrow("policy.rateLimits[0].kinds must be a non-empty array of 'tool', 'prompt', 'resource'");
    expect(() =>
      readRateLimits([{ per: 'tool', limit: 1, windowMs: 1, kinds: [] }], 'policy.rateLimits'),
    ).toThrow('policy.rateLimits[0].kinds');
  });
});
