/**
 * A memory event store that records what is written to it, for tests that show what went through
 * the store and what did not (the fast answer's JSON body never does; a call handed over to a
 * stream does).
 */
import { createMemoryEventStore, type SessionEventStore } from '../../src/index.js';

export interface CountingEventStore {
  store: SessionEventStore;
  /** Events written to the store, by method (`result` for answers), in order. */
  stored: string[];
}

export function createCountingEventStore(): CountingEventStore {
  const events = createMemoryEventStore();
  const stored: string[] = [];
  const store: SessionEventStore = {
    storeEvent: (sessionId, streamId, message) => {
      stored.push('method' in message ? message.method : 'result');
      return events.storeEvent(sessionId, streamId, message);
    },
    streamForEvent: (sessionId, eventId) => events.streamForEvent(sessionId, eventId),
    eventsAfter: (sessionId, streamId, after) => events.eventsAfter(sessionId, streamId, after),
    deleteSession: (sessionId) => events.deleteSession(sessionId),
  };
  return { store, stored };
}
