/**
 * @toolwire/core/redis: Redis-backed stores for fleets of agent workers. Node-only; needs the
 * optional peer dependency `ioredis` when given a URL (or bring your own client).
 */

export type { RedisTokenStoreClient, RedisTokenStoreOptions } from './auth/redis-token-store.js';
export { createRedisTokenStore } from './auth/redis-token-store.js';
export type { RedisSchemaCacheClient, RedisSchemaCacheOptions } from './cache/redis-schema-cache.js';
export { createRedisSchemaCache } from './cache/redis-schema-cache.js';
