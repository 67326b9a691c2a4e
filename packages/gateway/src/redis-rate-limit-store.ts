/**
 * Rate-limit counters in Redis, shared by every gateway instance that uses the same Redis and
 * prefix. One Lua script per call (atomic): `INCR` the window's counter, start its expiry on the
 * first call (`PEXPIRE`), and answer the count with the time left (`PTTL`). Keys are
 * `<prefix>:<limit name>:<per>:<principal digest>[:tool:<name>]`: never a token or an identity.
 * Needs only a client with `eval` (ioredis, or any with the same signature); the caller owns it.
 */
import type { RateLimitStore } from './rate-limits.js';

/** The one Redis command the store uses (ioredis's signature). */
export interface RedisRateLimitClient {
  eval(script: string, numkeys: number, ...args: (string | number)[]): Promise<unknown>;
}

export interface RedisRateLimitStoreOptions {
  /** An ioredis client (not closed by the store). */
  redis: RedisRateLimitClient;
  /** Key prefix; give each deployment (and each test run) its own. Default `toolwire:gateway:rate`. */
  prefix?: string | undefined;
}

// A counter without an expiry (a crash between INCR and PEXPIRE cannot happen in a script, but a
// key written by something else can) gets one, so no window lasts forever.
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }
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
  return {
    async hit(key, windowMs) {
      const reply = await redis.eval(HIT, 1, `${prefix}:${key}`, windowMs);
      if (!Array.isArray(reply) || reply.length !== 2) {
        throw new Error('Redis answered the rate-limit script with something other than [count, ttl].');
      }
      return { count: Number(reply[0]), resetMs: Number(reply[1]) };
    },
  };
}
