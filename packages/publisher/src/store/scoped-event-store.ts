/**
 * One session's view of the event store, in the shape the SDK transport takes (`EventStore`):
 * every call carries the session id, so an event id learned from another session resolves to
 * nothing here. Two things never reach the store: the empty priming event that opens a POST
 * stream (its id, sequence 0 of that stream, means "from the start of that stream", so opening a stream
 * costs no store write), and messages the publisher sends while the store is failing (they go
 * out without an event id rather than not at all).
 */
import type { EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';
import { readStreamMarker } from '../fleet/stream-marker.js';
import { formatEventId, parseEventId, type SessionEventStore } from './session-event-store.js';

/** What a fleet's session hears from its event store. */
export interface StreamHooks {
  /** A POST stream opened (its priming event; nothing was stored). */
  opened(streamId: string): void;
  /** An event of `streamId` is stored (instances relaying the stream read it now). */
  stored(streamId: string): void;
}

export interface ScopedEventStore extends EventStore {
  /** The next `storeEvent` of exactly this message object skips the store (sent without an event id). */
  skip(message: JSONRPCMessage): void;
  /** Takes back a `skip` (the message went out, or never will): `true` when one was pending. */
  unskip(message: JSONRPCMessage): boolean;
  /** While true nothing is stored (a session being rebuilt replays its own handshake). */
  paused: boolean;
}

export function scopeEventStore(
  store: SessionEventStore,
  sessionId: string,
  hooks?: StreamHooks,
): ScopedEventStore {
  return new SessionScope(store, sessionId, hooks);
}

/**
 * A class rather than an object of closures: one of these lives as long as its session, and a
 * publisher holds thousands of idle sessions (the methods live once, on the prototype).
 */
class SessionScope implements ScopedEventStore {
  paused = false;
  /**
   * Messages to send without storing, until their `storeEvent`: held only that long (every
   * session skips its `initialize` answer once, so an empty set is not kept for the session's life).
   */
  private skipped: JSONRPCMessage[] | undefined;
  private readonly store: SessionEventStore;
  private readonly sessionId: string;
  private readonly hooks: StreamHooks | undefined;

  constructor(store: SessionEventStore, sessionId: string, hooks: StreamHooks | undefined) {
    this.store = store;
    this.sessionId = sessionId;
    this.hooks = hooks;
  }

  skip(message: JSONRPCMessage): void {
    this.skipped ??= [];
    this.skipped.push(message);
  }

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    // The SDK's priming event is an empty object written when a POST stream opens.
    if (!('jsonrpc' in message)) {
      this.hooks?.opened(streamId);
      return formatEventId(this.sessionId, 0, streamId);
    }
    if (this.paused || this.unskip(message)) {
      // No `id:` line: a client cannot resume from a message that was never kept.
      return '';
    }
    const eventId = await this.store.storeEvent(this.sessionId, streamId, message);
    this.hooks?.stored(streamId);
    return eventId;
  }

  unskip(message: JSONRPCMessage): boolean {
    const index = this.skipped?.indexOf(message) ?? -1;
    if (index < 0) return false;
    this.skipped?.splice(index, 1);
    if (this.skipped?.length === 0) this.skipped = undefined;
    return true;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    const parsed = parseEventId(this.sessionId, eventId);
    if (parsed?.sequence === 0) return parsed.streamId;
    return this.store.streamForEvent(this.sessionId, eventId);
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    const parsed = parseEventId(this.sessionId, lastEventId);
    if (!parsed) throw new Error('Unknown event id');
    const after = parsed.sequence === 0 ? undefined : lastEventId;
    const events = await this.store.eventsAfter(this.sessionId, parsed.streamId, after);
    if (events === undefined) throw new Error('Unknown event id');
    for (const event of events) {
      // A fleet's stream marker is for the instances, not the client.
      if (!readStreamMarker(event.message)) await send(event.id, event.message);
    }
    return parsed.streamId;
  }
}
