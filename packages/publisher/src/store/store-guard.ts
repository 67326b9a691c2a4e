/**
 * The one path every session-store and event-store call goes through: a deadline, and one error
 * for "the store is not there" (`STORE_UNAVAILABLE`), whatever the store (memory, Redis, custom)
 * and however it failed (rejected, threw, or never answered). Callers turn that error into a
 * prompt 503, or a JSON-RPC error on a stream that had already started.
 */
import { ToolwireError, withStallTolerantDeadline } from '@toolwire/core';
import type { FleetBus } from './fleet-bus.js';
import type { SessionEventStore } from './session-event-store.js';
import { isInProcessSessionStore, type SessionStore } from './session-store.js';

export const DEFAULT_STORE_TIMEOUT_MS = 2_000;

/** Bounds one store call; any failure or a missed deadline becomes `STORE_UNAVAILABLE`. */
export async function withStoreDeadline<T>(
  what: string,
  timeoutMs: number,
  call: () => Promise<T>,
): Promise<T> {
  try {
    // A deadline that does not count time this process itself spent busy (core's shared rule for
    // every store): a stalled event loop is not a store outage.
    return await withStallTolerantDeadline(
      Promise.resolve().then(call),
      timeoutMs,
      () =>
        new ToolwireError({
          code: 'STORE_UNAVAILABLE',
          message: `The ${what} did not answer within ${timeoutMs} ms.`,
        }),
    );
  } catch (error) {
    if (ToolwireError.isInstance(error) && error.code === 'STORE_UNAVAILABLE') throw error;
    throw new ToolwireError({ code: 'STORE_UNAVAILABLE', message: `The ${what} failed.`, cause: error });
  }
}

export function isStoreUnavailable(error: unknown): error is ToolwireError {
  return ToolwireError.isInstance(error) && error.code === 'STORE_UNAVAILABLE';
}

/** The session store with every call bounded (the in-process memory store needs no bound). */
export function guardSessionStore(store: SessionStore, timeoutMs: number): SessionStore {
  if (isInProcessSessionStore(store)) return store;
  const what = (operation: string) => `session store (${operation})`;
  return {
    get: (sessionId) => withStoreDeadline(what('get'), timeoutMs, () => store.get(sessionId)),
    set: (sessionId, record, ttlMs) =>
      withStoreDeadline(what('set'), timeoutMs, () => store.set(sessionId, record, ttlMs)),
    touch: (sessionId, ttlMs) =>
      withStoreDeadline(what('touch'), timeoutMs, () => store.touch(sessionId, ttlMs)),
    delete: (sessionId) => withStoreDeadline(what('delete'), timeoutMs, () => store.delete(sessionId)),
  };
}

/** The event store with every call bounded. */
export function guardEventStore(store: SessionEventStore, timeoutMs: number): SessionEventStore {
  const what = (operation: string) => `event store (${operation})`;
  return {
    storeEvent: (sessionId, streamId, message) =>
      withStoreDeadline(what('store'), timeoutMs, () => store.storeEvent(sessionId, streamId, message)),
    streamForEvent: (sessionId, eventId) =>
      withStoreDeadline(what('lookup'), timeoutMs, () => store.streamForEvent(sessionId, eventId)),
    eventsAfter: (sessionId, streamId, afterEventId) =>
      withStoreDeadline(what('replay'), timeoutMs, () =>
        store.eventsAfter(sessionId, streamId, afterEventId),
      ),
    deleteSession: (sessionId) =>
      withStoreDeadline(what('delete'), timeoutMs, () => store.deleteSession(sessionId)),
  };
}

/** The fleet bus with every call bounded. */
export function guardFleetBus(bus: FleetBus, timeoutMs: number): FleetBus {
  return {
    publish: (channel, message) =>
      withStoreDeadline('fleet bus (publish)', timeoutMs, () => bus.publish(channel, message)),
    subscribe: (channel, listener) =>
      withStoreDeadline('fleet bus (subscribe)', timeoutMs, () => bus.subscribe(channel, listener)),
  };
}
