/**
 * The fast answer of a 2025-era session (`src/http/fast-answer.ts`): a plain call is answered
 * as one JSON body without the transport's per-POST work, which shows as an event store that
 * never hears of the answer (the SDK's path writes every answer there). What the JSON form cannot
 * carry is handed over to a real, resumable SSE stream: a log from the tool, an answer not ready
 * within the hold, a cancellation; a session ending under a waiting call answers it; and what
 * guards every request (auth, session ownership) guards the fast answer too. An idle session
 * keeps nothing in the event store either (its `initialize` answer went out as JSON).
 */
import type { AuthInfo } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createMemorySessionStore,
  createPublisher,
  defineTool,
  type ListeningPublisher,
  type Publisher,
} from '../src/index.js';
import { createCountingEventStore } from './support/counting-event-store.js';
import {
  answerMessages,
  callRequest,
  deleteSession,
  getStream,
  observable,
  openSession,
  post,
  readEvents,
} from './support/raw-mcp.js';

/** The event store, and the events written to it by method (`result` for answers). */
const { store: countingStore, stored } = createCountingEventStore();
let publisher: Publisher;
let listening: ListeningPublisher;
const ran: string[] = [];
let releaseSlow: () => void = () => {};
let slowStarted: Promise<void>;
let markSlowStarted: () => void = () => {};
const aborted: string[] = [];
let waitingStarted: Promise<void>;
let markWaitingStarted: () => void = () => {};

function resetGates(): void {
  slowStarted = new Promise((resolve) => {
    markSlowStarted = resolve;
  });
  waitingStarted = new Promise((resolve) => {
    markWaitingStarted = resolve;
  });
}

/** Tokens `alice` and `bob` are two principals. */
async function verify(token: string): Promise<AuthInfo> {
  if (token !== 'alice' && token !== 'bob') throw new Error('unknown token');
  return {
    token,
    clientId: token,
    scopes: [],
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
    extra: { subject: token, issuer: 'https://auth.test' },
  };
}

beforeAll(async () => {
  resetGates();
  publisher = createPublisher({
    name: 'fast-answer',
    version: '1.0.0',
    tools: [
      defineTool({
        name: 'add',
        description: 'Adds two numbers.',
        inputSchema: z.object({ a: z.number(), b: z.number() }),
        execute: ({ a, b }, context) => {
          ran.push(`add by ${context.authInfo?.clientId}`);
          return String(a + b);
        },
      }),
      defineTool({
        name: 'chatty',
        description: 'Logs, then answers.',
        async execute(_args, context) {
          await context.log('info', 'working on it');
          return 'done';
        },
      }),
      defineTool({
        name: 'slow',
        description: 'Answers once the test lets it.',
        async execute() {
          markSlowStarted();
          await new Promise<void>((resolve) => {
            releaseSlow = resolve;
          });
          return 'late';
        },
      }),
      defineTool({
        name: 'waits',
        description: 'Waits until its call is aborted.',
        async execute(_args, context) {
          markWaitingStarted();
          await new Promise<void>((resolve) => context.signal.addEventListener('abort', () => resolve()));
          aborted.push(String(context.requestId));
          return 'stopped';
        },
      }),
    ],
    http: {
      store: { sessions: createMemorySessionStore(), events: countingStore },
      auth: { verify, authorizationServers: ['https://auth.test'] },
    },
    onError: () => {},
  });
  listening = await publisher.listen();
});
afterAll(() => publisher.close({ drainMs: 100 }));

describe('the fast answer of a 2025-era session', () => {
  it('answers a plain call, tools/list and ping as JSON without writing to the event store', async () => {
    const sessionId = await openSession(listening.url, 'alice');
    stored.length = 0;
    const call = await post(listening.url, callRequest(2, 'add', { a: 2, b: 3 }), {
      token: 'alice',
      sessionId,
    });
    expect(call.status).toBe(200);
    expect(call.headers.get('content-type')).toBe('application/json');
    expect(call.headers.get('mcp-session-id')).toBe(sessionId);
    expect(await call.json()).toEqual({
      jsonrpc: '2.0',
      id: 2,
      result: { content: [{ type: 'text', text: '5' }] },
    });
    const list = await post(
      listening.url,
      { jsonrpc: '2.0', id: 'l', method: 'tools/list' },
      {
        token: 'alice',
        sessionId,
      },
    );
    const listed = (await list.json()) as { id: string; result: { tools: { name: string }[] } };
    expect(listed.id).toBe('l');
    expect(listed.result.tools.map((tool) => tool.name)).toEqual(['add', 'chatty', 'slow', 'waits']);
    const ping = await post(
      listening.url,
      { jsonrpc: '2.0', id: 3, method: 'ping' },
      {
        token: 'alice',
        sessionId,
      },
    );
    expect(await ping.json()).toEqual({ jsonrpc: '2.0', id: 3, result: {} });
    // The SDK's path would have written each of the three answers.
    expect(stored).toEqual([]);

    // The server still validates what it serves: bad arguments are a tool error, an unknown tool a protocol error.
    const unknown = await post(listening.url, callRequest(4, 'nope'), { token: 'alice', sessionId });
    expect(((await unknown.json()) as { error?: { code: number } }).error?.code).toBe(-32602);
    const invalid = await post(listening.url, callRequest(5, 'add', { a: 'two' }), {
      token: 'alice',
      sessionId,
    });
    expect(((await invalid.json()) as { result?: { isError?: boolean } }).result?.isError).toBe(true);
    expect(stored).toEqual([]);
  });

  it('hands a call that logs over to a resumable stream: priming event, the log, the result', async () => {
    const sessionId = await openSession(listening.url, 'alice');
    stored.length = 0;
    const response = await post(listening.url, callRequest(7, 'chatty'), { token: 'alice', sessionId });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = await readEvents(response, (seen) =>
      seen.some((event) => event.data.includes('"result"')),
    );
    expect(events[0]?.data).toBe('');
    expect(events[0]?.id).toBeTruthy();
    expect(events.slice(1).map((event) => JSON.parse(event.data).method ?? 'result')).toEqual([
      'notifications/message',
      'result',
    ]);
    expect(stored).toEqual(['notifications/message', 'result']);
    // The stream is the transport's: resuming from its priming event replays the log and the result.
    const resumed = await getStream(listening.url, {
      token: 'alice',
      sessionId,
      lastEventId: events[0]?.id as string,
    });
    const replayed = await readEvents(resumed, (seen) => seen.length >= 2);
    await resumed.body?.cancel();
    expect(replayed.map((event) => event.data)).toEqual(events.slice(1).map((event) => event.data));
  });

  it('gives a call not answered within the hold its stream first, and the answer on it', async () => {
    resetGates();
    const sessionId = await openSession(listening.url, 'alice');
    const response = await post(listening.url, callRequest(8, 'slow'), { token: 'alice', sessionId });
    await slowStarted;
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const [priming] = await readEvents(response, (seen) => seen.length >= 1);
    expect(priming?.data).toBe('');
    releaseSlow();
    const events = await readEvents(response, (seen) => seen.some((event) => event.data.includes('late')));
    expect(JSON.parse(events.at(-1)?.data as string)).toEqual({
      jsonrpc: '2.0',
      id: 8,
      result: { content: [{ type: 'text', text: 'late' }] },
    });
  });

  it('a cancelled call keeps a stream, as on the SDK path, instead of leaving its POST unanswered', async () => {
    resetGates();
    const sessionId = await openSession(listening.url, 'alice');
    const pending = post(listening.url, callRequest(9, 'waits'), { token: 'alice', sessionId });
    await waitingStarted;
    const cancel = await post(
      listening.url,
      { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 9 } },
      { token: 'alice', sessionId },
    );
    expect(cancel.status).toBe(202);
    const response = await pending;
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    await response.body?.cancel();
    expect(aborted).toContain('9');
  });

  it('a call still waiting when its session is deleted gets the unknown-session answer', async () => {
    resetGates();
    const sessionId = await openSession(listening.url, 'alice');
    const pending = post(listening.url, callRequest(10, 'slow'), { token: 'alice', sessionId });
    await slowStarted;
    const deleted = await deleteSession(listening.url, { token: 'alice', sessionId });
    expect(deleted.status).toBe(200);
    const response = await pending;
    // Within the hold the POST had no stream yet (404); past it, its stream ends with the session.
    if (response.status === 404) expect(await response.json()).toMatchObject({ error: { code: -32001 } });
    else expect(await response.text()).not.toContain('late');
    releaseSlow();
  });

  it('refuses a plain call with another user’s token on the session, exactly like an unknown session', async () => {
    const sessionId = await openSession(listening.url, 'alice');
    ran.length = 0;
    stored.length = 0;
    const refused = await observable(
      await post(listening.url, callRequest(11, 'add', { a: 1, b: 1 }), { token: 'bob', sessionId }),
    );
    const unknown = await observable(
      await post(listening.url, callRequest(11, 'add', { a: 1, b: 1 }), {
        token: 'bob',
        sessionId: crypto.randomUUID(),
      }),
    );
    expect(refused.status).toBe(404);
    expect(refused).toEqual(unknown);
    const noToken = await post(listening.url, callRequest(12, 'add', { a: 1, b: 1 }), { sessionId });
    expect(noToken.status).toBe(401);
    await noToken.text();
    expect(ran).toEqual([]);
    const own = await post(listening.url, callRequest(13, 'add', { a: 1, b: 1 }), {
      token: 'alice',
      sessionId,
    });
    expect(answerMessages(await own.text())).toEqual([
      { jsonrpc: '2.0', id: 13, result: { content: [{ type: 'text', text: '2' }] } },
    ]);
    expect(ran).toEqual(['add by alice']);
    // Alice's call was a fast answer (the SDK's path would have stored it): the refusals above
    // are what the fast path gives another user.
    expect(stored).toEqual([]);
  });
});

describe('what an idle session keeps', () => {
  it('nothing in the event store: its initialize answer went out as JSON and is not stored', async () => {
    stored.length = 0;
    const sessionId = await openSession(listening.url, 'alice');
    expect(sessionId).toBeTruthy();
    expect(stored).toEqual([]);
  });
});
