/**
 * The fleet bus over Redis pub/sub. Publishing uses the store's client; subscribing needs a
 * connection of its own (a subscribed Redis connection runs no other commands), opened lazily
 * with the client's `duplicate()` (or the `subscriber` the caller gave) and shared by every
 * channel of this instance.
 */
import type { FleetBus } from './fleet-bus.js';

/** What the bus needs of the store's client: `publish`, and `duplicate()` for a subscriber. */
export interface RedisPublisherLike {
  publish(channel: string, message: string): Promise<unknown>;
  duplicate?: () => RedisSubscriberLike;
}

/** A Redis connection in subscriber mode (ioredis's signatures). */
export interface RedisSubscriberLike {
  subscribe(...channels: string[]): Promise<unknown>;
  unsubscribe(...channels: string[]): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  disconnect(): void;
}

export interface RedisFleetBus extends FleetBus {
  /** Closes the subscriber connection when the bus opened it itself. */
  close(): Promise<void>;
}

export function createRedisFleetBus(
  redis: RedisPublisherLike,
  subscriber: RedisSubscriberLike | undefined,
): RedisFleetBus {
  const listeners = new Map<string, Set<(message: string) => void>>();
  // One SUBSCRIBE per channel; later subscribers wait for the first one's to be in place.
  const subscribing = new Map<string, Promise<void>>();
  let connection: RedisSubscriberLike | undefined = subscriber;
  const ownConnection = subscriber === undefined;
  let attached = false;
  const open = (): RedisSubscriberLike => {
    if (!connection) {
      if (!redis.duplicate) {
        throw new TypeError('createRedisStore: the Redis client has no duplicate(); pass `subscriber`.');
      }
      connection = redis.duplicate();
    }
    if (!attached) {
      attached = true;
      connection.on('message', (channel, message) => {
        for (const listener of listeners.get(channel) ?? []) listener(message);
      });
    }
    return connection;
  };
  return {
    async publish(channel, message) {
      const receivers = await redis.publish(channel, message);
      return typeof receivers === 'number' ? receivers : undefined;
    },
    async subscribe(channel, listener) {
      const subscribed = open();
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        const pending = subscribed.subscribe(channel).then(() => {});
        subscribing.set(channel, pending);
        try {
          await pending;
        } catch (error) {
          listeners.delete(channel);
          throw error;
        } finally {
          subscribing.delete(channel);
        }
      } else {
        await subscribing.get(channel);
      }
      set.add(listener);
      return async () => {
        const current = listeners.get(channel);
        if (!current?.delete(listener) || current.size > 0) return;
        listeners.delete(channel);
        await subscribed.unsubscribe(channel).catch(() => {});
      };
    },
    async close() {
      listeners.clear();
      if (ownConnection) connection?.disconnect();
      connection = undefined;
      attached = false;
    },
  };
}
