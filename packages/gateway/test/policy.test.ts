/**
 * The gateway's policy end to end: two callers with real tokens from a real OAuth server
 * (oidc-provider on loopback), differing in scopes, call an upstream publisher through the gateway
 * (SDK v2 client downstream). Allow/deny by tool and by scope, the argument size limit, and the
 * audit record of every call (principal digest, tool, outcome, latency, redacted arguments).
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type OAuthClientName,
  type OAuthServer,
  startOAuthServer,
} from '../../publisher/test/support/oauth-server.js';
import { createGateway, type Gateway, type GatewayAuditRecord } from '../src/index.js';
import { connectUser, gatewayAuth } from './support/gateway-users.js';
import { startUpstreamPublisher, type UpstreamPublisher } from './support/upstream-publisher.js';

/** A credential the registry knows (an upstream header): it must never reach an audit record. */
const UPSTREAM_KEY = 'gw-policy-upstream-key-7f3a9c';
let oauth: OAuthServer;
let upstream: UpstreamPublisher;
let gateway: Gateway;
let url: string;
const audit: GatewayAuditRecord[] = [];
const clients: Client[] = [];

beforeAll(async () => {
  oauth = await startOAuthServer();
  upstream = await startUpstreamPublisher();
  gateway = await createGateway({
    upstreams: {
      servers: {
        upstream: { url: upstream.url, type: 'http', headers: { 'x-api-key': UPSTREAM_KEY } },
      },
      cache: 'memory',
      logger: silentLogger,
    },
    upstreamSessions: 'shared',
    policy: {
      allow: ['upstream__forecast', 'upstream__recall'],
      byScope: {
        'files:write': { allow: ['upstream__remember'] },
        'files:read': { deny: ['upstream__recall'] },
      },
      maxArgumentBytes: 200,
      onAudit: (record) => audit.push(record),
      auditArguments: true,
    },
    publisher: {
      onError: () => {},
      http: {
        auth: gatewayAuth(oauth),
      },
    },
  });
  ({ url } = await gateway.listen());
});

afterAll(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => {});
  await gateway?.close();
  await upstream?.close();
  await oauth?.close();
});

const connectAs = (user: OAuthClientName, scope: string) =>
  connectUser({ oauth, url, user, scope, clients, name: `gateway-policy-${user}` });

const textOf = (result: Awaited<ReturnType<Client['callTool']>>) =>
  (result.content as { type: string; text?: string }[]).map((block) => block.text ?? '').join('\n');

describe('gateway policy', () => {
  it('allows and denies per tool and per scope; a deny wins, a scope widens the allow list', async () => {
    const writer = await connectAs('agent', 'mcp files:write');
    const reader = await connectAs('agent-b', 'mcp files:read');

    const forecast = await reader.callTool({ name: 'upstream__forecast', arguments: { city: 'Oslo' } });
    expect(forecast.isError).toBeFalsy();
    expect(forecast.structuredContent).toEqual({ city: 'Oslo', celsius: 21.5 });

    // files:write widens the allow list with `remember`; files:read does not.
    const remembered = await writer.callTool({ name: 'upstream__remember', arguments: { note: 'n1' } });
    expect(remembered.isError).toBeFalsy();
    const refused = await reader.callTool({ name: 'upstream__remember', arguments: { note: 'n2' } });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain('does not allow "upstream__remember"');

    // `recall` is allowed to everyone, but files:read denies it.
    expect((await writer.callTool({ name: 'upstream__recall', arguments: {} })).isError).toBeFalsy();
    const denied = await reader.callTool({ name: 'upstream__recall', arguments: {} });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toContain('denies "upstream__recall"');

    // Not in any allow list.
    const chatty = await writer.callTool({ name: 'upstream__chatty', arguments: {} });
    expect(chatty.isError).toBe(true);
    expect(textOf(chatty)).toContain('policy');
  });

  it('refuses arguments over maxArgumentBytes before they go upstream, naming the limit', async () => {
    const reader = await connectAs('agent-b', 'mcp');
    const big = await reader.callTool({ name: 'upstream__forecast', arguments: { city: 'x'.repeat(300) } });
    expect(big.isError).toBe(true);
    expect(textOf(big)).toContain('maxArgumentBytes (200)');
  });

  it('audits every call: principal digest, tool, outcome, latency, arguments redacted', async () => {
    audit.length = 0;
    const writer = await connectAs('agent', 'mcp files:write');
    const reader = await connectAs('agent-b', 'mcp files:read');
    await writer.callTool({ name: 'upstream__forecast', arguments: { city: `key ${UPSTREAM_KEY}` } });
    await reader.callTool({ name: 'upstream__recall', arguments: {} });

    expect(audit).toHaveLength(2);
    const [allowed, denied] = audit as [GatewayAuditRecord, GatewayAuditRecord];
    expect(allowed).toMatchObject({ tool: 'upstream__forecast', outcome: 'ok' });
    expect(denied).toMatchObject({ tool: 'upstream__recall', outcome: 'denied', errorCode: 'POLICY_DENIED' });
    expect(allowed.principal).toEqual(expect.any(String));
    expect(denied.principal).toEqual(expect.any(String));
    expect(allowed.principal).not.toBe(denied.principal);
    for (const record of audit) expect(record.latencyMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(allowed.arguments)).toContain('[redacted]');
    expect(JSON.stringify(audit)).not.toContain(UPSTREAM_KEY);
    expect(denied.arguments).toEqual({});
  });
});

describe('policy in search mode', () => {
  it('applies to call_tool as to a published tool (without auth: the top-level rules)', async () => {
    const search = await createGateway({
      registry: gateway.registry,
      mode: 'search',
      upstreamSessions: 'shared',
      policy: { deny: ['upstream__chatty'] },
      publisher: { onError: () => {} },
    });
    try {
      const listening = await search.listen();
      const client = new Client({ name: 'gateway-policy-search', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(listening.url)));
      clients.push(client);
      const denied = await client.callTool({
        name: 'call_tool',
        arguments: { name: 'upstream__chatty', arguments: {} },
      });
      expect(denied.isError).toBe(true);
      expect(textOf(denied)).toContain('denies "upstream__chatty"');
      const allowed = await client.callTool({
        name: 'call_tool',
        arguments: { name: 'upstream__forecast', arguments: { city: 'Oslo' } },
      });
      expect(allowed.structuredContent).toEqual({ city: 'Oslo', celsius: 21.5 });
    } finally {
      await search.close();
    }
  });
});

describe('policy checked at start', () => {
  it.each([
    [{ allow: 'upstream__*' }, 'policy.allow must be an array'],
    [{ deny: [''] }, 'policy.deny must be an array'],
    [{ byScope: { admin: { allow: ['admin__*'] } } }, 'policy.byScope["admin"].allow widens policy.allow'],
    [{ byScope: { admin: [] } }, 'policy.byScope["admin"] must be { allow, deny }'],
    [{ maxArgumentBytes: 0 }, 'policy.maxArgumentBytes must be a whole number'],
    [{ onAudit: 'log' }, 'policy.onAudit must be a function'],
  ])('rejects %j as CONFIG_INVALID naming the path', async (policy, message) => {
    const failure = createGateway({
      upstreams: { servers: {}, cache: 'memory', logger: silentLogger },
      // biome-ignore lint/suspicious/noExplicitAny: deliberately malformed input
      policy: policy as any,
    });
    await expect(failure).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(failure).rejects.toThrow(message);
  });
});
