/**
 * Resource subscriptions through the gateway, over real peers: an upstream publisher (2025
 * sessions) that keeps its subscribers per session and announces `notifications/resources/updated`
 * to them, the gateway with per-principal upstream sessions (one per downstream session here),
 * and two downstream users on the official SDK v1 client. Only the user who subscribed hears of
 * an update; after unsubscribing they hear of no more, and the upstream subscription is gone.
 */
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../core/test/support/index.js';
import { modernRequest } from '../../publisher/test/support/modern-mcp.js';
import type { Gateway } from '../src/index.js';
import {
  createWatchedGateway,
  startWatchedUpstream,
  WATCHED,
  type WatchedUpstream,
} from './support/watched-upstream.js';

let upstream: WatchedUpstream;
let gateway: Gateway;
let gatewayUrl: string;
const users: { client: ClientV1; updates: string[] }[] = [];

beforeAll(async () => {
  // `touch` tells every subscribed session: Bob's call reaches Alice's subscription.
  upstream = await startWatchedUpstream({ touch: 'every-subscriber' });
  gateway = await createWatchedGateway(upstream);
  const { url } = await gateway.listen();
  gatewayUrl = url;
  for (const name of ['alice', 'bob']) {
    const client = new ClientV1({ name, version: '1.0.0' });
    const updates: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
      updates.push(notification.params.uri);
    });
    await client.connect(new TransportV1(new URL(url)));
    users.push({ client, updates });
  }
});

afterAll(async () => {
  for (const { client } of users) await client.close().catch(() => {});
  await gateway?.close();
  await upstream?.close();
});

describe('resource subscriptions through the gateway', () => {
  it('declares subscriptions to 2025-era clients', () => {
    expect(users[0]?.client.getServerCapabilities()?.resources?.subscribe).toBe(true);
  });

  it('offers them to 2026-07-28 clients too (their listen streams: resource-subscriptions-modern.test.ts)', async () => {
    const discovered = await modernRequest(gatewayUrl, 'server/discover', {});
    expect(discovered.body.result?.capabilities).toMatchObject({ resources: { subscribe: true } });
  });

  it('tells the subscriber of an update, and nobody else', async () => {
    const [alice, bob] = users as [(typeof users)[0], (typeof users)[0]];
    await alice.client.subscribeResource({ uri: WATCHED });
    expect(upstream.subscribers.size).toBe(1);

    await bob.client.callTool({ name: 'watched__touch', arguments: {} });
    await waitFor(() => alice.updates.length === 1, { message: 'the update at the subscriber' });
    expect(alice.updates).toEqual([WATCHED]);
    // Bob's own session goes on (a request answered), and he heard of nothing.
    await bob.client.ping();
    expect(bob.updates).toEqual([]);
  });

  it('refuses a subscription to a resource it does not serve', async () => {
    await expect(users[1]?.client.subscribeResource({ uri: 'memo://nowhere' })).rejects.toThrow(
      /memo:\/\/nowhere/,
    );
  });

  it('ends the upstream subscription on unsubscribe', async () => {
    const [alice] = users as [(typeof users)[0]];
    await alice.client.unsubscribeResource({ uri: WATCHED });
    await waitFor(() => upstream.subscribers.size === 0, { message: 'the upstream subscription ended' });
    await alice.client.callTool({ name: 'watched__touch', arguments: {} });
    await alice.client.ping();
    expect(alice.updates).toEqual([WATCHED]);
  });
});
