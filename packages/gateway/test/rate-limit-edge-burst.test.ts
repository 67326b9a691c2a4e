/**
 * Sliding windows: no span of `windowMs` lets more than `limit` calls through, whichever store
 * counts them. A fixed window let a caller make `limit` calls just before it ended and `limit`
 * more just after (twice the limit within milliseconds); here that second burst is refused until
 * the first calls leave the window, and `retryAfterMs` says exactly when. Both stores run on an
 * injected clock (no timing assertions): this process's memory, and the real Redis at
 * 127.0.0.1:6379 under a prefix of this run's own.
 */
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { connectSharedRedis, deletePrefix, uniquePrefix } from '../../core/test/support/redis-servers.js';
import { createMemoryRateLimitStore, createRedisRateLimitStore, type RateLimitStore } from '../src/index.js';
import { createRateLimiter } from '../src/rate-limits.js';

const redis: Redis | undefined = await connectSharedRedis();
const prefix = uniquePrefix('gateway-edge-burst').replace(/:$/, '');

afterAll(async () => {
  if (!redis) return;
  await deletePrefix(redis, prefix);
  await redis.quit();
});

const stores: [string, ((now: () => number) => RateLimitStore) | undefined][] = [
  ['memory', (now) => createMemoryRateLimitStore({ now })],
  [
    'redis',
    redis
      ? (now) => createRedisRateLimitStore({ redis, prefix: `${prefix}:${Math.random()}`, now })
      : undefined,
  ],
];

for (const [name, make] of stores) {
  describe.skipIf(!make)(`sliding-window rate limits (${name} store)`, () => {
    it('refuses the burst just after a window edge that a fixed window let through', async () => {
      let clock = 10_000;
      const limiter = createRateLimiter(
        [{ name: 'three-per-second', per: 'principal', limit: 3, windowMs: 1_000 }],
        (make as NonNullable<typeof make>)(() => clock),
      );
      // Three calls at the end of a second…
      clock = 10_990;
      for (let call = 0; call < 3; call++) expect(await limiter.check('t', 'alice')).toBeUndefined();
      // …and three more 20 ms later, in what a fixed window would call the next second: refused.
      clock = 11_010;
      const refusal = await limiter.check('t', 'alice');
      expect(refusal).toMatchObject({ limit: 'three-per-second', retryAfterMs: 980 });
      expect(await limiter.check('t', 'alice')).toBeDefined();
      // Another caller is counted apart.
      expect(await limiter.check('t', 'bob')).toBeUndefined();
      // Refused calls are not recorded: when the first three leave the window, three more pass.
      clock = 11_990;
      for (let call = 0; call < 3; call++) expect(await limiter.check('t', 'alice')).toBeUndefined();
      expect(await limiter.check('t', 'alice')).toMatchObject({ retryAfterMs: 1_000 });
    });

    it('lets calls through as the oldest ones leave the window, one by one', async () => {
      let clock = 50_000;
      const limiter = createRateLimiter(
        [{ name: 'two-per-second', per: 'tool', limit: 2, windowMs: 1_000 }],
        (make as NonNullable<typeof make>)(() => clock),
      );
      expect(await limiter.check('t', 'a')).toBeUndefined(); // at 50 000
      clock = 50_600;
      expect(await limiter.check('t', 'b')).toBeUndefined(); // at 50 600
      clock = 50_999;
      expect(await limiter.check('t', 'c')).toMatchObject({ retryAfterMs: 1 });
      clock = 51_000; // the first call leaves the window
      expect(await limiter.check('t', 'c')).toBeUndefined();
      expect(await limiter.check('t', 'd')).toMatchObject({ retryAfterMs: 600 });
    });
  });
}
