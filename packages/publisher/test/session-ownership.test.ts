/**
 * Sessions belong to the principal that opened them. Two users with real tokens from a real
 * OAuth server (oidc-provider on loopback): user B, holding a valid token and user A's session
 * id, tries every way in (POST a call, take the standalone GET stream, DELETE, resume with
 * `Last-Event-ID`) and gets the very same 404 an unknown session gets, on the instance that
 * holds the session and, with the Redis store, on a second instance that would have to restore
 * it. A's session keeps working throughout. Also: what a custom verifier without a subject
 * binds to.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { McpServer } from '@modelcontextprotocol/server';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSharedRedis, deletePrefix, uniquePrefix } from '../../core/test/support/redis-servers.js';
import {
  createPublisher,
  defineTool,
  type HTTPOptions,
  type ListeningPublisher,
  type Publisher,
} from '../src/index.js';
import { createRedisStore } from '../src/redis.js';
import {
  type OAuthServer,
  PUBLISHER_RESOURCE,
  publisherAuth,
  startOAuthServer,
} from './support/oauth-server.js';
import {
  callRequest,
  deleteSession,
  getStream,
  observable,
  openSession,
  openStandaloneStream,
  post,
  readEvents,
} from './support/raw-mcp.js';

let oauth: OAuthServer;
let tokenA: string;
let tokenB: string;
const open: Publisher[] = [];

/** A publisher whose `whoami` reports the session it ran in and `announce` notifies its session's GET stream. */
async function start(http: HTTPOptions = {}): Promise<{ url: string; calls: string[] }> {
  const calls: string[] = [];
  const servers: McpServer[] = [];
  const publisher = createPublisher({
    name: 'owned',
    version: '1.0.0',
    tools: [
      defineTool({
        name: 'whoami',
        description: 'Reports the session and client that ran it.',
        execute: (_args, context) => {
          calls.push(`${context.authInfo?.clientId}@${context.sessionId}`);
          return `session=${context.sessionId}`;
        },
      }),
      defineTool({
        name: 'announce',
        description: 'Sends a notification on the session’s standalone stream.',
        async execute(_args, context) {
          const server = servers.find(
            (candidate) => candidate.server.transport?.sessionId === context.sessionId,
          );
          await server?.server.notification({
            method: 'notifications/message',
            params: { level: 'info', data: `private to ${context.sessionId}` },
          });
          return 'announced';
        },
      }),
    ],
    extend: (server) => void servers.push(server),
    http: {
      auth: publisherAuth(oauth),
      ...http,
    },
    onError: () => {},
  });
  open.push(publisher);
  const listening: ListeningPublisher = await publisher.listen();
  return { url: listening.url, calls };
}

function clientFor(url: string, token: string): { client: Client; transport: StreamableHTTPClientTransport } {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  return { client: new Client({ name: 'owner', version: '1.0.0' }), transport };
}

async function whoami(client: Client): Promise<string> {
  const result = await client.callTool({ name: 'whoami', arguments: {} });
  return (result.content as { text: string }[])[0]!.text;
}

/** The refusal a session id nobody has ever used gets, for each kind of request. */
async function unknownSessionAnswers(url: string, token: string) {
  const unknown = crypto.randomUUID();
  return {
    post: await observable(await post(url, callRequest(9, 'whoami'), { token, sessionId: unknown })),
    get: await observable(await getStream(url, { token, sessionId: unknown })),
    delete: await observable(await deleteSession(url, { token, sessionId: unknown })),
    resume: await observable(
      await getStream(url, { token, sessionId: unknown, lastEventId: `1:${crypto.randomUUID()}` }),
    ),
  };
}

beforeAll(async () => {
  oauth = await startOAuthServer();
  tokenA = await oauth.token({ resource: PUBLISHER_RESOURCE, scope: 'mcp', client: 'agent' });
  tokenB = await oauth.token({ resource: PUBLISHER_RESOURCE, scope: 'mcp', client: 'agent-b' });
});

afterAll(async () => {
  await Promise.all(open.splice(0).map((publisher) => publisher.close({ drainMs: 100 })));
  await oauth?.close();
});

describe('a session belongs to the user who opened it (one instance, memory store)', () => {
  it('user B gets the unknown-session 404 for every request on A’s session; A is unaffected', async () => {
    const { url, calls } = await start();
    const { client, transport } = clientFor(url, tokenA);
    await client.connect(transport);
    const sessionId = transport.sessionId!;
    expect(await whoami(client)).toBe(`session=${sessionId}`);
    const expected = await unknownSessionAnswers(url, tokenB);
    expect(expected.post.status).toBe(404);

    // POST a call into A's session.
    const posted = await post(url, callRequest(2, 'whoami'), { token: tokenB, sessionId });
    expect(await observable(posted)).toEqual(expected.post);
    expect(calls.filter((call) => call.startsWith('agent-b@'))).toEqual([]);

    // Take over A's standalone stream (A has none open right now).
    const stream = await getStream(url, { token: tokenB, sessionId });
    expect(await observable(stream)).toEqual(expected.get);

    // Resume A's streams from an event id.
    const resumed = await getStream(url, {
      token: tokenB,
      sessionId,
      lastEventId: `1:${crypto.randomUUID()}`,
    });
    expect(await observable(resumed)).toEqual(expected.resume);

    // End A's session.
    const deleted = await deleteSession(url, { token: tokenB, sessionId });
    expect(await observable(deleted)).toEqual(expected.delete);

    // A's session is intact, and A still owns its standalone stream.
    expect(await whoami(client)).toBe(`session=${sessionId}`);
    await client.close();
  });

  it('B cannot receive A’s server-to-client messages through A’s standalone stream', async () => {
    const { url } = await start();
    const sessionId = await openSession(url, tokenA);
    // B tries to open A's standalone stream before A does: refused at once, nothing registered.
    const hijack = getStream(url, { token: tokenB, sessionId, signal: AbortSignal.timeout(10_000) });
    expect((await hijack).status).toBe(404);
    // A opens its own stream (B's attempt left no stream behind) and gets its own message.
    const own = await openStandaloneStream(url, { token: tokenA, sessionId });
    const announced = await post(url, callRequest(3, 'announce'), { token: tokenA, sessionId });
    expect(await announced.text()).toContain('announced');
    const stream = await own.response;
    expect(stream.status).toBe(200);
    const events = await readEvents(stream, (list) =>
      list.some((event) => event.data.includes('private to')),
    );
    expect(events.map((event) => event.data).join('\n')).toContain(`private to ${sessionId}`);
    own.controller.abort();
  });

  it('a new token for the same user continues the session (the subject is bound, not the token)', async () => {
    const { url } = await start();
    const sessionId = await openSession(url, tokenA);
    const renewed = await oauth.token({ resource: PUBLISHER_RESOURCE, scope: 'mcp', client: 'agent' });
    expect(renewed).not.toBe(tokenA);
    const response = await post(url, callRequest(2, 'whoami'), { token: renewed, sessionId });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`session=${sessionId}`);
  });
});

describe('a custom verifier', () => {
  const verifierPublisher = async () => {
    const publisher = createPublisher({
      name: 'custom',
      version: '1.0.0',
      tools: [defineTool({ name: 'whoami', execute: (_args, context) => `session=${context.sessionId}` })],
      http: {
        auth: {
          authorizationServers: ['http://127.0.0.1/issuer'],
          // Opaque tokens: "<client>.<user or nothing>.<nonce>".
          async verify(token) {
            const [clientId, user] = token.split('.');
            return {
              token,
              clientId: clientId!,
              scopes: [],
              expiresAt: Math.floor(Date.now() / 1000) + 300,
              extra: user ? { subject: user } : {},
            };
          },
        },
      },
      onError: () => {},
    });
    open.push(publisher);
    return (await publisher.listen()).url;
  };

  it('without a subject binds the session to the token itself', async () => {
    const url = await verifierPublisher();
    const sessionId = await openSession(url, 'app.');
    const same = await post(url, callRequest(2, 'whoami'), { token: 'app.', sessionId });
    expect(same.status).toBe(200);
    await same.text();
    // Another token of the same client, no subject: another principal.
    const other = await post(url, callRequest(3, 'whoami'), { token: 'app..other', sessionId });
    expect(other.status).toBe(404);
  });

  it('with `extra.subject` binds to issuer-less subject plus client', async () => {
    const url = await verifierPublisher();
    const sessionId = await openSession(url, 'app.alice.1');
    const renewed = await post(url, callRequest(2, 'whoami'), { token: 'app.alice.2', sessionId });
    expect(renewed.status).toBe(200);
    await renewed.text();
    const bob = await post(url, callRequest(3, 'whoami'), { token: 'app.bob.1', sessionId });
    expect(bob.status).toBe(404);
    const otherApp = await post(url, callRequest(4, 'whoami'), { token: 'other.alice.1', sessionId });
    expect(otherApp.status).toBe(404);
  });
});

const redis = await connectSharedRedis();

describe.skipIf(!redis)('a session belongs to its user across instances (Redis store)', () => {
  const prefix = uniquePrefix('pub-owner');
  let first: string;
  let second: string;

  beforeAll(async () => {
    const store = () => createRedisStore({ redis: redis as Redis, prefix });
    first = (await start({ store: store() })).url;
    second = (await start({ store: store() })).url;
  });

  afterAll(async () => {
    await deletePrefix(redis as Redis, prefix);
    redis?.disconnect();
  });

  it('B is refused on the instance that would restore A’s session and on the one holding it', async () => {
    const sessionId = await openSession(first, tokenA);
    expect(await (redis as Redis).exists(`${prefix}:session:${sessionId}`)).toBe(1);
    for (const url of [second, first]) {
      const expected = await unknownSessionAnswers(url, tokenB);
      const posted = await post(url, callRequest(2, 'whoami'), { token: tokenB, sessionId });
      expect(await observable(posted)).toEqual(expected.post);
      const stream = await getStream(url, { token: tokenB, sessionId });
      expect(await observable(stream)).toEqual(expected.get);
      const resumed = await getStream(url, {
        token: tokenB,
        sessionId,
        lastEventId: `1:${crypto.randomUUID()}`,
      });
      expect(await observable(resumed)).toEqual(expected.resume);
      const deleted = await deleteSession(url, { token: tokenB, sessionId });
      expect(await observable(deleted)).toEqual(expected.delete);
    }
    expect(await (redis as Redis).exists(`${prefix}:session:${sessionId}`)).toBe(1);
    // A continues on the second instance (restored there from the stored record).
    const continued = await post(second, callRequest(5, 'whoami'), { token: tokenA, sessionId });
    expect(continued.status).toBe(200);
    expect(await continued.text()).toContain(`session=${sessionId}`);
  });
});
