/**
 * 2026-07-28 resource subscriptions across a fleet: two publisher instances share a Redis store
 * (the fleet bus). An update announced on instance A reaches a `subscriptions/listen` stream held
 * by instance B, and a stream on A hears of it once (its own update is not echoed back by the
 * bus). Needs Redis at 127.0.0.1:6379 (or REDIS_URL): fails under CI=true when it is missing,
 * skips loudly otherwise.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSharedRedis, deletePrefix, uniquePrefix } from '../../core/test/support/redis-servers.js';
import { createPublisher, defineResource, type ListeningPublisher, type Publisher } from '../src/index.js';
import { createRedisStore } from '../src/redis.js';
import { listen } from './support/modern-mcp.js';
import { readEvents, type SSEEvent } from './support/raw-mcp.js';
import { nativeTools } from './support/sample-tools.js';

const URIS = ['test://one', 'test://two', 'test://three'];

const updated = (events: SSEEvent[]) =>
  events
    .map((event) => JSON.parse(event.data) as { method?: string; params?: { uri?: string } })
    .filter((message) => message.method === 'notifications/resources/updated')
    .map((message) => message.params?.uri);

const redis = await connectSharedRedis();

describe.skipIf(!redis)('resource subscriptions on a fleet (Redis)', () => {
  const prefix = uniquePrefix('resource-updates');
  const publishers: Publisher[] = [];
  const endpoints: ListeningPublisher[] = [];

  beforeAll(async () => {
    for (const name of ['A', 'B']) {
      const publisher = createPublisher({
        name: `fleet-${name}`,
        version: '1.0.0',
        tools: nativeTools,
        resources: URIS.map((uri, index) => defineResource({ uri, name: `r${index}`, read: () => uri })),
        http: { store: createRedisStore({ redis: redis as Redis, prefix }) },
        onError: () => {},
      });
      publishers.push(publisher);
      endpoints.push(await publisher.listen());
    }
  });

  afterAll(async () => {
    await Promise.all(publishers.map((publisher) => publisher.close({ drainMs: 200 })));
    if (redis) await deletePrefix(redis, prefix);
    redis?.disconnect();
  });

  it('an update announced on A reaches a stream on B; a stream on A hears it once', async () => {
    const [a, b] = endpoints as [ListeningPublisher, ListeningPublisher];
    const [publisherA, publisherB] = publishers as [Publisher, Publisher];
    const onA = await listen(a.url, { resourceSubscriptions: URIS }, { id: 41 });
    const onB = await listen(b.url, { resourceSubscriptions: URIS }, { id: 42 });
    await readEvents(onA.response, (events) => events.length >= 1);
    await readEvents(onB.response, (events) => events.length >= 1);

    publisherA.notifyResourceUpdated('test://one');
    publisherA.notifyResourceUpdated('test://two');
    expect(updated(await readEvents(onB.response, (events) => updated(events).length >= 2))).toEqual([
      'test://one',
      'test://two',
    ]);
    // Announced on B, it reaches A through Redis after any echo of A's own updates would have.
    publisherB.notifyResourceUpdated('test://three');
    expect(
      updated(await readEvents(onA.response, (events) => updated(events).includes('test://three'))),
    ).toEqual(URIS);
    onA.controller.abort();
    onB.controller.abort();
  });
});
