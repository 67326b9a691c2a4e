/**
 * 2026-07-28 resource subscriptions through the gateway, over real peers: a real OAuth server
 * (two users with their own tokens), an upstream publisher whose resource changes per MCP session
 * (each upstream session hears only of its own changes), and the gateway with per-principal
 * upstream sessions. Each user opens a `subscriptions/listen` stream naming the same URI: the
 * gateway subscribes upstream in that user's own upstream session, and an update there reaches
 * that user's stream only. The upstream subscription ends with the user's last stream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../core/test/support/index.js';
import { listen, modernCall, modernRequest } from '../../publisher/test/support/modern-mcp.js';
import { type OAuthServer, startOAuthServer } from '../../publisher/test/support/oauth-server.js';
import { readEvents, type SSEEvent } from '../../publisher/test/support/raw-mcp.js';
import type { Gateway } from '../src/index.js';
import { gatewayAuth, gatewayToken } from './support/gateway-users.js';
import {
  createWatchedGateway,
  startWatchedUpstream,
  WATCHED,
  type WatchedUpstream,
} from './support/watched-upstream.js';

let oauth: OAuthServer;
let upstream: WatchedUpstream;
let gateway: Gateway;
let url: string;
let aliceToken: string;
let bobToken: string;

beforeAll(async () => {
  oauth = await startOAuthServer();
  upstream = await startWatchedUpstream();
  gateway = await createWatchedGateway(upstream, gatewayAuth(oauth));
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
      expect(upstream.subscribers.size).toBe(2);

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
    await waitFor(() => upstream.subscribers.size === 0, { message: 'the upstream subscriptions ended' });
  });

  it("keeps a user's upstream subscription while another of their streams names the URI", async () => {
    const first = await listen(url, { resourceSubscriptions: [WATCHED] }, { token: aliceToken, id: 911 });
    const second = await listen(url, { resourceSubscriptions: [WATCHED] }, { token: aliceToken, id: 912 });
    try {
      await next(first.response);
      await next(second.response);
      expect(upstream.subscribers.size).toBe(1);
      first.controller.abort();
      await modernCall(url, 'watched__touch', {}, {}, { token: aliceToken });
      expect(await next(second.response)).toMatchObject({
        method: 'notifications/resources/updated',
        params: { uri: WATCHED, _meta: { 'io.modelcontextprotocol/subscriptionId': 912 } },
      });
      expect(upstream.subscribers.size).toBe(1);
    } finally {
      first.controller.abort();
      second.controller.abort();
    }
    await waitFor(() => upstream.subscribers.size === 0, { message: 'the upstream subscription ended' });
  });

  it('subscribes upstream to nothing for a URI it does not serve', async () => {
    const stream = await listen(url, { resourceSubscriptions: ['memo://nowhere'] }, { token: aliceToken });
    try {
      expect((await next(stream.response))?.method).toBe('notifications/subscriptions/acknowledged');
      expect(upstream.subscribers.size).toBe(0);
    } finally {
      stream.controller.abort();
    }
  });
});
