/**
 * In-process resumability store for SSE streams: events are kept per stream (bounded), so a
 * client that reconnects with `Last-Event-ID` gets what it missed.
 */
import type { EventId, EventStore, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';

export interface MemoryEventStoreOptions {
  /** Events kept per stream; older ones are dropped. Default 1000. */
  maxEventsPerStream?: number | undefined;
  /** Streams kept; the least recently written is dropped first. Default 10,000. */
  maxStreams?: number | undefined;
}

const SEPARATOR = '::';

export function createMemoryEventStore(options: MemoryEventStoreOptions = {}): EventStore {
  const maxEvents = options.maxEventsPerStream ?? 1000;
  const maxStreams = options.maxStreams ?? 10_000;
  const streams = new Map<
    StreamId,
    { sequence: number; events: { id: EventId; message: JSONRPCMessage }[] }
  >();
  return {
    async storeEvent(streamId, message) {
      let stream = streams.get(streamId);
      if (stream) streams.delete(streamId);
      else stream = { sequence: 0, events: [] };
      streams.set(streamId, stream);
      if (streams.size > maxStreams) streams.delete(streams.keys().next().value as StreamId);
      stream.sequence += 1;
      const id = `${streamId}${SEPARATOR}${String(stream.sequence).padStart(12, '0')}`;
      stream.events.push({ id, message });
      if (stream.events.length > maxEvents) stream.events.shift();
      return id;
    },
    async getStreamIdForEventId(eventId) {
      const streamId = streamOf(eventId);
      return streamId !== undefined && streams.has(streamId) ? streamId : undefined;
    },
    async replayEventsAfter(lastEventId, { send }) {
      const streamId = streamOf(lastEventId);
      const stream = streamId === undefined ? undefined : streams.get(streamId);
      if (!stream || streamId === undefined) throw new Error('Unknown event id');
      for (const event of stream.events) if (event.id > lastEventId) await send(event.id, event.message);
      return streamId;
    },
  };
}

export function streamOf(eventId: EventId): StreamId | undefined {
  const index = eventId.lastIndexOf(SEPARATOR);
  return index <= 0 ? undefined : eventId.slice(0, index);
}
