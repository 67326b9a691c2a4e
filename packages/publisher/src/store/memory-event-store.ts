/**
 * In-process resumability store: each session's events (serialized, so their size is known and
 * nothing else is kept alive) in one ordered list, bounded three ways: bytes per session, bytes
 * for the whole store (the session written least recently gives way first), and age. A
 * session's events go when it ends (`deleteSession`) or when they are all older than the age
 * limit. Dropping happens on write; reads never return an expired event. A bad limit throws
 * `CONFIG_INVALID` naming it.
 */
import type { JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';
import { positive } from '../check-option.js';
import {
  DEFAULT_EVENT_MAX_AGE_MS,
  DEFAULT_EVENT_MAX_BYTES_PER_SESSION,
  formatEventId,
  parseEventId,
  type SessionEventStore,
  type StoredEvent,
  utf8Length,
} from './session-event-store.js';

export interface MemoryEventStoreOptions {
  /** Bytes of events (serialized JSON) kept for the whole store. Default 64 MiB. */
  maxBytes?: number | undefined;
  /** Bytes of events kept per session; its oldest go first. Default 1 MiB. */
  maxBytesPerSession?: number | undefined;
  /** How long an event is kept for replay. Default 10 minutes. */
  maxAgeMs?: number | undefined;
}

/** The memory event store, with what it holds right now. */
export interface MemoryEventStore extends SessionEventStore {
  /** Bytes of serialized events retained, all sessions together. */
  readonly retainedBytes: number;
  /** Sessions with at least one retained event. */
  readonly sessionCount: number;
}

export const DEFAULT_MEMORY_EVENT_MAX_BYTES = 64 * 1024 * 1024;

interface Entry {
  streamId: StreamId;
  at: number;
  json: string;
  bytes: number;
}

/** One session's events: `entries[head + i]` has sequence `firstSequence + i`. */
interface SessionEvents {
  nextSequence: number;
  firstSequence: number;
  entries: (Entry | undefined)[];
  head: number;
  bytes: number;
  lastWrite: number;
}

/**
 * Creates the default resumability store.
 *
 * @example
 * ```ts
 * const events = createMemoryEventStore({ maxBytes: 16 * 1024 * 1024, maxAgeMs: 5 * 60_000 });
 * createPublisher({ name, version, tools, http: { store: { sessions: createMemorySessionStore(), events } } });
 * ```
 */
export function createMemoryEventStore(options: MemoryEventStoreOptions = {}): MemoryEventStore {
  const maxBytes = positive('maxBytes', options.maxBytes, DEFAULT_MEMORY_EVENT_MAX_BYTES, true);
  const maxBytesPerSession = Math.min(
    positive('maxBytesPerSession', options.maxBytesPerSession, DEFAULT_EVENT_MAX_BYTES_PER_SESSION, true),
    maxBytes,
  );
  const maxAgeMs = positive('maxAgeMs', options.maxAgeMs, DEFAULT_EVENT_MAX_AGE_MS);
  // Least recently written first: the global byte limit and the age sweep start there.
  const sessions = new Map<string, SessionEvents>();
  let retainedBytes = 0;

  const count = (events: SessionEvents) => events.entries.length - events.head;
  // An emptied session keeps its small header (its sequence) until it ends or ages out, so its
  // event ids never repeat.
  const dropOldest = (events: SessionEvents) => {
    const entry = events.entries[events.head];
    if (!entry) return;
    events.entries[events.head] = undefined;
    events.head++;
    events.firstSequence++;
    events.bytes -= entry.bytes;
    retainedBytes -= entry.bytes;
    if (count(events) === 0) {
      events.entries = [];
      events.head = 0;
    } else if (events.head > 1024 && events.head * 2 > events.entries.length) {
      events.entries = events.entries.slice(events.head);
      events.head = 0;
    }
  };
  const forget = (sessionId: string) => {
    const events = sessions.get(sessionId);
    if (!events) return;
    retainedBytes -= events.bytes;
    sessions.delete(sessionId);
  };
  const expire = (now: number) => {
    const cutoff = now - maxAgeMs;
    for (const [sessionId, events] of sessions) {
      if (events.lastWrite >= cutoff) break;
      forget(sessionId);
    }
  };
  const trimAged = (events: SessionEvents, now: number) => {
    const cutoff = now - maxAgeMs;
    while (count(events) > 0 && (events.entries[events.head] as Entry).at < cutoff) dropOldest(events);
  };
  /** The retained, unexpired entry with this sequence, if any. */
  const entryAt = (events: SessionEvents, sequence: number, now: number): Entry | undefined => {
    const offset = sequence - events.firstSequence;
    if (offset < 0 || offset >= count(events)) return undefined;
    const entry = events.entries[events.head + offset];
    return entry && entry.at >= now - maxAgeMs ? entry : undefined;
  };

  return {
    get retainedBytes() {
      return retainedBytes;
    },
    get sessionCount() {
      return sessions.size;
    },
    async storeEvent(sessionId, streamId, message) {
      const now = Date.now();
      expire(now);
      let events = sessions.get(sessionId);
      if (events) sessions.delete(sessionId);
      else events = { nextSequence: now, firstSequence: now, entries: [], head: 0, bytes: 0, lastWrite: now };
      sessions.set(sessionId, events);
      events.lastWrite = now;
      const sequence = events.nextSequence++;
      const json = JSON.stringify(message);
      const bytes = utf8Length(json);
      if (bytes > maxBytesPerSession) {
        // Too large to keep: delivered live only. Everything before it goes too, so a replay
        // from an earlier event is refused rather than silently missing this one.
        retainedBytes -= events.bytes;
        events.entries = [];
        events.head = 0;
        events.bytes = 0;
        events.firstSequence = sequence + 1;
        return formatEventId(sessionId, sequence, streamId);
      }
      events.entries.push({ streamId, at: now, json, bytes });
      events.bytes += bytes;
      retainedBytes += bytes;
      trimAged(events, now);
      while (events.bytes > maxBytesPerSession) dropOldest(events);
      // Over the store's limit: the sessions written least recently give way first.
      for (const other of sessions.values()) {
        if (retainedBytes <= maxBytes) break;
        while (count(other) > 0 && retainedBytes > maxBytes) dropOldest(other);
      }
      return formatEventId(sessionId, sequence, streamId);
    },
    async streamForEvent(sessionId, eventId) {
      const parsed = parseEventId(sessionId, eventId);
      const events = sessions.get(sessionId);
      if (!parsed || !events) return undefined;
      const entry = entryAt(events, parsed.sequence, Date.now());
      return entry?.streamId === parsed.streamId ? entry.streamId : undefined;
    },
    async eventsAfter(sessionId, streamId, afterEventId) {
      const now = Date.now();
      const events = sessions.get(sessionId);
      let from = events?.firstSequence ?? 0;
      if (afterEventId !== undefined) {
        const parsed = parseEventId(sessionId, afterEventId);
        if (!parsed || !events || entryAt(events, parsed.sequence, now)?.streamId !== parsed.streamId)
          return undefined;
        from = parsed.sequence + 1;
      }
      const replay: StoredEvent[] = [];
      if (!events) return replay;
      for (let sequence = from; sequence < events.firstSequence + count(events); sequence++) {
        const entry = entryAt(events, sequence, now);
        if (entry?.streamId === streamId) {
          replay.push({
            id: formatEventId(sessionId, sequence, streamId),
            message: JSON.parse(entry.json) as JSONRPCMessage,
          });
        }
      }
      return replay;
    },
    async deleteSession(sessionId) {
      forget(sessionId);
    },
  };
}
