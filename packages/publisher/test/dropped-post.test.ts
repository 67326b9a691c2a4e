/**
 * A client that drops its POST (aborts the request, which closes its connection) while the
 * publisher is still answering a `tools/call` on a 2025-era session: as the answer becomes ready,
 * after the publisher has seen the connection close (the fast answer's hold may have passed by
 * then, so the call may have been handed over to a stream that is already gone), and after the
 * call was handed over to a stream the client was reading (a log came first). None of them
 * crashes or leaves anything behind in the session: no error is reported, the request id is free
 * again (the next call with it is answered fast, which shows as nothing written to the event
 * store), the session is idle (an instance with room for one session evicts it for a new one,
 * which it never does to a session answering a request), and a call handed over to a stream the
 * client was reading can still be resumed from its priming event.
 */
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
import { callRequest, getStream, openSession, post, readEvents } from './support/raw-mcp.js';
import { addTool } from './support/sample-tools.js';

/** The event store, and the events written to it by method (`result` for answers). */
const { store: countingStore, stored } = createCountingEventStore();
const errors: Error[] = [];
let publisher: Publisher;
let listening: ListeningPublisher;

/** One run of the `gated` tool: it started, the test lets it answer, it answered. */
interface Gate {
  started: Promise<void>;
  release: () => void;
  finished: Promise<void>;
}
let markStarted: () => void = () => {};
let markFinished: () => void = () => {};
let released: Promise<void> = Promise.resolve();

/** Arms the `gated` tool for one run. */
function armGate(): Gate {
  let release: () => void = () => {};
  released = new Promise((resolve) => {
    release = resolve;
  });
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  const finished = new Promise<void>((resolve) => {
    markFinished = resolve;
  });
  return { started, release, finished };
}

beforeAll(async () => {
  publisher = createPublisher({
    name: 'dropped-post',
    version: '1.0.0',
    tools: [
      addTool,
      defineTool({
        name: 'gated',
        description: 'Optionally logs, then answers once the test lets it.',
        inputSchema: z.object({ log: z.boolean() }),
        async execute({ log }, context) {
          if (log) await context.log('info', 'working on it');
          markStarted();
          await released;
          markFinished();
          return 'done';
        },
      }),
    ],
    // Room for one session: opening another evicts it only when it is idle (503 when busy).
    http: { store: { sessions: createMemorySessionStore(), events: countingStore }, maxSessions: 1 },
    onError: (error) => errors.push(error),
  });
  listening = await publisher.listen();
});
afterAll(() => publisher.close({ drainMs: 100 }));

/**
 * Resolves once the publisher has answered a request sent after now: by then it has seen the
 * connection that was closed before it, and settled what the answer before it left to do.
 */
async function roundTrip(): Promise<void> {
  const response = await fetch(new URL('/not-mcp', listening.url));
  await response.text();
}

/** The session is left with nothing in flight: the same id is free, and the session idle. */
async function expectNothingLeft(sessionId: string, id: number): Promise<void> {
  stored.length = 0;
  const next = await post(listening.url, callRequest(id, 'add', { a: 2, b: 3 }), { sessionId });
  expect(next.status).toBe(200);
  expect(next.headers.get('content-type')).toBe('application/json');
  expect(await next.json()).toEqual({
    jsonrpc: '2.0',
    id,
    result: { content: [{ type: 'text', text: '5' }] },
  });
  // Answered fast: the id was no longer the fast answers' nor the transport's.
  expect(stored).toEqual([]);
  // A busy session is never evicted: the new one is admitted only because the old one is idle.
  const replacement = await openSession(listening.url);
  const gone = await post(listening.url, callRequest(id + 1, 'add', { a: 1, b: 1 }), { sessionId });
  expect(gone.status).toBe(404);
  await gone.text();
  const fresh = await post(listening.url, callRequest(1, 'add', { a: 1, b: 1 }), { sessionId: replacement });
  expect(fresh.status).toBe(200);
  await fresh.text();
}

describe('a client that drops its POST while the call is pending', () => {
  it('dropped as the answer is ready: the answer has nobody to go to, and nothing is left', async () => {
    const sessionId = await openSession(listening.url);
    errors.length = 0;
    const run = armGate();
    const controller = new AbortController();
    const pending = post(listening.url, callRequest(31, 'gated', { log: false }), {
      sessionId,
      signal: controller.signal,
    });
    await run.started;
    controller.abort();
    await expect(pending).rejects.toThrow();
    run.release();
    await run.finished;
    await roundTrip();
    expect(errors).toEqual([]);
    await expectNothingLeft(sessionId, 31);
  });

  it('dropped and seen gone before the answer is ready: nothing is left', async () => {
    const sessionId = await openSession(listening.url);
    errors.length = 0;
    const run = armGate();
    const controller = new AbortController();
    const pending = post(listening.url, callRequest(36, 'gated', { log: false }), {
      sessionId,
      signal: controller.signal,
    });
    await run.started;
    controller.abort();
    await expect(pending).rejects.toThrow();
    // The publisher has seen the connection close before the tool answers.
    await roundTrip();
    run.release();
    await run.finished;
    await roundTrip();
    expect(errors).toEqual([]);
    await expectNothingLeft(sessionId, 36);
  });

  it('after the hand-over to a stream: the answer is kept for resuming, and nothing else is left', async () => {
    const sessionId = await openSession(listening.url);
    errors.length = 0;
    stored.length = 0;
    const run = armGate();
    const controller = new AbortController();
    const response = await post(listening.url, callRequest(41, 'gated', { log: true }), {
      sessionId,
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const [priming] = await readEvents(response, (seen) =>
      seen.some((event) => event.data.includes('working')),
    );
    await run.started;
    controller.abort();
    await roundTrip();
    run.release();
    await run.finished;
    await roundTrip();
    expect(errors).toEqual([]);
    expect(stored).toEqual(['notifications/message', 'result']);
    // The client that lost the stream resumes it and gets the answer it missed.
    const resumed = await getStream(listening.url, { sessionId, lastEventId: priming?.id as string });
    const replayed = await readEvents(resumed, (seen) =>
      seen.some((event) => event.data.includes('"result"')),
    );
    await resumed.body?.cancel();
    expect(JSON.parse(replayed.at(-1)?.data as string)).toEqual({
      jsonrpc: '2.0',
      id: 41,
      result: { content: [{ type: 'text', text: 'done' }] },
    });
    await expectNothingLeft(sessionId, 41);
  });
});
