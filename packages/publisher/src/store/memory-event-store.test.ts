import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { createMemoryEventStore } from './memory-event-store.js';

const message = (id: number): JSONRPCMessage => ({ jsonrpc: '2.0', id, result: {} });

describe('memory event store', () => {
  it('replays the events of one stream after a given id, in order', async () => {
    const store = createMemoryEventStore();
    const first = await store.storeEvent('stream-a', message(1));
    await store.storeEvent('stream-b', message(99));
    await store.storeEvent('stream-a', message(2));
    await store.storeEvent('stream-a', message(3));
    const replayed: JSONRPCMessage[] = [];
    const streamId = await store.replayEventsAfter(first, {
      send: async (_id, event) => {
        replayed.push(event);
      },
    });
    expect(streamId).toBe('stream-a');
    expect(replayed).toEqual([message(2), message(3)]);
    expect(await store.getStreamIdForEventId?.(first)).toBe('stream-a');
  });

  it('keeps at most maxEventsPerStream events and refuses unknown ids', async () => {
    const store = createMemoryEventStore({ maxEventsPerStream: 2 });
    const first = await store.storeEvent('s', message(1));
    for (let index = 2; index <= 4; index++) await store.storeEvent('s', message(index));
    const replayed: unknown[] = [];
    await store.replayEventsAfter(first, { send: async (_id, event) => void replayed.push(event) });
    expect(replayed).toEqual([message(3), message(4)]);
    await expect(store.replayEventsAfter('nope', { send: async () => {} })).rejects.toThrow(
      /Unknown event id/,
    );
  });
});
