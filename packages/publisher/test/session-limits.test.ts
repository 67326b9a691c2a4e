/**
 * One user cannot lock the others out. Two users with real tokens from a real OAuth server:
 * a user at its own session cap gives up its least recently used idle session (not someone
 * else's); a full instance makes room by evicting the least recently used idle session, bare
 * `initialize`s first (they cost the attacker nothing); sessions in the middle of a call are
 * never evicted (a full instance of busy sessions answers 503, a user whose sessions are all
 * busy 429); and a bare `initialize` that is never followed up expires on its own, soon.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../core/test/support/wait-for.js';
import { createPublisher, defineTool, type HTTPOptions, type Publisher } from '../src/index.js';
import {
  type OAuthServer,
  PUBLISHER_RESOURCE,
  publisherAuth,
  startOAuthServer,
} from './support/oauth-server.js';
import { callRequest, initializeRequest, openSession, post } from './support/raw-mcp.js';

let oauth: OAuthServer;
let tokenA: string;
let tokenB: string;
const open: Publisher[] = [];
const releases: (() => void)[] = [];

beforeAll(async () => {
  oauth = await startOAuthServer();
  tokenA = await oauth.token({ resource: PUBLISHER_RESOURCE, scope: 'mcp', client: 'agent' });
  tokenB = await oauth.token({ resource: PUBLISHER_RESOURCE, scope: 'mcp', client: 'agent-b' });
});

afterEach(async () => {
  for (const release of releases.splice(0)) release();
  await Promise.all(open.splice(0).map((publisher) => publisher.close({ drainMs: 100 })));
});

afterAll(async () => {
  await oauth?.close();
});

async function start(http: HTTPOptions): Promise<{ url: string; started: () => number }> {
  let running = 0;
  const publisher = createPublisher({
    name: 'limits',
    version: '1.0.0',
    tools: [
      defineTool({ name: 'ping', description: 'Answers pong.', execute: () => 'pong' }),
      defineTool({
        name: 'hold',
        description: 'Runs until the test ends.',
        async execute() {
          running++;
          await new Promise<void>((resolve) => releases.push(resolve));
          return 'released';
        },
      }),
    ],
    http: {
      auth: publisherAuth(oauth),
      healthDetails: true, // the tests read the session count
      ...http,
    },
    onError: () => {},
  });
  open.push(publisher);
  return { url: (await publisher.listen()).url, started: () => running };
}

async function ping(url: string, token: string, sessionId: string): Promise<number> {
  const response = await post(url, callRequest(2, 'ping'), { token, sessionId });
  await response.text();
  return response.status;
}

async function initialize(url: string, token: string): Promise<Response> {
  const response = await post(url, initializeRequest(), { token });
  await response.clone().text();
  return response;
}

/** Starts a call that runs until the test ends: the session is busy. */
async function keepBusy(url: string, token: string, sessionId: string, started: () => number): Promise<void> {
  const before = started();
  void post(url, callRequest(3, 'hold'), { token, sessionId }).then((response) =>
    response.text().catch(() => {}),
  );
  await waitFor(() => started() > before, { message: 'the hold tool to start' });
}

describe('per-user session cap', () => {
  it('a user at its cap gives up its own least recently used idle session, never another user’s', async () => {
    const { url } = await start({ maxSessionsPerPrincipal: 3 });
    const b = await openSession(url, tokenB);
    const a1 = await openSession(url, tokenA);
    const a2 = await openSession(url, tokenA);
    const a3 = await openSession(url, tokenA);
    expect(await ping(url, tokenA, a1)).toBe(200); // a2 is now A's least recently used
    const a4 = await openSession(url, tokenA);
    expect(await ping(url, tokenA, a2)).toBe(404);
    for (const id of [a1, a3, a4]) expect(await ping(url, tokenA, id)).toBe(200);
    expect(await ping(url, tokenB, b)).toBe(200);
  });

  it('a user whose sessions are all busy gets 429, and other users are unaffected', async () => {
    const { url, started } = await start({ maxSessionsPerPrincipal: 2 });
    for (let index = 0; index < 2; index++)
      await keepBusy(url, tokenA, await openSession(url, tokenA), started);
    const refused = await initialize(url, tokenA);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/sessions/i);
    const b = await openSession(url, tokenB);
    expect(await ping(url, tokenB, b)).toBe(200);
  });
});

describe('a full instance', () => {
  it('evicts the least recently used idle session so another user gets in', async () => {
    const { url } = await start({ maxSessions: 3, maxSessionsPerPrincipal: 3 });
    const a1 = await openSession(url, tokenA);
    const a2 = await openSession(url, tokenA);
    const a3 = await openSession(url, tokenA);
    expect(await ping(url, tokenA, a1)).toBe(200); // a2 becomes the least recently used
    const b = await openSession(url, tokenB);
    expect(await ping(url, tokenB, b)).toBe(200);
    expect(await ping(url, tokenA, a2)).toBe(404);
    for (const id of [a1, a3]) expect(await ping(url, tokenA, id)).toBe(200);
    // A request the transport refuses before it becomes a session evicts nobody.
    const malformed = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${tokenB}`,
      },
      body: JSON.stringify(initializeRequest()),
    });
    expect(malformed.status).toBe(406);
    for (const [token, id] of [
      [tokenA, a1],
      [tokenA, a3],
      [tokenB, b],
    ] as const) {
      expect(await ping(url, token, id)).toBe(200);
    }
  });

  it('evicts bare initializes before sessions in use, however recent', async () => {
    const { url } = await start({ maxSessions: 3 });
    const b = await openSession(url, tokenB); // the oldest, but in use
    for (let index = 0; index < 2; index++) expect((await initialize(url, tokenA)).status).toBe(200);
    const b2 = await openSession(url, tokenB);
    expect(await ping(url, tokenB, b)).toBe(200);
    expect(await ping(url, tokenB, b2)).toBe(200);
  });

  it('never evicts a session in the middle of a call: the idle one goes, and all busy → 503', async () => {
    const { url, started } = await start({ maxSessions: 2 });
    const busy = await openSession(url, tokenA);
    await keepBusy(url, tokenA, busy, started);
    const idle = await openSession(url, tokenA);
    // `busy` is the least recently used, but it is answering a call: `idle` makes room.
    const b = await openSession(url, tokenB);
    expect(await ping(url, tokenA, idle)).toBe(404);
    expect(await ping(url, tokenA, busy)).toBe(200);
    await keepBusy(url, tokenB, b, started);
    const refused = await initialize(url, tokenB);
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/sessions/i);
    expect(await ping(url, tokenA, busy)).toBe(200);
    expect(await ping(url, tokenB, b)).toBe(200);
  });
});

describe('a bare initialize', () => {
  it('expires after the handshake TTL unless followed up; a followed-up session lives on', async () => {
    const { url } = await start({ handshakeTtlMs: 1_000, sessionTtlMs: 60_000 });
    const bare = await initialize(url, tokenA);
    const bareId = bare.headers.get('mcp-session-id')!;
    const used = await openSession(url, tokenA);
    const health = async () =>
      ((await (await fetch(new URL('/health', url))).json()) as { sessions: number }).sessions;
    expect(await health()).toBe(2);
    await waitFor(async () => (await health()) === 1, {
      timeoutMs: 10_000,
      message: 'the bare session to expire',
    });
    expect(await ping(url, tokenA, bareId)).toBe(404);
    expect(await ping(url, tokenA, used)).toBe(200);
  });
});
