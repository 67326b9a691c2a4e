/**
 * Subscriptions to resources made from an upstream's URI template, through the gateway, over real
 * peers: a real OAuth server (two users with their own tokens), an upstream publisher serving the
 * template `note://{name}` whose subscriptions and updates are per MCP session and URI, and the
 * gateway with per-principal upstream sessions. A `resources/subscribe` (2025 era) or a
 * `subscriptions/listen` stream (2026-07-28) naming a URI no server lists, but that matches a
 * served template, is routed to that template's server, in the subscriber's own upstream session;
 * its updates reach the subscriber only. A URI matching no template is refused as before.
 */
import type { Client } from '@modelcontextprotocol/client';
import { silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../core/test/support/index.js';
import {
  createPublisher,
  defineResource,
  defineTool,
  type ListeningPublisher,
} from '../../publisher/src/index.js';
import { listen, modernCall } from '../../publisher/test/support/modern-mcp.js';
import type { OAuthClientName } from '../../publisher/test/support/oauth-server.js';
import { readEvents } from '../../publisher/test/support/raw-mcp.js';
import { startUsersGateway, type UsersGateway } from './support/gateway-users.js';

/** Upstream subscriptions, by `<upstream session> <uri>`, each with the function that tells it. */
const subscribers = new Map<string, () => Promise<void>>();
let upstream: ListeningPublisher;
let users: UsersGateway;

beforeAll(async () => {
  const publisher = createPublisher({
    name: 'notes',
    version: '1.0.0',
    onError: () => {},
    resources: [
      defineResource({
        uri: 'note://{name}',
        template: true,
        name: 'note',
        read: (uri) => `the note ${uri.href}`,
      }),
    ],
    tools: [
      defineTool({
        name: 'touch',
        description: "Changes a note in the caller's own session and tells its subscription.",
        inputSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        async execute({ name }, context) {
          const notify = subscribers.get(`${context.sessionId} note://${name}`);
          await notify?.();
          return notify ? 'told' : 'not subscribed';
        },
      }),
    ],
    extend(server, { era }) {
      if (era !== 'legacy') return;
      server.server.registerCapabilities({ resources: { subscribe: true } });
      server.server.setRequestHandler('resources/subscribe', async ({ params }, context) => {
        subscribers.set(`${context.sessionId} ${params.uri}`, () =>
          server.server.sendResourceUpdated({ uri: params.uri }),
        );
        return {};
      });
      server.server.setRequestHandler('resources/unsubscribe', async ({ params }, context) => {
        subscribers.delete(`${context.sessionId} ${params.uri}`);
        return {};
      });
    },
  });
  upstream = await publisher.listen();
  users = await startUsersGateway(
    {
      upstreams: {
        servers: { notes: { url: upstream.url, protocol: 'legacy' } },
        cache: 'memory',
        logger: silentLogger,
      },
    },
    { clientName: 'template-subscriber' },
  );
});

afterAll(async () => {
  await users?.close();
  await upstream?.close();
});

async function connectAs(user: OAuthClientName): Promise<{ client: Client; updates: string[] }> {
  const client = await users.connectAs(user);
  const updates: string[] = [];
  client.setNotificationHandler('notifications/resources/updated', (notification) => {
    updates.push(notification.params.uri);
  });
  return { client, updates };
}

const uris = () => [...subscribers.keys()].map((key) => key.split(' ')[1]);

describe('subscriptions to resources of an upstream template', () => {
  it('routes a 2025-era subscribe to the template’s server, in the subscriber’s own session', async () => {
    const alice = await connectAs('agent');
    const bob = await connectAs('agent-b');
    await alice.client.subscribeResource({ uri: 'note://alpha' });
    expect(uris()).toEqual(['note://alpha']);

    // Bob's upstream session has no subscription: his change tells nobody.
    const bobTouch = await bob.client.callTool({ name: 'notes__touch', arguments: { name: 'alpha' } });
    expect(bobTouch.content).toEqual([{ type: 'text', text: 'not subscribed' }]);
    const aliceTouch = await alice.client.callTool({ name: 'notes__touch', arguments: { name: 'alpha' } });
    expect(aliceTouch.content).toEqual([{ type: 'text', text: 'told' }]);
    await waitFor(() => alice.updates.length === 1, { message: 'the update at the subscriber' });
    expect(alice.updates).toEqual(['note://alpha']);
    await bob.client.ping();
    expect(bob.updates).toEqual([]);

    await alice.client.unsubscribeResource({ uri: 'note://alpha' });
    await waitFor(() => subscribers.size === 0, { message: 'the upstream subscription ended' });
  });

  it('still refuses a URI that matches no served template', async () => {
    const bob = await connectAs('agent-b');
    await expect(bob.client.subscribeResource({ uri: 'memo://alpha' })).rejects.toThrow(
      /No resource "memo:\/\/alpha" is served here/,
    );
    expect(subscribers.size).toBe(0);
  });

  it('subscribes upstream for a 2026-07-28 listen stream naming a templated URI', async () => {
    const token = await users.token('agent');
    const stream = await listen(users.url, { resourceSubscriptions: ['note://beta'] }, { token, id: 931 });
    try {
      const first = await readEvents(stream.response, (events) => events.length >= 1);
      expect(JSON.parse(first[0]?.data ?? '{}')).toMatchObject({
        method: 'notifications/subscriptions/acknowledged',
      });
      expect(uris()).toEqual(['note://beta']);
      const touched = await modernCall(users.url, 'notes__touch', { name: 'beta' }, {}, { token });
      expect(touched.body.result).toMatchObject({ content: [{ type: 'text', text: 'told' }] });
      const update = await readEvents(stream.response, (events) => events.length >= 1);
      expect(JSON.parse(update[0]?.data ?? '{}')).toMatchObject({
        method: 'notifications/resources/updated',
        params: { uri: 'note://beta', _meta: { 'io.modelcontextprotocol/subscriptionId': 931 } },
      });
    } finally {
      stream.controller.abort();
    }
    await waitFor(() => subscribers.size === 0, { message: 'the upstream subscription ended' });
  });
});
