/**
 * Per-caller `list_changed` on 2026-07-28 `subscriptions/listen` streams: two callers with real
 * tokens (oidc-provider on loopback) differing in scopes follow the tool and prompt lists. After
 * `visibilityChanged()` (a rule of `toolVisibility` changed) only the caller whose list changed
 * hears `notifications/tools/list_changed`, stamped with its subscription id; the other's absence
 * is proven by the next notification on its stream (a prompt added, told to everyone, as prompts
 * have no visibility function), which comes first. A tool both may see is told to both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPublisher,
  definePrompt,
  defineTool,
  type PublishedToolInfo,
  type Publisher,
  type ToolCaller,
} from '../src/index.js';
import { listen } from './support/modern-mcp.js';
import { type OAuthServer, startOAuthServer } from './support/oauth-server.js';
import { readEvents, type SSEEvent } from './support/raw-mcp.js';

const RESOURCE = 'http://toolwire.test/mcp';
let oauth: OAuthServer;
let publisher: Publisher;
let url: string;
/** The rule behind `write_note`: readers see it while this holds. */
let readersMayWrite = true;

const tool = (name: string) => defineTool({ name, description: `${name}.`, execute: () => name });

function visibility(listed: PublishedToolInfo, caller: ToolCaller | undefined): boolean {
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
      auth: {
        jwt: { jwksUrl: oauth.jwksUrl, issuer: oauth.issuer, audience: RESOURCE },
        authorizationServers: [oauth.issuer],
        resourceUrl: RESOURCE,
      },
    },
  });
  ({ url } = await publisher.listen());
});

afterAll(async () => {
  await publisher?.close({ drainMs: 100 });
  await oauth?.close();
});

const notes = (events: SSEEvent[]) =>
  events.map((event) => JSON.parse(event.data) as { method?: string; params?: { _meta?: object } });

/** A listen stream of a caller with `scope`, acknowledged; `next` reads what follows, one notification at a time. */
async function follow(scope: string, id: number) {
  const token = await oauth.token({ resource: RESOURCE, scope });
  const stream = await listen(url, { toolsListChanged: true, promptsListChanged: true }, { token, id });
  const [ack] = notes(await readEvents(stream.response, (events) => events.length >= 1));
  expect(ack?.method).toBe('notifications/subscriptions/acknowledged');
  const queue: ReturnType<typeof notes> = [];
  return {
    next: async () => {
      if (queue.length === 0)
        queue.push(...notes(await readEvents(stream.response, (events) => events.length >= 1)));
      return queue.shift();
    },
    close: () => stream.controller.abort(),
  };
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
