/**
 * `publisher.visibilityChanged()` across a fleet: two publisher instances share a Redis store (the
 * fleet bus) and one rule behind their `toolVisibility` (as rules kept in a shared database
 * would be), with callers holding real tokens (oidc-provider on loopback). A rule change announced
 * on instance A reaches the callers whose 2026-07-28 listen streams and 2025 sessions instance B
 * holds: only those whose own list changed are told, and a stream on A is told once (its own
 * announcement is not echoed back by the bus). Each instance's marker prompt proves an absence:
 * it is the next thing a stream hears when no tool change came before it. Needs Redis at
 * 127.0.0.1:6379 (or REDIS_URL): fails under CI=true when it is missing, skips loudly otherwise.
 */
import type { Client } from '@modelcontextprotocol/client';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../core/test/support/index.js';
import { connectSharedRedis, deletePrefix, uniquePrefix } from '../../core/test/support/redis-servers.js';
import {
  createPublisher,
  definePrompt,
  defineTool,
  type ListeningPublisher,
  type PublishedToolInfo,
  type Publisher,
  type ToolCaller,
} from '../src/index.js';
import { createRedisStore } from '../src/redis.js';
import { connectListChangedSession } from './support/list-changed-session.js';
import { followListen } from './support/modern-mcp.js';
import {
  type OAuthServer,
  PUBLISHER_RESOURCE,
  publisherAuth,
  startOAuthServer,
} from './support/oauth-server.js';

const SUBSCRIPTION_ID = 'io.modelcontextprotocol/subscriptionId';

/** The rule both instances read: callers without `files:write` see `write_note` while it holds. */
let readersMayWrite = true;

function visibility(listed: PublishedToolInfo, caller: ToolCaller | undefined): boolean {
  if (listed.name !== 'write_note') return true;
  return readersMayWrite || (caller?.authInfo?.scopes.includes('files:write') ?? false);
}

const tool = (name: string) => defineTool({ name, description: `${name}.`, execute: () => name });

const redis = await connectSharedRedis();

describe.skipIf(!redis)('visibilityChanged() on a fleet (Redis)', () => {
  const prefix = uniquePrefix('visibility-changed');
  const publishers: Publisher[] = [];
  const endpoints: ListeningPublisher[] = [];
  const clients: Client[] = [];
  let oauth: OAuthServer;

  beforeAll(async () => {
    oauth = await startOAuthServer();
    for (const name of ['A', 'B']) {
      const publisher = createPublisher({
        name: `fleet-${name}`,
        version: '1.0.0',
        tools: [tool('read_note'), tool('write_note')],
        prompts: [],
        toolVisibility: visibility,
        onError: () => {},
        http: {
          store: createRedisStore({ redis: redis as Redis, prefix }),
          auth: publisherAuth(oauth),
        },
      });
      publishers.push(publisher);
      endpoints.push(await publisher.listen());
    }
  });

  afterAll(async () => {
    for (const client of clients.splice(0)) await client.close().catch(() => {});
    await Promise.all(publishers.map((publisher) => publisher.close({ drainMs: 200 })));
    await oauth?.close();
    if (redis) await deletePrefix(redis, prefix);
    redis?.disconnect();
  });

  const token = (scope: string) => oauth.token({ resource: PUBLISHER_RESOURCE, scope });

  /** A listen stream at `url` of a caller with `scope`, following the tool and prompt lists. */
  const follow = async (url: string, scope: string, id: number) =>
    followListen(
      url,
      { toolsListChanged: true, promptsListChanged: true },
      { token: await token(scope), id },
    );

  /** A 2025 session at `url` of a caller with `scope`, recording each list_changed it hears, in order. */
  const session = async (url: string, scope: string) =>
    connectListChangedSession({ url, token: await token(scope), name: 'fleet-2025', clients });

  it('tells the callers another instance holds, only those whose list changed, once', async () => {
    const [a, b] = endpoints as [ListeningPublisher, ListeningPublisher];
    const [publisherA, publisherB] = publishers as [Publisher, Publisher];
    const userOnB = await session(b.url, 'mcp');
    const adminOnB = await session(b.url, 'mcp files:write');
    // The stream for server messages opens after connect: prompts are added until both hear one.
    for (let attempt = 0; ![userOnB, adminOnB].every((one) => one.heard.includes('prompts')); attempt++) {
      if (attempt === 40) throw new Error('the 2025 sessions never heard a prompt change');
      await publisherB.addPrompts([definePrompt({ name: `warm_${attempt}`, get: () => 'x' })]);
      await waitFor(() => [userOnB, adminOnB].every((one) => one.heard.includes('prompts')), {
        timeoutMs: 1_000,
        message: 'both sessions told of a prompt',
      }).catch(() => undefined);
    }
    // Opened after the warm-up: their first notification is what follows.
    const readerOnB = await follow(b.url, 'mcp files:read', 91);
    const writerOnB = await follow(b.url, 'mcp files:read files:write', 92);
    const readerOnA = await follow(a.url, 'mcp files:read', 93);
    expect(await userOnB.names()).toContain('write_note');
    expect(await adminOnB.names()).toContain('write_note');
    const before = [userOnB.heard.length, adminOnB.heard.length];

    // The rule changes for every instance; it is announced on A alone.
    readersMayWrite = false;
    publisherA.visibilityChanged();

    const toolsChanged = (id: number) => ({
      jsonrpc: '2.0',
      method: 'notifications/tools/list_changed',
      params: { _meta: { [SUBSCRIPTION_ID]: id } },
    });
    expect(await readerOnB.next()).toEqual(toolsChanged(91));
    expect(await readerOnA.next()).toEqual(toolsChanged(93));
    await waitFor(() => userOnB.heard.length > before[0]!, { message: 'the 2025 user on B told' });

    // Markers: what each stream and session hears next, after whatever the rule change told it.
    await publisherA.addPrompts([definePrompt({ name: 'marker_a', get: () => 'x' })]);
    await publisherB.addPrompts([definePrompt({ name: 'marker_b', get: () => 'x' })]);
    expect((await readerOnB.next())?.method).toBe('notifications/prompts/list_changed');
    // The writer's list did not change; the reader on A was told once, not once more by the echo.
    expect((await writerOnB.next())?.method).toBe('notifications/prompts/list_changed');
    expect((await readerOnA.next())?.method).toBe('notifications/prompts/list_changed');
    await waitFor(() => adminOnB.heard.slice(before[1]).includes('prompts'), {
      message: 'the 2025 admin on B told of the marker',
    });
    await waitFor(() => userOnB.heard.slice(before[0]).includes('prompts'), {
      message: 'the 2025 user on B told of the marker',
    });
    expect(userOnB.heard.slice(before[0])).toEqual(['tools', 'prompts']);
    expect(adminOnB.heard.slice(before[1])).toEqual(['prompts']);
    expect(await userOnB.names()).not.toContain('write_note');
    expect(await adminOnB.names()).toContain('write_note');
    for (const stream of [readerOnB, writerOnB, readerOnA]) stream.close();
  });
});
