/**
 * SSE resumption (`Last-Event-ID`) replays only the requesting session's own events. Two
 * sessions on one publisher (memory store) and on two instances sharing Redis: session 2 sends
 * event ids it learned from session 1 (a standalone-stream notification's id, a call stream's
 * priming id) and must get none of session 1's messages. The owner itself still resumes: the
 * official SDK client, whose call stream the server closes mid-call (SSE polling, SEP-1699),
 * reconnects with `Last-Event-ID` and gets its result. Also: the Redis event keys are per
 * session, expire, and are deleted when the session ends.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { McpServer } from '@modelcontextprotocol/server';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSharedRedis, deletePrefix, uniquePrefix } from '../../core/test/support/redis-servers.js';
import { ANSWER_HOLD_MS } from '../src/http/adaptive-answer.js';
import { createPublisher, defineTool, type HTTPOptions, type Publisher } from '../src/index.js';
import { createRedisStore } from '../src/redis.js';
import {
  callRequest,
  deleteSession,
  getStream,
  openSession,
  openStandaloneStream,
  parseSSE,
  post,
  readEvents,
} from './support/raw-mcp.js';

const open: Publisher[] = [];
afterAll(async () => {
  await Promise.all(open.splice(0).map((publisher) => publisher.close({ drainMs: 100 })));
});

async function start(http: HTTPOptions = {}): Promise<string> {
  const servers: McpServer[] = [];
  const publisher = createPublisher({
    name: 'replay',
    version: '1.0.0',
    tools: [
      defineTool({
        name: 'secret',
        description: 'Returns something only its session may see.',
        async execute(_args, context) {
          // Slower than the publisher holds an answer back: it streams, with a priming event id.
          await new Promise((resolve) => setTimeout(resolve, ANSWER_HOLD_MS * 4));
          return `secret of ${context.sessionId}`;
        },
      }),
      defineTool({
        name: 'reconnect',
        description: 'Closes its SSE stream mid-call, so the client resumes to get the result.',
        async execute(_args, context) {
          context.sdkContext.http?.closeSSE?.();
          await new Promise((resolve) => setTimeout(resolve, 300));
          return `resumed result of ${context.sessionId}`;
        },
      }),
      defineTool({
        name: 'announce',
        description: 'Notifies the session’s standalone stream.',
        async execute(_args, context) {
          const server = servers.find(
            (candidate) => candidate.server.transport?.sessionId === context.sessionId,
          );
          await server?.server.notification({
            method: 'notifications/message',
            params: { level: 'info', data: `announcement of ${context.sessionId}` },
          });
          return 'announced';
        },
      }),
    ],
    extend: (server) => void servers.push(server),
    http,
    onError: () => {},
  });
  open.push(publisher);
  return (await publisher.listen()).url;
}

/** Session 1's event ids: one from its standalone stream, one priming id of a call stream. */
async function eventIdsOfFirstSession(
  url: string,
): Promise<{ sessionId: string; standalone: string; priming: string }> {
  const sessionId = await openSession(url);
  const { response, controller } = await openStandaloneStream(url, { sessionId });
  const announced = await post(url, callRequest(2, 'announce'), { sessionId });
  await announced.text();
  const stream = await response;
  expect(stream.status).toBe(200);
  const events = await readEvents(stream, (list) =>
    list.some((event) => event.data.includes('announcement of')),
  );
  controller.abort();
  const standalone = events.find((event) => event.data.includes('announcement of'))?.id;
  const call = await post(url, callRequest(3, 'secret'), { sessionId });
  const callEvents = parseSSE(await call.text());
  expect(callEvents.map((event) => event.data).join('')).toContain(`secret of ${sessionId}`);
  const priming = callEvents[0]?.id;
  expect(standalone).toBeTruthy();
  expect(priming).toBeTruthy();
  return { sessionId, standalone: standalone!, priming: priming! };
}

/** What session 2 receives when it resumes from `lastEventId` (the stream is read for a moment). */
async function resumeAs(url: string, sessionId: string, lastEventId: string): Promise<string> {
  const controller = new AbortController();
  const response = await getStream(url, { sessionId, lastEventId, signal: controller.signal });
  const timer = setTimeout(() => controller.abort(), 1_000);
  let body = '';
  try {
    body = await response.text();
  } catch {
    // Aborted: the stream stayed open (nothing more to replay); `body` has what arrived first.
  } finally {
    clearTimeout(timer);
  }
  return `${response.status} ${body}`;
}

async function expectIsolated(url: string, otherUrl = url): Promise<void> {
  const first = await eventIdsOfFirstSession(url);
  const second = await openSession(otherUrl);
  for (const lastEventId of [first.standalone, first.priming]) {
    const seen = await resumeAs(otherUrl, second, lastEventId);
    expect(seen).not.toContain(first.sessionId);
  }
  // The owner itself still resumes its own call stream from the priming id.
  const own = await resumeAs(url, first.sessionId, first.priming);
  expect(own).toContain(`secret of ${first.sessionId}`);
}

/** The SDK client calls `reconnect` and must get the result by resuming its call stream. */
async function expectResumed(url: string): Promise<void> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    reconnectionOptions: {
      initialReconnectionDelay: 50,
      maxReconnectionDelay: 200,
      reconnectionDelayGrowFactor: 1.5,
      maxRetries: 20,
    },
  });
  const client = new Client({ name: 'resume-test', version: '1.0.0' });
  await client.connect(transport);
  const result = await client.callTool({ name: 'reconnect', arguments: {} });
  expect((result.content as { text: string }[])[0]!.text).toBe(`resumed result of ${transport.sessionId}`);
  await client.close();
}

describe('replay isolation (memory store)', () => {
  it('another session’s event ids replay nothing of that session; the owner’s SDK client still resumes', async () => {
    const url = await start();
    await expectIsolated(url);
    await expectResumed(url);
  });
});

const redis = await connectSharedRedis();

describe.skipIf(!redis)('replay isolation (Redis store, two instances)', () => {
  const prefix = uniquePrefix('pub-replay');
  let first: string;
  let second: string;

  beforeAll(async () => {
    first = await start({
      store: createRedisStore({ redis: redis as Redis, prefix, eventMaxAgeMs: 60_000 }),
    });
    second = await start({
      store: createRedisStore({ redis: redis as Redis, prefix, eventMaxAgeMs: 60_000 }),
    });
  });

  afterAll(async () => {
    await deletePrefix(redis as Redis, prefix);
    redis?.disconnect();
  });

  it('another session’s event ids replay nothing of that session, on either instance', async () => {
    await expectIsolated(first, second);
    await expectIsolated(second, second);
    await expectResumed(second);
  });

  it('keeps events in per-session keys that expire, and deletes them when the session ends', async () => {
    const { sessionId } = await eventIdsOfFirstSession(first);
    const other = await openSession(first);
    const call = await post(first, callRequest(2, 'secret'), { sessionId: other });
    await call.text();
    const keys = async (id: string) => {
      const found: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await (redis as Redis).scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        cursor = next;
        found.push(...batch.filter((key) => key.includes(id) && !key.includes(':session:')));
      } while (cursor !== '0');
      return found;
    };
    const ownKeys = await keys(sessionId);
    expect(ownKeys.length).toBeGreaterThan(0);
    for (const key of ownKeys) {
      const ttl = await (redis as Redis).pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
    const deleted = await deleteSession(first, { sessionId });
    expect(deleted.status).toBe(200);
    expect(await keys(sessionId)).toEqual([]);
    expect((await keys(other)).length).toBeGreaterThan(0);
  });
});
