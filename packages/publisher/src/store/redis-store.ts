/**
 * Session and resumability stores in Redis, so several publisher instances behind a load
 * balancer share sessions: an instance that receives a request for a session it has never seen
 * rebuilds it from the stored `initialize` parameters, and SSE replays find events stored by
 * any instance. Works with an ioredis client (or any client with the same commands); the
 * caller owns the client and closes it.
 */
import type { EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';
import { streamOf } from './memory-event-store.js';
import type { PublisherStore, SessionRecord, SessionStore } from './session-store.js';

/** The Redis commands used (ioredis's signatures). */
export interface RedisClientLike {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'PX', milliseconds: number): Promise<unknown>;
  pexpire(key: string, milliseconds: number): Promise<number>;
  del(...keys: string[]): Promise<unknown>;
  incr(key: string): Promise<number>;
  rpush(key: string, ...values: string[]): Promise<unknown>;
  ltrim(key: string, start: number, stop: number): Promise<unknown>;
  lrange(key: string, start: number, stop: number): Promise<string[]>;
  exists(...keys: string[]): Promise<number>;
}

export interface RedisStoreOptions {
  /** An ioredis client (not closed by the store). */
  redis: RedisClientLike;
  /** Key prefix; give each deployment (and each test run) its own. Default `toolwire:publisher`. */
  prefix?: string | undefined;
  /** How long resumability events are kept. Default 1 hour. */
  eventTtlMs?: number | undefined;
  /** Events kept per stream. Default 1000. */
  maxEventsPerStream?: number | undefined;
}

/** Creates the Redis-backed store for `createPublisher({ http: { store } })`. */
export function createRedisStore(options: RedisStoreOptions): PublisherStore {
  const prefix = options.prefix ?? 'toolwire:publisher';
  return {
    sessions: createRedisSessionStore(options.redis, prefix),
    events: createRedisEventStore(
      options.redis,
      prefix,
      options.eventTtlMs ?? 3_600_000,
      options.maxEventsPerStream ?? 1000,
    ),
  };
}

function createRedisSessionStore(redis: RedisClientLike, prefix: string): SessionStore {
  const key = (sessionId: string) => `${prefix}:session:${sessionId}`;
  return {
    async get(sessionId) {
      const raw = await redis.get(key(sessionId));
      if (raw === null) return undefined;
      try {
        return JSON.parse(raw) as SessionRecord;
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

function createRedisEventStore(
  redis: RedisClientLike,
  prefix: string,
  ttlMs: number,
  maxEvents: number,
): EventStore {
  const listKey = (streamId: string) => `${prefix}:stream:${streamId}`;
  return {
    async storeEvent(streamId, message) {
      const sequence = await redis.incr(`${listKey(streamId)}:seq`);
      const id = `${streamId}::${String(sequence).padStart(12, '0')}`;
      await redis.rpush(listKey(streamId), JSON.stringify({ id, message }));
      await redis.ltrim(listKey(streamId), -maxEvents, -1);
      await redis.pexpire(listKey(streamId), ttlMs);
      await redis.pexpire(`${listKey(streamId)}:seq`, ttlMs);
      return id;
    },
    async getStreamIdForEventId(eventId) {
      const streamId = streamOf(eventId);
      if (streamId === undefined) return undefined;
      return (await redis.exists(listKey(streamId))) > 0 ? streamId : undefined;
    },
    async replayEventsAfter(lastEventId, { send }) {
      const streamId = streamOf(lastEventId);
      if (streamId === undefined) throw new Error('Unknown event id');
      const entries = await redis.lrange(listKey(streamId), 0, -1);
      for (const entry of entries) {
        const event = JSON.parse(entry) as { id: string; message: JSONRPCMessage };
        if (event.id > lastEventId) await send(event.id, event.message);
      }
      return streamId;
    },
  };
}
