/**
 * 2026-07-28 resource subscriptions through the gateway, over real peers: a real OAuth server
 * (two users with their own tokens), an upstream publisher whose resource changes per MCP session
 * (each upstream session hears only of its own changes), and the gateway with per-principal
 * upstream sessions. Each user opens a `subscriptions/listen` stream naming the same URI: the
 * gateway subscribes upstream in that user's own upstream session, and an update there reaches
 * that user's stream only. The upstream subscription ends with the user's last stream.
 */
import { silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../core/test/support/index.js';
import {
  createPublisher,
  defineResource,
  defineTool,
  type ListeningPublisher,
} from '../../publisher/src/index.js';
import { listen, modernCall, modernRequest } from '../../publisher/test/support/modern-mcp.js';
import { type OAuthServer, startOAuthServer } from '../../publisher/test/support/oauth-server.js';
import { readEvents, type SSEEvent } from '../../publisher/test/support/raw-mcp.js';
import { createGateway, type Gateway } from '../src/index.js';
import { gatewayAuth, gatewayToken } from './support/gateway-users.js';

const WATCHED = 'memo://watched';

/** Upstream sessions subscribed to WATCHED, by session id, each with the function that tells it. */
const subscribers = new Map<string, () => Promise<void>>();
let oauth: OAuthServer;
let upstream: ListeningPublisher;
let gateway: Gateway;
let url: string;
let aliceToken: string;
let bobToken: string;

beforeAll(async () => {
  oauth = await startOAuthServer();
  const publisher = createPublisher({
    name: 'per-session-upstream',
    version: '1.0.0',
    onError: () => {},
    resources: [defineResource({ uri: WATCHED, name: 'watched', read: () => 'watched' })],
    tools: [
      defineTool({
        name: 'touch',
        description: "Changes the caller's own view of the watched resource and tells its session.",
        async execute(_args, context) {
          const notify = subscribers.get(context.sessionId ?? '');
          await notify?.();
          return notify ? 'told' : 'not subscribed';
        },
      }),
    ],
    extend(server, { era }) {
      if (era !== 'legacy') return;
      server.server.registerCapabilities({ resources: { subscribe: true } });
      server.server.setRequestHandler('resources/subscribe', async (_request, context) => {
        subscribers.set(context.sessionId ?? '', () => server.server.sendResourceUpdated({ uri: WATCHED }));
        return {};
      });
      server.server.setRequestHandler('resources/unsubscribe', async (_request, context) => {
        subscribers.delete(context.sessionId ?? '');
        return {};
      });
    },
  });
  upstream = await publisher.listen();
  gateway = await createGateway({
    upstreams: {
      // Per-session state is a 2025-era notion upstream; the downstream clients speak 2026-07-28.
      servers: { watched: { url: upstream.url, protocol: 'legacy' } },
      cache: 'memory',
      logger: silentLogger,
    },
    publisher: { onError: () => {}, http: { auth: gatewayAuth(oauth) } },
  });
  ({ url } = await gateway.listen());
  aliceToken = await gatewayToken(oauth, 'agent');
  bobToken = await gatewayToken(oauth, 'agent-b');
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
  await oauth?.close();
});

const messages = (events: SSEEvent[]) =>
  events.map((event) => JSON.parse(event.data) as { method?: string; params?: Record<string, unknown> });
const next = async (response: Response) =>
  messages(await readEvents(response, (events) => events.length >= 1))[0];

describe('2026-07-28 resource subscriptions through the gateway', () => {
  it('declares resources.subscribe to 2026-07-28 clients', async () => {
    const discovered = await modernRequest(url, 'server/discover', {}, { token: aliceToken });
    expect(discovered.body.result?.capabilities).toMatchObject({ resources: { subscribe: true } });
  });

  it('delivers an upstream update only to the user whose upstream session it happened in', async () => {
    const alice = await listen(url, { resourceSubscriptions: [WATCHED] }, { token: aliceToken, id: 901 });
    const bob = await listen(url, { resourceSubscriptions: [WATCHED] }, { token: bobToken, id: 902 });
    try {
      expect(await next(alice.response)).toMatchObject({
        method: 'notifications/subscriptions/acknowledged',
        params: { notifications: { resourceSubscriptions: [WATCHED] } },
      });
      expect((await next(bob.response))?.method).toBe('notifications/subscriptions/acknowledged');
      // Acknowledged once subscribed upstream: one upstream session per user.
      expect(subscribers.size).toBe(2);

      const touched = await modernCall(url, 'watched__touch', {}, {}, { token: aliceToken });
      expect(touched.body.result).toMatchObject({ content: [{ type: 'text', text: 'told' }] });
      expect(await next(alice.response)).toMatchObject({
        method: 'notifications/resources/updated',
        params: { uri: WATCHED, _meta: { 'io.modelcontextprotocol/subscriptionId': 901 } },
      });
      // Bob's first event is his own update: Alice's never reached his stream.
      await modernCall(url, 'watched__touch', {}, {}, { token: bobToken });
      expect(await next(bob.response)).toMatchObject({
        method: 'notifications/resources/updated',
        params: { uri: WATCHED, _meta: { 'io.modelcontextprotocol/subscriptionId': 902 } },
      });
    } finally {
      alice.controller.abort();
      bob.controller.abort();
    }
    // The streams are gone: so are the upstream subscriptions.
    await waitFor(() => subscribers.size === 0, { message: 'the upstream subscriptions ended' });
  });

  it("keeps a user's upstream subscription while another of their streams names the URI", async () => {
    const first = await listen(url, { resourceSubscriptions: [WATCHED] }, { token: aliceToken, id: 911 });
    const second = await listen(url, { resourceSubscriptions: [WATCHED] }, { token: aliceToken, id: 912 });
    try {
      await next(first.response);
      await next(second.response);
      expect(subscribers.size).toBe(1);
      first.controller.abort();
      await modernCall(url, 'watched__touch', {}, {}, { token: aliceToken });
      expect(await next(second.response)).toMatchObject({
        method: 'notifications/resources/updated',
        params: { uri: WATCHED, _meta: { 'io.modelcontextprotocol/subscriptionId': 912 } },
      });
      expect(subscribers.size).toBe(1);
    } finally {
      first.controller.abort();
      second.controller.abort();
    }
    await waitFor(() => subscribers.size === 0, { message: 'the upstream subscription ended' });
  });

  it('subscribes upstream to nothing for a URI it does not serve', async () => {
    const stream = await listen(url, { resourceSubscriptions: ['memo://nowhere'] }, { token: aliceToken });
    try {
      expect((await next(stream.response))?.method).toBe('notifications/subscriptions/acknowledged');
      expect(subscribers.size).toBe(0);
    } finally {
      stream.controller.abort();
    }
  });
});
