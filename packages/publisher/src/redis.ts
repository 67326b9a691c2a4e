/**
 * @toolwire/publisher/redis: Redis-backed session and resumability stores for publisher fleets
 * (ioredis is an optional peer dependency; only this entry needs it).
 */
export type { RedisClientLike, RedisStoreOptions, RedisSubscriberLike } from './store/redis-store.js';
export { createRedisStore } from './store/redis-store.js';
