/**
 * Where stateful sessions (2025-era Streamable HTTP) are remembered. A publisher keeps each live
 * session's SDK objects in memory; the store holds what another instance needs to continue a
 * session it has never seen: the client's `initialize` parameters and the principal the session
 * belongs to. Memory by default; Redis (`@toolwire/publisher/redis`) for several instances
 * behind a load balancer.
 */
import type { FleetBus } from './fleet-bus.js';
import type { SessionEventStore } from './session-event-store.js';

/** What is stored per session: enough to rebuild it on another instance, and whose it is. */
export interface SessionRecord {
  /** The `initialize` request's params, as the client sent them. */
  initialize: Record<string, unknown>;
  /**
   * The principal that opened the session, as an opaque key (a SHA-256 digest of issuer, subject
   * and client, or of the token when there is no subject; `anonymous` without auth). Requests
   * from any other principal are answered like an unknown session.
   */
  owner: string;
  createdAt: number;
}

/**
 * A session store. Every call is bounded by the publisher (`http.storeTimeoutMs`): a call that
 * fails or does not answer in time makes the request fail with 503, never hang.
 */
export interface SessionStore {
  get(sessionId: string): Promise<SessionRecord | undefined>;
  /** Saves a new session; it expires `ttlMs` after its last `set`/`touch`. */
  set(sessionId: string, record: SessionRecord, ttlMs: number): Promise<void>;
  /**
   * Extends the session's life (called for every request that names the session). Resolves
   * `false` when the session is gone (deleted by another instance, evicted, or expired): the
   * caller drops its copy and answers 404.
   */
  touch(sessionId: string, ttlMs: number): Promise<boolean>;
  delete(sessionId: string): Promise<void>;
}

/** Session store and resumability event store, as `createPublisher({ http: { store } })` takes them. */
export interface PublisherStore {
  sessions: SessionStore;
  /** SSE resumability (`Last-Event-ID`), kept per session; omit to disable replay. */
  events?: SessionEventStore | undefined;
  /**
   * The channel a fleet's instances talk over (Redis pub/sub with `createRedisStore`): answers to
   * server-to-client requests reach the instance that asked, cancellations every instance, and a
   * stream resumed on another instance goes on live. Omit for one instance.
   */
  bus?: FleetBus | undefined;
  /** Releases connections the store opened itself (never the caller's client). */
  close?: () => Promise<void>;
}

/** Stores made by `createMemorySessionStore` itself (a copy or a wrapper of one is not). */
const inProcessStores = new WeakSet<SessionStore>();

/**
 * True for the publisher's own in-process store, whose calls settle at once and never fail: the
 * store deadline (a timer per call, on every request) has nothing to guard there.
 */
export function isInProcessSessionStore(store: SessionStore): boolean {
  return inProcessStores.has(store);
}

/** In-process session store: sessions expire after `ttlMs` without use. */
export function createMemorySessionStore(): SessionStore {
  const records = new Map<string, { record: SessionRecord; expiresAt: number }>();
  let nextPurge = 0;
  // Expired entries are dropped on access and, at most once a minute, in one sweep on write.
  const purge = (now: number) => {
    if (now < nextPurge) return;
    nextPurge = now + 60_000;
    for (const [sessionId, entry] of records) if (entry.expiresAt <= now) records.delete(sessionId);
  };
  const live = (sessionId: string) => {
    const entry = records.get(sessionId);
    if (entry && entry.expiresAt <= Date.now()) {
      records.delete(sessionId);
      return undefined;
    }
    return entry;
  };
  const store: SessionStore = {
    async get(sessionId) {
      return live(sessionId)?.record;
    },
    async set(sessionId, record, ttlMs) {
      const now = Date.now();
      purge(now);
      records.set(sessionId, { record, expiresAt: now + ttlMs });
    },
    async touch(sessionId, ttlMs) {
      const entry = live(sessionId);
      if (entry) entry.expiresAt = Date.now() + ttlMs;
      return entry !== undefined;
    },
    async delete(sessionId) {
      records.delete(sessionId);
    },
  };
  inProcessStores.add(store);
  return store;
}
