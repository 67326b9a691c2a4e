/**
 * 2026-07-28 resource subscriptions from a downstream client over stdio, over real peers: an
 * upstream publisher on loopback whose resource changes per MCP session (each upstream session
 * hears only of its own changes), a gateway serving stdio (in-process streams) and Streamable HTTP
 * with real tokens (oidc-provider on loopback), the official SDK v2 client pinned to 2026-07-28 on
 * stdio. The stdio client's `subscriptions/listen` naming a served resource subscribes upstream in
 * its own upstream session before it is acknowledged; an update there reaches the stdio client,
 * and not an HTTP user whose stream names the same URI (nor the reverse); closing the subscription
 * ends the upstream one.
 */
import { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../core/test/support/index.js';
import { followListen, modernCall } from '../../publisher/test/support/modern-mcp.js';
import { type OAuthServer, startOAuthServer } from '../../publisher/test/support/oauth-server.js';
import { stdioStreams } from '../../publisher/test/support/stdio-streams.js';
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
const closing: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  oauth = await startOAuthServer();
  upstream = await startWatchedUpstream();
  gateway = await createWatchedGateway(upstream, gatewayAuth(oauth));
  ({ url } = await gateway.listen());
});

afterAll(async () => {
  for (const one of closing.splice(0).reverse()) await one.close().catch(() => {});
  await gateway?.close();
  await upstream?.close();
  await oauth?.close();
});

/** An SDK v2 client of the gateway's stdio, on 2026-07-28, recording each resource update it hears. */
async function stdioClient() {
  const { toServer, fromServer, transport } = stdioStreams();
  closing.push(await gateway.serveStdio({ stdin: toServer, stdout: fromServer }));
  const client = new Client(
    { name: 'stdio-modern', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  const updated: string[] = [];
  client.setNotificationHandler('notifications/resources/updated', (notification) => {
    updated.push(notification.params.uri);
  });
  await client.connect(transport);
  closing.push(client);
  return { client, updated };
}

const touch = async (client: Client) => {
  const result = await client.callTool({ name: 'watched__touch', arguments: {} });
  return (result.content as { text?: string }[])[0]?.text;
};

describe('2026-07-28 resource subscriptions over stdio', () => {
  it("subscribes upstream in the stdio caller's session and tells it, and only it, of its updates", async () => {
    const { client, updated } = await stdioClient();
    const aliceToken = await gatewayToken(oauth, 'agent');
    const alice = await followListen(
      url,
      { resourceSubscriptions: [WATCHED] },
      { token: aliceToken, id: 931 },
    );

    const subscription = await client.listen({ resourceSubscriptions: [WATCHED] });
    expect(subscription.honoredFilter).toEqual({ resourceSubscriptions: [WATCHED] });
    // Acknowledged once subscribed upstream: Alice's upstream session and the stdio caller's.
    expect(upstream.subscribers.size).toBe(2);

    expect(await touch(client)).toBe('told');
    await waitFor(() => updated.length === 1, { message: 'the stdio client told of its update' });
    expect(updated).toEqual([WATCHED]);
    // Alice's first event is her own update: the stdio caller's never reached her stream…
    await modernCall(url, 'watched__touch', {}, {}, { token: aliceToken });
    expect(await alice.next()).toMatchObject({
      method: 'notifications/resources/updated',
      params: { uri: WATCHED, _meta: { 'io.modelcontextprotocol/subscriptionId': 931 } },
    });
    // …and hers never reaches stdio: the stdio caller's next update is the second it hears.
    expect(await touch(client)).toBe('told');
    await waitFor(() => updated.length === 2, { message: 'the stdio client told of its second update' });
    expect(updated).toEqual([WATCHED, WATCHED]);
    alice.close();

    // Closing the subscription ends the stdio caller's upstream subscription.
    await subscription.close();
    await waitFor(() => upstream.subscribers.size === 0, { message: 'the upstream subscriptions ended' });
    expect(await touch(client)).toBe('not subscribed');
  });
});
