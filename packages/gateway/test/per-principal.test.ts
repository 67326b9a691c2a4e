/**
 * Per-user upstream isolation: two users with real tokens from a real OAuth server (oidc-provider
 * on loopback) call through one gateway whose upstream keeps state per MCP session. Each
 * principal gets its own upstream session (2025-era, `Mcp-Session-Id`): what user A stored is invisible to user B, and A's
 * second downstream session (same principal) finds A's state again; resource reads run in the
 * caller's upstream session too.
 */
import type { Client } from '@modelcontextprotocol/client';
import { silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUsersGateway, type UsersGateway } from './support/gateway-users.js';
import { startUpstreamPublisher, type UpstreamPublisher } from './support/upstream-publisher.js';

let upstream: UpstreamPublisher;
let users: UsersGateway;

beforeAll(async () => {
  upstream = await startUpstreamPublisher();
  users = await startUsersGateway({
    upstreams: {
      // Session state is a 2025-era notion (2026-07-28 has no MCP sessions): speak that era upstream.
      servers: { upstream: { url: upstream.url, type: 'http', protocol: 'legacy' } },
      cache: 'memory',
      logger: silentLogger,
    },
  });
});

afterAll(async () => {
  await users?.close();
  await upstream?.close();
});

const connectAs = (user: 'agent' | 'agent-b') => users.connectAs(user);

const textOf = (result: Awaited<ReturnType<Client['callTool']>>) =>
  (result.content as { type: string; text: string }[])[0]?.text;

describe('per-principal upstream sessions', () => {
  it("keeps one user's upstream state from another, and finds it again in the same user's next session", async () => {
    const alice = await connectAs('agent');
    const bob = await connectAs('agent-b');

    const stored = textOf(
      await alice.callTool({ name: 'upstream__remember', arguments: { note: 'alice-only' } }),
    );
    expect(textOf(await bob.callTool({ name: 'upstream__recall', arguments: {} }))).toBe('(nothing)');
    const storedByBob = textOf(
      await bob.callTool({ name: 'upstream__remember', arguments: { note: 'bob-only' } }),
    );
    // Two upstream sessions, one per principal.
    expect(storedByBob).not.toBe(stored);
    expect(textOf(await alice.callTool({ name: 'upstream__recall', arguments: {} }))).toBe('alice-only');
    expect(textOf(await bob.callTool({ name: 'upstream__recall', arguments: {} }))).toBe('bob-only');

    // Alice again, in a new downstream session with a new token: the same principal, the same upstream session.
    const aliceAgain = await connectAs('agent');
    expect(textOf(await aliceAgain.callTool({ name: 'upstream__recall', arguments: {} }))).toBe('alice-only');
    // Resources are read in the caller's upstream session too.
    const note = async (client: Client) =>
      (await client.readResource({ uri: 'memo://note' })).contents.map((content) =>
        'text' in content ? content.text : '',
      );
    expect(await note(alice)).toEqual(['alice-only']);
    expect(await note(bob)).toEqual(['bob-only']);
    // The shared connection that listed the tools, plus one per principal.
    expect(users.gateway.registry.server('upstream')?.connections).toBe(3);
  });

  it('refuses a caller without a token before any upstream is touched', async () => {
    const before = users.gateway.registry.stats().calls;
    const response = await fetch(users.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(response.status).toBe(401);
    await response.body?.cancel();
    expect(users.gateway.registry.stats().calls).toBe(before);
  });
});
