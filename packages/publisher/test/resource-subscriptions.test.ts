/**
 * Resource subscriptions on 2026-07-28 (SEP-2575): a client names resource URIs in the
 * `resourceSubscriptions` filter of its `subscriptions/listen` stream, and
 * `publisher.notifyResourceUpdated(uri)` reaches exactly the streams whose filter names `uri`,
 * tagged with each stream's subscription id. Clients here: raw listen streams, and
 * @toolwire/core's `registry.subscribeResource` (the SDK v2 client on 2026-07-28).
 */
import { createRegistry, silentLogger, ToolwireError } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../core/test/support/index.js';
import { createPublisher, defineResource, type ListeningPublisher, type Publisher } from '../src/index.js';
import { listen, modernRequest } from './support/modern-mcp.js';
import { readEvents, type SSEEvent } from './support/raw-mcp.js';
import { nativeTools } from './support/sample-tools.js';

const WATCHED = 'test://watched';
const OTHER = 'test://other';

let publisher: Publisher;
let listening: ListeningPublisher;

beforeAll(async () => {
  publisher = createPublisher({
    name: 'resource-subscriptions',
    version: '1.0.0',
    tools: nativeTools,
    resources: [
      defineResource({ uri: WATCHED, name: 'watched', read: () => 'watched' }),
      defineResource({ uri: OTHER, name: 'other', read: () => 'other' }),
    ],
  });
  listening = await publisher.listen();
});

afterAll(async () => {
  await publisher?.close({ drainMs: 200 });
});

const messages = (events: SSEEvent[]) =>
  events.map((event) => JSON.parse(event.data) as { method?: string; params?: Record<string, unknown> });

describe('2026-07-28 resource subscriptions', () => {
  it('are declared in server/discover (resources.subscribe)', async () => {
    const discovered = await modernRequest(listening.url, 'server/discover', {});
    expect(discovered.body.result?.capabilities).toMatchObject({ resources: { subscribe: true } });
  });

  it('carry an update to the streams whose filter names the URI, tagged, and to no other', async () => {
    const watched = await listen(listening.url, { resourceSubscriptions: [WATCHED] }, { id: 81 });
    const other = await listen(listening.url, { resourceSubscriptions: [OTHER] }, { id: 82 });
    const watchedAck = messages(await readEvents(watched.response, (events) => events.length >= 1));
    const otherAck = messages(await readEvents(other.response, (events) => events.length >= 1));
    expect(watchedAck[0]).toMatchObject({
      method: 'notifications/subscriptions/acknowledged',
      params: { notifications: { resourceSubscriptions: [WATCHED] } },
    });
    expect(otherAck[0]?.method).toBe('notifications/subscriptions/acknowledged');

    publisher.notifyResourceUpdated(WATCHED);
    publisher.notifyResourceUpdated(OTHER);

    expect(messages(await readEvents(watched.response, (events) => events.length >= 1))[0]).toMatchObject({
      method: 'notifications/resources/updated',
      params: { uri: WATCHED, _meta: { 'io.modelcontextprotocol/subscriptionId': 81 } },
    });
    // The other stream's first event is its own URI's update: the watched one never reached it.
    expect(messages(await readEvents(other.response, (events) => events.length >= 1))[0]).toMatchObject({
      method: 'notifications/resources/updated',
      params: { uri: OTHER, _meta: { 'io.modelcontextprotocol/subscriptionId': 82 } },
    });
    watched.controller.abort();
    other.controller.abort();
  });

  it('reach @toolwire/core’s subscribeResource on 2026-07-28 until it closes', async () => {
    const registry = await createRegistry({
      servers: { pub: { url: listening.url, protocol: '2026-07-28', toolPrefix: false } },
      cache: 'memory',
      logger: silentLogger,
    });
    try {
      const updates: { server: string; uri: string }[] = [];
      const subscription = await registry.subscribeResource('pub', WATCHED, {
        onUpdated: (update) => updates.push(update),
      });
      // The stream may open just after subscribeResource resolves: announce until it is heard.
      for (let probe = 0; updates.length === 0; probe++) {
        if (probe === 100) throw new Error('the subscriber never heard the update');
        publisher.notifyResourceUpdated(WATCHED);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(updates[0]).toEqual({ server: 'pub', uri: WATCHED });
      await subscription.close();
    } finally {
      await registry.close();
    }
  });

  it('carry an update announced for one caller to that caller’s streams only, and tell onResourceSubscribe', async () => {
    const heard: { uris: readonly string[]; principal: string; authInfo: unknown }[] = [];
    let ended = 0;
    const perCaller = createPublisher({
      name: 'per-caller-updates',
      version: '1.0.0',
      tools: nativeTools,
      resources: [defineResource({ uri: WATCHED, name: 'watched', read: () => 'watched' })],
      onResourceSubscribe: (request) => {
        heard.push(request);
        return () => {
          ended += 1;
        };
      },
    });
    try {
      const { url } = await perCaller.listen();
      const stream = await listen(url, { resourceSubscriptions: [WATCHED] }, { id: 91 });
      expect(messages(await readEvents(stream.response, (events) => events.length >= 1))[0]?.method).toBe(
        'notifications/subscriptions/acknowledged',
      );
      // Without auth every caller is `anonymous`.
      expect(heard).toEqual([{ uris: [WATCHED], principal: 'anonymous', authInfo: undefined }]);
      perCaller.notifyResourceUpdated(WATCHED, { principal: 'sha256:someone-else' });
      perCaller.notifyResourceUpdated(WATCHED, { principal: 'anonymous' });
      const [update] = messages(await readEvents(stream.response, (events) => events.length >= 1));
      expect(update).toMatchObject({
        method: 'notifications/resources/updated',
        params: { uri: WATCHED, _meta: { 'io.modelcontextprotocol/subscriptionId': 91 } },
      });
      // The next event is a global update: someone else's never came.
      perCaller.notifyResourceUpdated(WATCHED);
      expect(messages(await readEvents(stream.response, (events) => events.length >= 1))[0]).toMatchObject({
        method: 'notifications/resources/updated',
        params: { uri: WATCHED },
      });
      stream.controller.abort();
      await waitFor(() => ended === 1, { message: 'the stream’s end reported' });
    } finally {
      await perCaller.close({ drainMs: 200 });
    }
  });

  it('are not declared with resourceSubscriptions: false', async () => {
    const quiet = createPublisher({
      name: 'no-resource-subscriptions',
      version: '1.0.0',
      tools: nativeTools,
      resources: [defineResource({ uri: WATCHED, name: 'watched', read: () => 'watched' })],
      resourceSubscriptions: false,
    });
    try {
      const { url } = await quiet.listen();
      const discovered = await modernRequest(url, 'server/discover', {});
      const capabilities = discovered.body.result?.capabilities as { resources?: { subscribe?: boolean } };
      expect(capabilities.resources).toBeDefined();
      expect(capabilities.resources?.subscribe).toBeUndefined();
    } finally {
      await quiet.close({ drainMs: 200 });
    }
  });

  it('refuses an update without a URI (CONFIG_INVALID)', () => {
    const call = () => publisher.notifyResourceUpdated('' as string);
    expect(call).toThrow(ToolwireError);
    expect(call).toThrow(/notifyResourceUpdated needs the resource's URI/);
  });
});
