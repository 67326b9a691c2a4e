/**
 * Where stateful sessions (2025-era Streamable HTTP) are remembered. A publisher keeps each live
 * session's SDK objects in memory; the store holds what another instance needs to continue a
 * session it has never seen: the client's `initialize` parameters. Memory by default; Redis
 * (`@toolwire/publisher/redis`) for several instances behind a load balancer.
 */
import type { EventStore } from '@modelcontextprotocol/server';

/** What is stored per session: enough to rebuild it on another instance. */
export interface SessionRecord {
  /** The `initialize` request's params, as the client sent them. */
  initialize: Record<string, unknown>;
  createdAt: number;
}

export interface SessionStore {
  get(sessionId: string): Promise<SessionRecord | undefined>;
  /** Saves a new session; it expires `ttlMs` after its last `set`/`touch`. */
  set(sessionId: string, record: SessionRecord, ttlMs: number): Promise<void>;
  /** Extends the session's life (called at most every few seconds per session). */
  touch(sessionId: string, ttlMs: number): Promise<void>;
  delete(sessionId: string): Promise<void>;
}

/** Session store and resumability event store, as `createPublisher({ http: { store } })` takes them. */
export interface PublisherStore {
  sessions: SessionStore;
  /** SSE resumability (`Last-Event-ID`); omit to disable replay. */
  events?: EventStore | undefined;
  /** Releases connections the store opened itself (never the caller's client). */
  close?: () => Promise<void>;
}

/** In-process session store: sessions expire after `ttlMs` without use. */
export function createMemorySessionStore(): SessionStore {
  const records = new Map<string, { record: SessionRecord; expiresAt: number }>();
  const live = (sessionId: string) => {
    const entry = records.get(sessionId);
    if (entry && entry.expiresAt <= Date.now()) {
      records.delete(sessionId);
      return undefined;
    }
    return entry;
  };
  return {
    async get(sessionId) {
      return live(sessionId)?.record;
    },
    async set(sessionId, record, ttlMs) {
      records.set(sessionId, { record, expiresAt: Date.now() + ttlMs });
    },
    async touch(sessionId, ttlMs) {
      const entry = live(sessionId);
      if (entry) entry.expiresAt = Date.now() + ttlMs;
    },
    async delete(sessionId) {
      records.delete(sessionId);
    },
  };
}
