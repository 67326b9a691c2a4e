/**
 * Session and resumability stores in Redis, so several publisher instances behind a load
 * balancer share sessions: an instance that receives a request for a session it has never seen
 * rebuilds it from the stored record (the `initialize` parameters, and the principal it belongs
 * to), and SSE replays find a session's events stored by any instance. Works with an ioredis
 * client (or any client with the same commands); the caller owns the client and closes it.
 */
import { positive } from '../check-option.js';
import type { RedisClientLike } from './redis-client.js';
import { createRedisEventStore } from './redis-event-store.js';
import { createRedisFleetBus, type RedisPublisherLike, type RedisSubscriberLike } from './redis-fleet-bus.js';
import { DEFAULT_EVENT_MAX_AGE_MS, DEFAULT_EVENT_MAX_BYTES_PER_SESSION } from './session-event-store.js';
import type { PublisherStore, SessionRecord, SessionStore } from './session-store.js';

export type { RedisClientLike } from './redis-client.js';
export type { RedisSubscriberLike } from './redis-fleet-bus.js';

export interface RedisStoreOptions {
  /**
   * An ioredis client (not closed by the store). Fleets also use its `publish`, and its
   * `duplicate()` for the pub/sub connection (which the store opens and closes itself).
   */
  redis: RedisClientLike & Partial<RedisPublisherLike>;
  /**
   * The connection the store subscribes with (the fleet's pub/sub channels), when you would
   * rather not have it call `redis.duplicate()`. Not closed by the store.
   */
  subscriber?: RedisSubscriberLike | undefined;
  /** Key prefix; give each deployment (and each test run) its own. Default `toolwire:publisher`. */
  prefix?: string | undefined;
  /** How long a resumability event is kept (the session's event keys expire this long after its last event). Default 10 minutes. */
  eventMaxAgeMs?: number | undefined;
  /** Bytes of events (serialized JSON) kept per session; its oldest go first. Default 1 MiB. */
  eventMaxBytesPerSession?: number | undefined;
}

/**
 * Creates the Redis-backed store for `createPublisher({ http: { store } })`.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createRedisStore } from '@toolwire/publisher/redis';
 *
 * const store = createRedisStore({ redis: new Redis(process.env.REDIS_URL!), prefix: 'finance-tools' });
 * ```
 */
export function createRedisStore(options: RedisStoreOptions): PublisherStore {
  const prefix = options.prefix ?? 'toolwire:publisher';
  const { redis } = options;
  // Without `publish` and a way to subscribe (a client limited to the store's commands) the store
  // serves sessions as before, without the fleet's routing.
  const bus =
    typeof redis.publish === 'function' && (options.subscriber || typeof redis.duplicate === 'function')
      ? createRedisFleetBus(redis as RedisPublisherLike, options.subscriber)
      : undefined;
  const channel = (name: string) => `${prefix}:fleet:${name}`;
  return {
    sessions: createRedisSessionStore(options.redis, prefix),
    events: createRedisEventStore(
      options.redis,
      prefix,
      positive('eventMaxAgeMs', options.eventMaxAgeMs, DEFAULT_EVENT_MAX_AGE_MS, true),
      positive(
        'eventMaxBytesPerSession',
        options.eventMaxBytesPerSession,
        DEFAULT_EVENT_MAX_BYTES_PER_SESSION,
        true,
      ),
    ),
    ...(bus
      ? {
          bus: {
            publish: (name, message) => bus.publish(channel(name), message),
            subscribe: (name, listener) => bus.subscribe(channel(name), listener),
          },
          close: () => bus.close(),
        }
      : {}),
  };
}

function createRedisSessionStore(redis: RedisClientLike, prefix: string): SessionStore {
  const key = (sessionId: string) => `${prefix}:session:${sessionId}`;
  return {
    async get(sessionId) {
      const raw = await redis.get(key(sessionId));
      if (raw === null) return undefined;
      try {
        const record = JSON.parse(raw) as Partial<SessionRecord>;
        // A record without an owner (written by an older version) belongs to nobody.
        return typeof record.owner === 'string' && typeof record.initialize === 'object'
          ? (record as SessionRecord)
          : undefined;
      } catch {
        return undefined;
      }
    },
    async set(sessionId, record, ttlMs) {
      await redis.set(key(sessionId), JSON.stringify(record), 'PX', ttlMs);
    },
    async touch(sessionId, ttlMs) {
      return (await redis.pexpire(key(sessionId), ttlMs)) === 1;
    },
    async delete(sessionId) {
      await redis.del(key(sessionId));
    },
  };
}
