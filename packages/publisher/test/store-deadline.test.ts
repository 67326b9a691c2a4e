/**
 * Every store call is bounded, whatever the store: a custom session store (or event store) whose
 * calls never settle, or that throws, gives the client a prompt 503 with a JSON-RPC error body and
 * leaves no session on the instance. `onError` hears about it as `STORE_UNAVAILABLE`. An answer
 * sent as one JSON body never touches the event store, so a stalled event store fails only what
 * streams.
 */
import { ToolwireError } from '@toolwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMemoryEventStore,
  createMemorySessionStore,
  createPublisher,
  defineTool,
  type Publisher,
  type PublisherStore,
} from '../src/index.js';
import { callRequest, initializeRequest, openSession, post } from './support/raw-mcp.js';

const open: Publisher[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((publisher) => publisher.close({ drainMs: 100 })));
});

const never = () => new Promise<never>(() => {});

async function start(store: PublisherStore, errors: Error[]): Promise<string> {
  const publisher = createPublisher({
    name: 'deadline',
    version: '1.0.0',
    tools: [
      defineTool({ name: 'ping', execute: () => 'pong' }),
      defineTool({
        name: 'chatty',
        async execute(_args, context) {
          await context.log('info', 'about to answer');
          return 'pong';
        },
      }),
    ],
    http: { store, storeTimeoutMs: 500, healthDetails: true }, // the tests read the session count
    onError: (error) => errors.push(error),
  });
  open.push(publisher);
  return (await publisher.listen()).url;
}

/**
 * The answer to one request. The stores under test never answer, so only the store deadline can
 * answer it (else the 20 s abort fails the fetch): a 503 is the proof, nothing is timed.
 */
async function answer(url: string, body: unknown, sessionId?: string) {
  const response = await post(url, body, { sessionId, signal: AbortSignal.timeout(20_000) });
  return { response, text: await response.text() };
}

describe('store calls have a deadline', () => {
  it('a session store that never answers: initialize gets a prompt 503, no session is left', async () => {
    const errors: Error[] = [];
    const sessions = { ...createMemorySessionStore(), set: never };
    const url = await start({ sessions, events: createMemoryEventStore() }, errors);
    const { response, text } = await answer(url, initializeRequest(4));
    expect(response.status).toBe(503);
    expect(JSON.parse(text)).toMatchObject({ jsonrpc: '2.0', id: 4, error: { code: -32000 } });
    const health = (await (await fetch(new URL('/health', url))).json()) as { sessions: number };
    expect(health.sessions).toBe(0);
    // Reported once, as what it is.
    expect(errors).toHaveLength(1);
    expect(ToolwireError.isInstance(errors[0]) && errors[0].code).toBe('STORE_UNAVAILABLE');
  });

  it('a session store that throws on touch: the request gets a prompt 503 and the session survives it', async () => {
    const errors: Error[] = [];
    const memory = createMemorySessionStore();
    let failing = false;
    const sessions = {
      ...memory,
      touch: (sessionId: string, ttlMs: number) =>
        failing ? Promise.reject(new Error('connection reset')) : memory.touch(sessionId, ttlMs),
    };
    const url = await start({ sessions, events: createMemoryEventStore() }, errors);
    const sessionId = await openSession(url);
    failing = true;
    const refused = await answer(url, callRequest(2, 'ping'), sessionId);
    expect(refused.response.status).toBe(503);
    expect(JSON.parse(refused.text)).toMatchObject({
      id: 2,
      error: { message: expect.stringMatching(/store/) },
    });
    failing = false;
    const served = await answer(url, callRequest(3, 'ping'), sessionId);
    expect(served.response.status).toBe(200);
    expect(served.text).toContain('pong');
  });

  it('an event store that never answers: a call that streams ends with a JSON-RPC error on its stream', async () => {
    const errors: Error[] = [];
    const memory = createMemoryEventStore();
    let stalled = false;
    const events = {
      ...memory,
      storeEvent: (...args: Parameters<typeof memory.storeEvent>) =>
        stalled ? never() : memory.storeEvent(...args),
    };
    const url = await start({ sessions: createMemorySessionStore(), events }, errors);
    const sessionId = await openSession(url);
    stalled = true;
    // Its log message puts the call on a stream, whose messages are kept for resuming.
    const { response, text } = await answer(url, callRequest(5, 'chatty'), sessionId);
    expect(response.status).toBe(200);
    expect(text).toContain('"id":5');
    expect(text).toMatch(/"error":\{"code":-32000,"message":"[^"]*store/);
    // A plain call's JSON answer is never stored: the stalled store does not stand in its way.
    const plain = await answer(url, callRequest(6, 'ping'), sessionId);
    expect(plain.response.headers.get('content-type')).toBe('application/json');
    expect(plain.text).toContain('pong');
  });

  it('an event store that never answers does not hold up initialize: its quick answer is not stored', async () => {
    const errors: Error[] = [];
    const sessions = createMemorySessionStore();
    const events = { ...createMemoryEventStore(), storeEvent: never };
    const url = await start({ sessions, events }, errors);
    const { response, text } = await answer(url, initializeRequest(6));
    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ id: 6, result: { serverInfo: { name: 'deadline' } } });
    const sessionId = response.headers.get('mcp-session-id');
    expect(sessionId && (await sessions.get(sessionId))).toBeTruthy();
    expect(errors).toEqual([]);
  });
});
