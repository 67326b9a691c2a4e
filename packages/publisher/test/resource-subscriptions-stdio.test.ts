/**
 * 2026-07-28 resource subscriptions over stdio: the official SDK v2 client, pinned to 2026-07-28,
 * on a publisher serving stdio over in-process streams. `onResourceSubscribe` hears of its listen
 * (no token, the principal `anonymous`) before the acknowledgement; `notifyResourceUpdated` for
 * everyone or for `anonymous` reaches the subscription naming the URI, while an update for another
 * caller, or for a URI it does not name, does not; closing the subscription calls the function the
 * hook returned. A 2025 connection is not sent updates it never subscribed to.
 */
import { Client } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../core/test/support/index.js';
import { createPublisher, defineResource, type ResourceSubscriptionRequest } from '../src/index.js';
import { stdioStreams } from './support/stdio-streams.js';

const WATCHED = 'test://watched';
const OTHER = 'test://other';

function subscribingPublisher() {
  const heard: ResourceSubscriptionRequest[] = [];
  let ended = 0;
  const publisher = createPublisher({
    name: 'stdio-subscriptions',
    version: '1.0.0',
    tools: [],
    resources: [WATCHED, OTHER].map((uri) => defineResource({ uri, name: uri, read: () => uri })),
    onResourceSubscribe: (request) => {
      heard.push(request);
      return () => {
        ended += 1;
      };
    },
    onError: () => {},
  });
  return { publisher, heard, ended: () => ended };
}

async function connect(
  publisher: ReturnType<typeof createPublisher>,
  era: 'legacy' | 'modern',
): Promise<{ client: Client; updated: string[]; close(): Promise<void> }> {
  const { toServer, fromServer, transport } = stdioStreams();
  const handle = await publisher.serveStdio({ stdin: toServer, stdout: fromServer });
  const client = new Client(
    { name: `stdio-${era}`, version: '1.0.0' },
    { versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: '2026-07-28' } } },
  );
  const updated: string[] = [];
  client.setNotificationHandler('notifications/resources/updated', (notification) => {
    updated.push(notification.params.uri);
  });
  await client.connect(transport);
  return {
    client,
    updated,
    close: async () => {
      await client.close().catch(() => {});
      await handle.close();
    },
  };
}

describe('2026-07-28 resource subscriptions over stdio', () => {
  it('tells the listen of its URIs, for everyone or for the stdio caller, and ends with it', async () => {
    const { publisher, heard, ended } = subscribingPublisher();
    const { client, updated, close } = await connect(publisher, 'modern');
    try {
      const subscription = await client.listen({ resourceSubscriptions: [WATCHED] });
      expect(subscription.honoredFilter).toEqual({ resourceSubscriptions: [WATCHED] });
      expect(heard).toEqual([{ uris: [WATCHED], authInfo: undefined, principal: 'anonymous' }]);

      publisher.notifyResourceUpdated(OTHER);
      publisher.notifyResourceUpdated(WATCHED, { principal: 'sha256:someone-else' });
      publisher.notifyResourceUpdated(WATCHED, { principal: 'anonymous' });
      publisher.notifyResourceUpdated(WATCHED);
      // One pipe, in order: once the last is heard, whatever came before it was too.
      await waitFor(() => updated.length >= 2, { message: 'the stdio client told of its updates' });
      expect(updated).toEqual([WATCHED, WATCHED]);

      expect(ended()).toBe(0);
      await subscription.close();
      await waitFor(() => ended() === 1, { message: 'the subscription’s end function called' });
    } finally {
      await close();
    }
  });

  it('ends the subscriptions a connection held when it closes, and leaves 2025 connections alone', async () => {
    const { publisher, heard, ended } = subscribingPublisher();
    const modern = await connect(publisher, 'modern');
    await modern.client.listen({ resourceSubscriptions: [WATCHED, OTHER] });
    expect(heard.map((request) => request.uris)).toEqual([[WATCHED, OTHER]]);
    await modern.close();
    await waitFor(() => ended() === 1, { message: 'the end function called with the connection' });

    const legacy = await connect(publisher, 'legacy');
    try {
      publisher.notifyResourceUpdated(WATCHED);
      // A request answered after the update proves it was not sent before the answer.
      await legacy.client.listResources();
      expect(legacy.updated).toEqual([]);
      expect(heard).toHaveLength(1);
    } finally {
      await legacy.close();
    }
  });
});
