/**
 * The contract of a resumability store (SSE `Last-Event-ID`) that keeps events per session: every
 * call names the session, so an event id can only ever be resolved inside the session that
 * produced it, and a session's events can be dropped in one call when it ends. Event ids are
 * `<sequence>-<session tag>:<stream id>`; sequence numbers grow within a session and never
 * repeat (each session's count starts at the clock, in milliseconds).
 */
import type { EventId, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';

/** A retained event, as replay returns it. */
export interface StoredEvent {
  id: EventId;
  message: JSONRPCMessage;
}

/**
 * Resumability events, kept per session under byte and age limits. Every call is bounded by the
 * publisher (`http.storeTimeoutMs`).
 */
export interface SessionEventStore {
  /** Keeps `message`, sent on `streamId` of `sessionId`; returns its event id. */
  storeEvent(sessionId: string, streamId: StreamId, message: JSONRPCMessage): Promise<EventId>;
  /** The stream a retained event of this session was sent on; `undefined` when unknown, dropped or expired. */
  streamForEvent(sessionId: string, eventId: EventId): Promise<StreamId | undefined>;
  /**
   * The session's retained events of `streamId` after `afterEventId`, in order (all retained
   * events of the stream when `afterEventId` is `undefined`). `undefined` when `afterEventId` is
   * no longer retained: what followed it may be incomplete.
   */
  eventsAfter(
    sessionId: string,
    streamId: StreamId,
    afterEventId: EventId | undefined,
  ): Promise<StoredEvent[] | undefined>;
  /** Drops every event of the session (it ended). */
  deleteSession(sessionId: string): Promise<void>;
}

/** Defaults shared by the memory and Redis stores. */
export const DEFAULT_EVENT_MAX_AGE_MS = 10 * 60 * 1000;
export const DEFAULT_EVENT_MAX_BYTES_PER_SESSION = 1024 * 1024;

/** A short tag of the session in every event id, so an id never resolves in another session. */
function sessionTag(sessionId: string): string {
  return sessionId.replace(/[^0-9A-Za-z]/g, '').slice(0, 8);
}

export function formatEventId(sessionId: string, sequence: number, streamId: StreamId): EventId {
  return `${sequence}-${sessionTag(sessionId)}:${streamId}`;
}

/**
 * Splits `<sequence>-<session tag>:<stream id>`; `undefined` for anything else, and for an id of
 * another session. Sequence 0 means "before the first event of the stream".
 */
export function parseEventId(
  sessionId: string,
  eventId: EventId,
): { sequence: number; streamId: StreamId } | undefined {
  const match = /^(\d{1,15})-([0-9A-Za-z]{0,8}):(.+)$/s.exec(eventId);
  if (!match || match[2] !== sessionTag(sessionId)) return undefined;
  return { sequence: Number(match[1]), streamId: match[3] as StreamId };
}

/** UTF-8 length of a string, without allocating an encoded copy. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      // A surrogate pair is one 4-byte code point.
      bytes += 4;
      index++;
    } else bytes += 3;
  }
  return bytes;
}
