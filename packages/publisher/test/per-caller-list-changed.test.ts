/**
 * Per-caller `list_changed` on 2026-07-28 `subscriptions/listen` streams: two callers with real
 * tokens (oidc-provider on loopback) differing in scopes follow the tool and prompt lists. After
 * `visibilityChanged()` (a rule of `toolVisibility` changed) only the caller whose list changed
 * hears `notifications/tools/list_changed`, stamped with its subscription id; the other's absence
 * is proven by the next notification on its stream (a prompt added, told to everyone, as prompts
 * have no visibility function), which comes first. A tool both may see is told to both. On 2025
 * sessions (SDK v2 client), a tool only admins see is told to the admin's session and to a session
 * that never listed, not to the user's session that listed.
 */
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../core/test/support/index.js';
import {
  createPublisher,
  definePrompt,
  defineTool,
  type PublishedToolInfo,
  type Publisher,
  type ToolCaller,
} from '../src/index.js';
import { connectListChangedSession } from './support/list-changed-session.js';
import { followListen } from './support/modern-mcp.js';
import {
  type OAuthServer,
  PUBLISHER_RESOURCE,
  publisherAuth,
  startOAuthServer,
} from './support/oauth-server.js';

let oauth: OAuthServer;
let publisher: Publisher;
let url: string;
/** The rule behind `write_note`: readers see it while this holds. */
let readersMayWrite = true;

const tool = (name: string) => defineTool({ name, description: `${name}.`, execute: () => name });

function visibility(listed: PublishedToolInfo, caller: ToolCaller | undefined): boolean {
  if (listed.name.startsWith('admin_')) return caller?.authInfo?.scopes.includes('files:write') ?? false;
  if (listed.name !== 'write_note') return true;
  return readersMayWrite || (caller?.authInfo?.scopes.includes('files:write') ?? false);
}

beforeAll(async () => {
  oauth = await startOAuthServer();
  publisher = createPublisher({
    name: 'per-caller-list-changed',
    version: '1.0.0',
    tools: [tool('read_note'), tool('write_note')],
    prompts: [],
    toolVisibility: visibility,
    onError: () => {},
    http: {
      auth: publisherAuth(oauth),
    },
  });
  ({ url } = await publisher.listen());
});

const clients: Client[] = [];

afterAll(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => {});
  await publisher?.close({ drainMs: 100 });
  await oauth?.close();
});

/** A listen stream of a caller with `scope`, acknowledged; `next` reads what follows, one notification at a time. */
async function follow(scope: string, id: number) {
  const token = await oauth.token({ resource: PUBLISHER_RESOURCE, scope });
  return followListen(url, { toolsListChanged: true, promptsListChanged: true }, { token, id });
}

describe('per-caller list_changed on 2026-07-28 listen streams', () => {
  it('tells only the caller whose visible tools changed; catalogue changes reach everyone who sees them', async () => {
    const reader = await follow('mcp files:read', 81);
    const writer = await follow('mcp files:read files:write', 82);

    readersMayWrite = false;
    publisher.visibilityChanged();
    await publisher.addPrompts([definePrompt({ name: 'marker', get: () => 'x' })]);

    expect(await reader.next()).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/tools/list_changed',
      params: { _meta: { 'io.modelcontextprotocol/subscriptionId': 81 } },
    });
    expect((await reader.next())?.method).toBe('notifications/prompts/list_changed');
    // The writer's list did not change: the prompt change is the first thing it hears.
    expect((await writer.next())?.method).toBe('notifications/prompts/list_changed');

    // A rule change that changes nobody's list tells nobody; a tool both see is told to both.
    publisher.visibilityChanged();
    await publisher.addTools([tool('shared_note')]);
    expect((await reader.next())?.method).toBe('notifications/tools/list_changed');
    expect(await writer.next()).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/tools/list_changed',
      params: { _meta: { 'io.modelcontextprotocol/subscriptionId': 82 } },
    });
    reader.close();
    writer.close();
  });
});

/** A 2025 session of a caller with `scope`, recording each list_changed it hears, in order. */
async function session(scope: string) {
  const token = await oauth.token({ resource: PUBLISHER_RESOURCE, scope });
  return connectListChangedSession({ url, token, name: 'per-caller-2025', clients });
}

describe('per-caller list_changed on 2025 sessions', () => {
  it('tells a session that listed only when its own list changed; one that never listed hears every change', async () => {
    const user = await session('mcp');
    const admin = await session('mcp files:write');
    const quiet = await session('mcp');
    // The stream for server messages opens after connect: prompts are added until all three hear one.
    for (let attempt = 0; ![user, admin, quiet].every((one) => one.heard.includes('prompts')); attempt++) {
      if (attempt === 40) throw new Error('the sessions never heard a prompt change');
      await publisher.addPrompts([definePrompt({ name: `warm_${attempt}`, get: () => 'x' })]);
      await waitFor(() => [user, admin, quiet].every((one) => one.heard.includes('prompts')), {
        timeoutMs: 1_000,
        message: 'all three sessions told of a prompt',
      }).catch(() => undefined);
    }
    expect(await user.names()).not.toContain('admin_reset');
    expect(await admin.names()).not.toContain('admin_reset');
    const before = [user, admin, quiet].map((one) => one.heard.length);

    // Only admins see the new tool: the admin and the session that never listed are told.
    await publisher.addTools([tool('admin_reset')]);
    await publisher.addPrompts([definePrompt({ name: 'after_admin', get: () => 'x' })]);
    // Each stream carries its notifications in order: once the prompt change is heard, whatever
    // was sent before it has been heard too.
    await waitFor(
      () => [user, admin, quiet].every((one, index) => one.heard.slice(before[index]).includes('prompts')),
      {
        message: 'the prompt change heard by all three',
      },
    );
    expect(user.heard.slice(before[0])).toEqual(['prompts']);
    expect(admin.heard.slice(before[1])).toEqual(['tools', 'prompts']);
    expect(quiet.heard.slice(before[2])).toEqual(['tools', 'prompts']);
    expect(await admin.names()).toContain('admin_reset');
    expect(await user.names()).not.toContain('admin_reset');
  });
});
