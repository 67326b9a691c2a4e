import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryFleetBus } from '../../test/support/memory-fleet-bus.js';
import { createMemoryEventStore } from '../store/memory-event-store.js';
import { formatEventId } from '../store/session-event-store.js';
import { ServerRequestRouter } from './server-request-router.js';
import { streamMarker } from './stream-marker.js';
import { eventsChannel, relayStream } from './stream-relay.js';

const progress = (value: number): JSONRPCMessage => ({
  jsonrpc: '2.0',
  method: 'notifications/progress',
  params: { progressToken: 1, progress: value },
});
const result: JSONRPCMessage = { jsonrpc: '2.0', id: 7, result: { content: [] } };

/** Reads SSE messages from `response` until one is a response (or the stream ends). */
async function readUntilAnswer(response: Response): Promise<{ ids: string[]; messages: JSONRPCMessage[] }> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  const ids: string[] = [];
  const messages: JSONRPCMessage[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    const blocks = text.split('\n\n');
    text = blocks.pop() ?? '';
    for (const block of blocks) {
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!data) continue;
      ids.push(/^id: (.*)$/m.exec(block)?.[1] ?? '');
      messages.push(JSON.parse(data) as JSONRPCMessage);
    }
  }
  return { ids, messages };
}

const aborts: AbortController[] = [];
afterEach(() => {
  for (const abort of aborts.splice(0)) abort.abort();
});

function setup() {
  const events = createMemoryEventStore();
  const bus = createMemoryFleetBus();
  const runner = new ServerRequestRouter(
    bus,
    () => {},
    () => {},
  );
  const relay = new ServerRequestRouter(
    bus,
    () => {},
    () => {},
  );
  const abort = new AbortController();
  aborts.push(abort);
  const errors: Error[] = [];
  const store = async (message: JSONRPCMessage) => {
    const id = await events.storeEvent('s1', 'stream-1', message);
    await bus.publish(eventsChannel('s1'), 'stream-1');
    return id;
  };
  const start = (lastEventId: string) =>
    relayStream({
      sessionId: 's1',
      lastEventId,
      events,
      bus,
      router: relay,
      signal: abort.signal,
      onError: (error) => errors.push(error),
    });
  return { events, bus, runner, relay, store, start, errors };
}

describe('relayStream', () => {
  it('sends what followed the client’s last event, then new events live, then ends with the answer', async () => {
    const { runner, store, start } = setup();
    await runner.ready();
    await store(streamMarker({ instanceId: runner.instanceId, requestIds: [7] }));
    const first = await store(progress(1));
    const second = await store(progress(2));
    const response = (await start(first)) as Response;
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reading = readUntilAnswer(response);
    await store(progress(3));
    const last = await store(result);
    const { ids, messages } = await reading;
    expect(messages).toEqual([progress(2), progress(3), result]);
    expect(ids[0]).toBe(second);
    expect(ids.at(-1)).toBe(last);
  });

  it('from the priming id: the whole stream, without the marker', async () => {
    const { runner, store, start } = setup();
    await store(streamMarker({ instanceId: runner.instanceId, requestIds: [7] }));
    await store(progress(1));
    await store(result);
    const response = (await start(formatEventId('s1', 0, 'stream-1'))) as Response;
    expect((await readUntilAnswer(response)).messages).toEqual([progress(1), result]);
  });

  it('ends at once when the answer was already delivered before the client’s last event', async () => {
    const { runner, store, start } = setup();
    await store(streamMarker({ instanceId: runner.instanceId, requestIds: [7] }));
    const answered = await store(result);
    const response = (await start(answered)) as Response;
    expect((await readUntilAnswer(response)).messages).toEqual([]);
  });

  it('answers the stream’s requests with an error once the running instance is gone, and keeps that answer', async () => {
    const { runner, store, start, events } = setup();
    // Never subscribed: nobody hears pings on its channel, like a killed process.
    await store(streamMarker({ instanceId: runner.instanceId, requestIds: [7, 'x'] }));
    const first = await store(progress(1));
    const { messages } = await readUntilAnswer((await start(first)) as Response);
    expect(messages).toEqual([
      { jsonrpc: '2.0', id: 7, error: expect.objectContaining({ code: -32603 }) },
      { jsonrpc: '2.0', id: 'x', error: expect.objectContaining({ code: -32603 }) },
    ]);
    const kept = await events.eventsAfter('s1', 'stream-1', first);
    expect(kept?.map((event) => event.message)).toEqual(messages);
  });

  it('refuses an unknown or foreign event id (400), and leaves the standalone stream to the transport', async () => {
    const { start } = setup();
    expect((await start('garbage'))?.status).toBe(400);
    expect((await start(formatEventId('other-session', 5, 'stream-1')))?.status).toBe(400);
    expect((await start(formatEventId('s1', 123, 'stream-1')))?.status).toBe(400);
    expect(await start(formatEventId('s1', 3, '_GET_stream'))).toBeUndefined();
  });
});
