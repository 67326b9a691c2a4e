import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import type { ToolwireError } from '@toolwire/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryEventStore } from './memory-event-store.js';

const message = (id: number, pad = ''): JSONRPCMessage => ({ jsonrpc: '2.0', id, result: { pad } });
const size = (value: JSONRPCMessage) => JSON.stringify(value).length;

afterEach(() => {
  vi.useRealTimers();
});

describe('memory event store', () => {
  it('replays one stream of one session after a given id, in order', async () => {
    const store = createMemoryEventStore();
    const first = await store.storeEvent('s1', 'stream-a', message(1));
    await store.storeEvent('s1', 'stream-b', message(99));
    await store.storeEvent('s1', 'stream-a', message(2));
    await store.storeEvent('s1', 'stream-a', message(3));
    expect(await store.streamForEvent('s1', first)).toBe('stream-a');
    const replayed = await store.eventsAfter('s1', 'stream-a', first);
    expect(replayed?.map((event) => event.message)).toEqual([message(2), message(3)]);
    const all = await store.eventsAfter('s1', 'stream-a', undefined);
    expect(all?.map((event) => event.message)).toEqual([message(1), message(2), message(3)]);
  });

  it('never resolves an event id in another session, even for the same stream id', async () => {
    const store = createMemoryEventStore();
    const mine = await store.storeEvent('s1', '_GET_stream', message(1));
    await store.storeEvent('s1', '_GET_stream', message(2));
    await store.storeEvent('s2', '_GET_stream', message(3));
    expect(await store.streamForEvent('s2', mine)).toBeUndefined();
    expect(await store.eventsAfter('s2', '_GET_stream', mine)).toBeUndefined();
    const own = await store.eventsAfter('s2', '_GET_stream', undefined);
    expect(own?.map((event) => event.message)).toEqual([message(3)]);
  });

  it('drops a session’s events when it ends', async () => {
    const store = createMemoryEventStore();
    const id = await store.storeEvent('s1', 'a', message(1, 'x'.repeat(1000)));
    await store.storeEvent('s2', 'a', message(2));
    await store.deleteSession('s1');
    expect(store.sessionCount).toBe(1);
    expect(store.retainedBytes).toBe(size(message(2)));
    expect(await store.streamForEvent('s1', id)).toBeUndefined();
  });

  it('keeps each session under its byte limit, oldest first, and refuses replays from a dropped event', async () => {
    const one = message(1, 'x'.repeat(100));
    const store = createMemoryEventStore({ maxBytesPerSession: size(one) * 2 });
    const first = await store.storeEvent('s1', 'a', one);
    const second = await store.storeEvent('s1', 'a', message(2, 'x'.repeat(100)));
    await store.storeEvent('s1', 'a', message(3, 'x'.repeat(100)));
    expect(store.retainedBytes).toBeLessThanOrEqual(size(one) * 2);
    expect(await store.eventsAfter('s1', 'a', first)).toBeUndefined();
    const after = await store.eventsAfter('s1', 'a', second);
    expect(after?.map((event) => (event.message as { id: number }).id)).toEqual([3]);
  });

  it('keeps the whole store under its byte limit: the least recently written session gives way', async () => {
    const one = message(1, 'y'.repeat(100));
    const store = createMemoryEventStore({ maxBytes: size(one) * 3 });
    await store.storeEvent('old', 'a', one);
    await store.storeEvent('old', 'a', message(2, 'y'.repeat(100)));
    await store.storeEvent('new', 'a', message(3, 'y'.repeat(100)));
    await store.storeEvent('new', 'a', message(4, 'y'.repeat(100)));
    expect(store.retainedBytes).toBeLessThanOrEqual(size(one) * 3);
    expect((await store.eventsAfter('new', 'a', undefined))?.length).toBe(2);
    expect((await store.eventsAfter('old', 'a', undefined))?.length).toBe(1);
  });

  it('does not keep an event larger than the session limit, nor anything before it', async () => {
    const store = createMemoryEventStore({ maxBytesPerSession: 500 });
    const before = await store.storeEvent('s1', 'a', message(1));
    const huge = await store.storeEvent('s1', 'a', message(2, 'z'.repeat(1000)));
    expect(store.retainedBytes).toBe(0);
    expect(await store.streamForEvent('s1', huge)).toBeUndefined();
    expect(await store.eventsAfter('s1', 'a', before)).toBeUndefined();
  });

  it('forgets events older than the age limit', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const store = createMemoryEventStore({ maxAgeMs: 60_000 });
    const old = await store.storeEvent('s1', 'a', message(1));
    vi.setSystemTime(1_000_000 + 61_000);
    expect(await store.streamForEvent('s1', old)).toBeUndefined();
    expect(await store.eventsAfter('s1', 'a', undefined)).toEqual([]);
    // The next write sweeps sessions whose every event is too old.
    await store.storeEvent('s2', 'a', message(2));
    expect(store.sessionCount).toBe(1);
    expect(store.retainedBytes).toBe(size(message(2)));
  });

  it('never hands out the same event id twice in a session', async () => {
    const store = createMemoryEventStore({ maxBytesPerSession: 100 });
    const ids = new Set<string>();
    for (let index = 0; index < 50; index++) ids.add(await store.storeEvent('s1', 'a', message(index)));
    expect(ids.size).toBe(50);
  });

  it('rejects a limit that is not a positive number with CONFIG_INVALID naming it', () => {
    expect(() => createMemoryEventStore({ maxBytes: 0 })).toThrow(/maxBytes/);
    expect(() => createMemoryEventStore({ maxAgeMs: Number.NaN })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }) as unknown as ToolwireError,
    );
  });
});
