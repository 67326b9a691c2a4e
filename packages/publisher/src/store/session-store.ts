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
  /**
   * Extends the session's life (called at most every few seconds per session). Resolves `false`
   * when the session is gone (deleted by another instance, or expired): the caller drops its copy.
   */
  touch(sessionId: string, ttlMs: number): Promise<boolean>;
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
  return {
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
}
