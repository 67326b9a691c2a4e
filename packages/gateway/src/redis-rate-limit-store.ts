/**
 * Rate-limit counters in Redis, shared by every gateway instance that uses the same Redis and
 * prefix. One Lua script per call (atomic) keeps a sliding-window log per key: a sorted set of
 * the times of the calls let through in the last `windowMs` (at most `limit`); older ones are
 * removed, the call is added when there is room, and the key expires a window after the last
 * call. Times come from the gateway's clock (the `now` option): keep the fleet's clocks in sync.
 * Keys are `<prefix>:<limit name>:<per>:<principal digest>[:tool:<name>]`: never a token or an
 * identity. Needs only a client with `eval` (ioredis, or any with the same signature); the
 * caller owns it.
 */
import type { RateLimitStore, RateLimitStoreClockOptions } from './rate-limits.js';

/** The one Redis command the store uses (ioredis's signature). */
export interface RedisRateLimitClient {
  eval(script: string, numkeys: number, ...args: (string | number)[]): Promise<unknown>;
}

export interface RedisRateLimitStoreOptions extends RateLimitStoreClockOptions {
  /** An ioredis client (not closed by the store). */
  redis: RedisRateLimitClient;
  /** Key prefix; give each deployment (and each test run) its own. Default `toolwire:gateway:rate`. */
  prefix?: string | undefined;
}

// ARGV: now (ms), window (ms), limit, a member unique to this call. Answers { count, resetMs }.
// A key left by the fixed-window store of earlier versions (a plain counter) is replaced.
const HIT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
if redis.call('TYPE', KEYS[1]).ok ~= 'zset' then redis.call('DEL', KEYS[1]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local recorded = count < limit
if recorded then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  count = count + 1
  redis.call('PEXPIRE', KEYS[1], window)
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local reset = window
if oldest[2] then reset = tonumber(oldest[2]) + window - now end
if not recorded then count = limit + 1 end
return { count, reset }
`;

/**
 * Creates the Redis-backed store for `policy.rateLimitStore`, so a limit holds across a fleet.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createRedisRateLimitStore } from '@toolwire/gateway';
 *
 * const rateLimitStore = createRedisRateLimitStore({ redis: new Redis(process.env.REDIS_URL!), prefix: 'acme-gw' });
 * ```
 */
export function createRedisRateLimitStore(options: RedisRateLimitStoreOptions): RateLimitStore {
  const prefix = options.prefix ?? 'toolwire:gateway:rate';
  const { redis } = options;
  const now = options.now ?? Date.now;
  let sequence = 0;
  const self = crypto.randomUUID();
  return {
    async hit(key, windowMs, limit = Number.MAX_SAFE_INTEGER) {
      sequence += 1;
      const reply = await redis.eval(
        HIT,
        1,
        `${prefix}:${key}`,
        now(),
        windowMs,
        limit,
        `${self}:${sequence}`,
      );
      if (!Array.isArray(reply) || reply.length !== 2) {
        throw new Error('Redis answered the rate-limit script with something other than [count, resetMs].');
      }
      return { count: Number(reply[0]), resetMs: Number(reply[1]) };
    },
  };
}
