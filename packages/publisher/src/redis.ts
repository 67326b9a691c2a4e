/**
 * @toolwire/publisher/redis: Redis-backed session, resumability and task stores for publisher
 * fleets (ioredis is an optional peer dependency; only this entry needs it).
 */
export type { RedisClientLike, RedisStoreOptions, RedisSubscriberLike } from './store/redis-store.js';
export { createRedisStore } from './store/redis-store.js';
export type { RedisTaskStoreOptions } from './tasks/redis-task-store.js';
export { createRedisTaskStore } from './tasks/redis-task-store.js';
