/**
 * Tools hidden from callers the policy refuses: two users with real tokens from a real OAuth
 * server (oidc-provider on loopback), differing in scopes, list the gateway's tools (SDK v2
 * client downstream) and each sees only the tools it may call; in search mode each one's
 * `search_tools` finds only those. A hidden tool called anyway is refused (`POLICY_DENIED`), and
 * `hideDeniedTools: false` lists every tool to everyone.
 */
import type { Client } from '@modelcontextprotocol/client';
import { silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type OAuthClientName,
  type OAuthServer,
  startOAuthServer,
} from '../../publisher/test/support/oauth-server.js';
import { createGateway, GATEWAY_ERROR_META_KEY, type Gateway, type GatewayOptions } from '../src/index.js';
import { connectUser, gatewayAuth } from './support/gateway-users.js';
import { startUpstreamPublisher, type UpstreamPublisher } from './support/upstream-publisher.js';

let oauth: OAuthServer;
let upstream: UpstreamPublisher;
let gateway: Gateway;
const gateways: Gateway[] = [];
const clients: Client[] = [];

const policy = {
  allow: ['upstream__forecast'],
  deny: ['upstream__wait'],
  byScope: {
    'files:write': { allow: ['upstream__remember', 'upstream__recall'] },
    'files:read': { allow: ['upstream__recall'] },
  },
};
const auth = () => ({
  http: {
    auth: gatewayAuth(oauth),
  },
});

async function start(options: Partial<GatewayOptions>): Promise<string> {
  const started = await createGateway({
    registry: gateway.registry,
    upstreamSessions: 'shared',
    policy,
    ...options,
    publisher: { onError: () => {}, ...auth() },
  });
  gateways.push(started);
  return (await started.listen()).url;
}

beforeAll(async () => {
  oauth = await startOAuthServer();
  upstream = await startUpstreamPublisher();
  gateway = await createGateway({
    upstreams: {
      servers: { upstream: { url: upstream.url, type: 'http' } },
      cache: 'memory',
      logger: silentLogger,
    },
    upstreamSessions: 'shared',
    policy,
    publisher: { onError: () => {}, ...auth() },
  });
});

afterAll(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => {});
  for (const started of gateways.splice(0)) await started.close();
  await gateway?.close();
  await upstream?.close();
  await oauth?.close();
});

const connect = (url: string, user: OAuthClientName, scope: string) =>
  connectUser({ oauth, url, user, scope, clients, name: `gateway-hidden-${user}` });

const listed = async (client: Client) => (await client.listTools()).tools.map((tool) => tool.name).sort();
const textOf = (result: Awaited<ReturnType<Client['callTool']>>) =>
  (result.content as { type: string; text?: string }[]).map((block) => block.text ?? '').join('\n');

describe('tools the policy refuses are hidden', () => {
  it('lists each caller only the tools it may call', async () => {
    const { url } = await gateway.listen();
    const writer = await connect(url, 'agent', 'mcp files:write');
    const reader = await connect(url, 'agent-b', 'mcp files:read');
    const plain = await connect(url, 'agent-b', 'mcp');
    expect(await listed(writer)).toEqual(['upstream__forecast', 'upstream__recall', 'upstream__remember']);
    expect(await listed(reader)).toEqual(['upstream__forecast', 'upstream__recall']);
    expect(await listed(plain)).toEqual(['upstream__forecast']);
    // The gateway's own view is unchanged: every exposed tool is served.
    expect((await gateway.tools()).map((tool) => tool.name)).toContain('upstream__wait');
  });

  it('refuses a hidden tool called anyway with POLICY_DENIED', async () => {
    const { url } = await gateway.listen();
    const reader = await connect(url, 'agent-b', 'mcp files:read');
    const refused = await reader.callTool({ name: 'upstream__remember', arguments: { note: 'x' } });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain('does not allow "upstream__remember"');
    expect((refused._meta as Record<string, unknown>)[GATEWAY_ERROR_META_KEY]).toEqual({
      code: 'POLICY_DENIED',
    });
  });

  it('in search mode, each caller finds only the tools it may call', async () => {
    const url = await start({ mode: 'search' });
    const writer = await connect(url, 'agent', 'mcp files:write');
    const reader = await connect(url, 'agent-b', 'mcp files:read');
    expect(await listed(reader)).toEqual(['call_tool', 'search_tools']);
    const found = async (client: Client, query: string) =>
      (
        (await client.callTool({ name: 'search_tools', arguments: { query } })).structuredContent as {
          found: string[];
        }
      ).found;
    expect(await found(writer, 'remember a note in this MCP session')).toContain('upstream__remember');
    expect(await found(reader, 'remember a note in this MCP session')).not.toContain('upstream__remember');
    expect(await found(reader, 'recall the note')).toContain('upstream__recall');
    expect(await found(writer, 'wait until cancelled')).not.toContain('upstream__wait');

    const refused = await reader.callTool({
      name: 'call_tool',
      arguments: { name: 'upstream__remember', arguments: { note: 'x' } },
    });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain('does not allow "upstream__remember"');
  });

  it('hideDeniedTools: false lists every exposed tool to everyone (calls are still refused)', async () => {
    const url = await start({ policy: { ...policy, hideDeniedTools: false } });
    const plain = await connect(url, 'agent-b', 'mcp');
    expect(await listed(plain)).toEqual([
      'upstream__chatty',
      'upstream__forecast',
      'upstream__recall',
      'upstream__remember',
      'upstream__wait',
    ]);
    expect((await plain.callTool({ name: 'upstream__recall', arguments: {} })).isError).toBe(true);
  });
});
