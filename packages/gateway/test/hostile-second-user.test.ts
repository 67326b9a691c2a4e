/**
 * A second, hostile user of the gateway: users A (`agent`) and B (`agent-b`) hold real tokens from
 * a real OAuth server (oidc-provider on loopback); the upstreams are our publisher on loopback (one
 * open to both, one, `vault`, that B's policy denies, reached with a secret header and a secret
 * URL query value). B tries to reach A and what B's policy hides:
 *
 * - B reuses A's downstream session id (POST, GET, DELETE), with B's token and with none;
 * - B cancels request ids that are A's in flight; A and B run calls with equal request ids and
 *   progress tokens at once, and each hears only its own progress;
 * - in search mode, B's `search_tools` does not show the vault, and `call_tool` neither bypasses
 *   the policy nor the rate limit nor the result size limit, and every refusal is audited;
 * - B reads no vault resource and gets no vault prompt;
 * - the vault's secret header and URL query value appear in no answer, error, audit record,
 *   log line or reported error, in any encoding — also once the vault is gone and calls fail.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoSecrets, createOutputRecorder } from '../../core/test/support/secret-search.js';
import {
  createPublisher,
  definePrompt,
  defineResource,
  defineTool,
  type Publisher,
} from '../../publisher/src/index.js';
import {
  type OAuthClientName,
  type OAuthServer,
  startOAuthServer,
} from '../../publisher/test/support/oauth-server.js';
import {
  createGateway,
  GATEWAY_ERROR_META_KEY,
  type Gateway,
  type GatewayAuditRecord,
  type GatewayOptions,
} from '../src/index.js';
import { gatewayAuth, gatewayToken } from './support/gateway-users.js';
import { startUpstreamPublisher, type UpstreamPublisher } from './support/upstream-publisher.js';

const HEADER_SECRET = 'vault-header-Zq9/+pl=ain';
const QUERY_SECRET = 'vault query&key=7Yx!';
const SECRETS = [HEADER_SECRET, QUERY_SECRET];

let oauth: OAuthServer;
let upstream: UpstreamPublisher;
let vault: Publisher;
let vaultURL: string;
const recorder = createOutputRecorder();
const audit: GatewayAuditRecord[] = [];
const opened: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  oauth = await startOAuthServer();
  upstream = await startUpstreamPublisher();
  vault = createPublisher({
    name: 'vault',
    version: '1.0.0',
    onError: () => {},
    tools: [
      defineTool({
        name: 'open',
        description: 'Opens the vault.',
        execute: (_args, context) => `opened for ${context.authInfo?.clientId ?? 'anyone'}`,
      }),
    ],
    resources: [
      defineResource({
        uri: 'vault://ledger',
        name: 'ledger',
        mimeType: 'text/plain',
        read: () => 'ledger of A',
      }),
    ],
    prompts: [
      definePrompt({
        name: 'combination',
        description: 'The combination.',
        get: () => ({ messages: [{ role: 'user', content: { type: 'text', text: '12-34-56' } }] }),
      }),
    ],
  });
  vaultURL = (await vault.listen()).url;
});

afterAll(async () => {
  for (const item of opened.splice(0).reverse()) await item.close().catch(() => {});
  await vault?.close({ drainMs: 0 }).catch(() => {});
  await upstream?.close();
  await oauth?.close();
});

async function startGateway(options: Partial<GatewayOptions> = {}): Promise<string> {
  const query = new URLSearchParams({ key: QUERY_SECRET });
  const gateway: Gateway = await createGateway({
    upstreams: {
      servers: {
        upstream: { url: upstream.url, type: 'http', protocol: 'legacy' },
        vault: { url: `${vaultURL}?${query}`, type: 'http', headers: { 'x-vault-key': HEADER_SECRET } },
      },
      cache: 'memory',
      logger: recorder.logger,
      listeners: recorder.listeners,
    },
    policy: {
      byPrincipal: { 'agent-b': { deny: ['vault__*', 'vault://*'] } },
      rateLimits: [{ per: 'principal', limit: 6, windowMs: 600_000 }],
      maxResultBytes: 2_000,
      onAudit: (record) => {
        audit.push(record);
        recorder.record('audit', record);
      },
    },
    publisher: {
      onError: (error) => recorder.recordError('publisher.onError', error),
      http: { auth: gatewayAuth(oauth) },
    },
    ...options,
  });
  opened.push(gateway);
  return (await gateway.listen()).url;
}

interface User {
  client: Client;
  token: string;
  sessionId: string | undefined;
  /** Every notification this user's client received. */
  heard: { method: string; params?: unknown }[];
}

/** A 2025-era client (MCP sessions exist there) of the gateway as `user`. */
async function connectAs(url: string, user: OAuthClientName): Promise<User> {
  const token = await gatewayToken(oauth, user);
  const heard: User['heard'] = [];
  const client = new Client(
    { name: `hostile-${user}`, version: '1.0.0' },
    { versionNegotiation: { mode: 'legacy' } },
  );
  client.fallbackNotificationHandler = async (notification) => {
    heard.push(notification);
    recorder.record(`notification.${user}`, notification);
  };
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  opened.push(client);
  return { client, token, sessionId: transport.sessionId, heard };
}

/** A raw JSON-RPC POST (or other method) to the gateway, its answer recorded for the secret search. */
async function raw(
  url: string,
  init: { method?: string; token?: string; sessionId?: string | undefined; body?: unknown },
): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: init.method ?? 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.sessionId ? { 'mcp-session-id': init.sessionId } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  const text = init.method === 'GET' && response.ok ? '(stream opened)' : await response.text();
  if (init.method === 'GET') await response.body?.cancel().catch(() => {});
  recorder.record('raw', { status: response.status, text });
  return { status: response.status, text };
}

type CallResult = Awaited<ReturnType<Client['callTool']>>;
const textOf = (result: CallResult) =>
  (result.content as { type: string; text?: string }[]).map((block) => block.text ?? '').join('\n');
const codeOf = (result: CallResult) =>
  (result._meta?.[GATEWAY_ERROR_META_KEY] as { code?: string } | undefined)?.code;
const call = async (user: User, name: string, args: Record<string, unknown> = {}) => {
  const result = await user.client.callTool({ name, arguments: args });
  recorder.record('result', result);
  return result;
};

describe('B reuses A’s downstream session id', () => {
  it('is refused with B’s token and without one, on POST, GET and DELETE; A’s session goes on', async () => {
    const url = await startGateway();
    const alice = await connectAs(url, 'agent');
    const bob = await connectAs(url, 'agent-b');
    expect(alice.sessionId).toBeTruthy();
    await call(alice, 'upstream__remember', { note: 'alice-secret-note' });

    const recall = {
      jsonrpc: '2.0',
      id: 99,
      method: 'tools/call',
      params: { name: 'upstream__recall', arguments: {} },
    };
    const asBob = await raw(url, { token: bob.token, sessionId: alice.sessionId, body: recall });
    expect([403, 404]).toContain(asBob.status);
    expect(asBob.text).not.toContain('alice-secret-note');
    const anonymous = await raw(url, { sessionId: alice.sessionId, body: recall });
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).not.toContain('alice-secret-note');
    expect([403, 404]).toContain(
      (await raw(url, { method: 'GET', token: bob.token, sessionId: alice.sessionId })).status,
    );
    expect((await raw(url, { method: 'GET', sessionId: alice.sessionId })).status).toBe(401);
    expect([403, 404]).toContain(
      (await raw(url, { method: 'DELETE', token: bob.token, sessionId: alice.sessionId })).status,
    );
    expect((await raw(url, { method: 'DELETE', sessionId: alice.sessionId })).status).toBe(401);

    // A's session is still A's and still works; B's own upstream session never saw A's note.
    expect(textOf(await call(alice, 'upstream__recall'))).toBe('alice-secret-note');
    expect(textOf(await call(bob, 'upstream__recall'))).toBe('(nothing)');
  });
});

describe('request ids and progress tokens equal to A’s', () => {
  it('B’s cancellations of A’s request ids do not reach A’s call; A’s own does', async () => {
    const url = await startGateway();
    const alice = await connectAs(url, 'agent');
    const bob = await connectAs(url, 'agent-b');
    const cancelledBefore = upstream.cancelled.length;
    const started = upstream.waitStarted();
    const aborter = new AbortController();
    const waiting = alice.client
      .callTool({ name: 'upstream__wait', arguments: {} }, { signal: aborter.signal })
      .catch((error: Error) => error);
    await started;
    // B cancels every request id A's client can have used so far, in B's own session.
    for (let requestId = 0; requestId < 20; requestId++) {
      await bob.client.notification({
        method: 'notifications/cancelled',
        params: { requestId, reason: 'B cancels A' },
      });
    }
    // B's session still answers, and A's call is still running upstream.
    expect(textOf(await call(bob, 'upstream__recall'))).toBe('(nothing)');
    expect(upstream.cancelled.length).toBe(cancelledBefore);
    aborter.abort('A cancels');
    await waiting;
    await expect.poll(() => upstream.cancelled.length, { timeout: 10_000 }).toBe(cancelledBefore + 1);
  });

  it('A and B calling at once with equal request ids and progress tokens each hear only their own progress', async () => {
    const url = await startGateway();
    const alice = await connectAs(url, 'agent');
    const bob = await connectAs(url, 'agent-b');
    const progress = { alice: [] as unknown[], bob: [] as unknown[] };
    // Two fresh clients: their request ids (and so the SDK's progress tokens) are equal.
    const [fromAlice, fromBob] = await Promise.all([
      alice.client.callTool(
        { name: 'upstream__chatty', arguments: {} },
        { onprogress: (update) => progress.alice.push(update) },
      ),
      bob.client.callTool(
        { name: 'upstream__chatty', arguments: {} },
        { onprogress: (update) => progress.bob.push(update) },
      ),
    ]);
    expect(textOf(fromAlice)).toBe('chatty done');
    expect(textOf(fromBob)).toBe('chatty done');
    expect(progress.alice).toHaveLength(2);
    expect(progress.bob).toHaveLength(2);
    const logs = (user: User) => user.heard.filter((item) => item.method === 'notifications/message');
    expect(logs(alice)).toHaveLength(1);
    expect(logs(bob)).toHaveLength(1);
  });
});

describe('in search mode, call_tool is held to B’s policy', () => {
  it('search_tools hides the vault from B; call_tool is denied, rate-limited and size-limited, and audited', async () => {
    const url = await startGateway({ mode: 'search' });
    const alice = await connectAs(url, 'agent');
    const bob = await connectAs(url, 'agent-b');
    const found = async (user: User) =>
      (
        (await call(user, 'search_tools', { query: 'vault open' })).structuredContent as {
          tools: { name: string }[];
        }
      ).tools.map((tool) => tool.name);
    expect(await found(alice)).toContain('vault__open');
    expect(await found(bob)).not.toContain('vault__open');

    const auditBefore = audit.length;
    const denied = await call(bob, 'call_tool', { name: 'vault__open', arguments: {} });
    expect(denied.isError).toBe(true);
    expect(['POLICY_DENIED', 'TOOL_NOT_FOUND']).toContain(codeOf(denied));
    expect(textOf(denied)).not.toContain('opened');

    // A's note is bigger than maxResultBytes: recalling it through call_tool is not forwarded.
    await call(alice, 'call_tool', { name: 'upstream__remember', arguments: { note: 'n'.repeat(3_000) } });
    const tooLarge = await call(alice, 'call_tool', { name: 'upstream__recall', arguments: {} });
    expect(codeOf(tooLarge)).toBe('RESULT_TOO_LARGE');
    expect(textOf(tooLarge)).not.toContain('nnnnnnnn');

    // B's own limit: 6 calls per principal; call_tool counts each call it makes.
    const outcomes: (string | undefined)[] = [];
    for (let index = 0; index < 8; index++) {
      outcomes.push(
        codeOf(await call(bob, 'call_tool', { name: 'upstream__forecast', arguments: { city: 'Oslo' } })),
      );
    }
    expect(outcomes.filter((code) => code === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(2);

    const bobRecords = audit
      .slice(auditBefore)
      .filter((record) => record.kind === 'tool' && record.tool !== undefined);
    expect(bobRecords.map((record) => record.outcome)).toEqual(
      expect.arrayContaining(['denied', 'rate-limited', 'ok']),
    );
    expect(bobRecords.find((record) => record.tool === 'vault__open')?.outcome).toBe('denied');
  });
});

describe('resources and prompts of an upstream B may not see', () => {
  it('B lists, reads and gets none of the vault’s; A does', async () => {
    const url = await startGateway();
    const alice = await connectAs(url, 'agent');
    const bob = await connectAs(url, 'agent-b');
    const uris = async (user: User) =>
      (await user.client.listResources()).resources.map((resource) => resource.uri);
    const prompts = async (user: User) =>
      (await user.client.listPrompts()).prompts.map((prompt) => prompt.name);
    expect(await uris(alice)).toContain('vault://ledger');
    expect(await uris(bob)).not.toContain('vault://ledger');
    expect(await prompts(alice)).toContain('vault__combination');
    expect(await prompts(bob)).not.toContain('vault__combination');

    const read = await bob.client.readResource({ uri: 'vault://ledger' }).catch((error: unknown) => error);
    recorder.record('bob.read', read);
    expect(read).toMatchObject({ data: { code: 'POLICY_DENIED' } });
    expect(JSON.stringify(read)).not.toContain('ledger of A');
    const prompt = await bob.client
      .getPrompt({ name: 'vault__combination' })
      .catch((error: unknown) => error);
    recorder.record('bob.prompt', prompt);
    expect(prompt).toMatchObject({ data: { code: 'POLICY_DENIED' } });
    expect(JSON.stringify(prompt)).not.toContain('12-34-56');
  });
});

describe('upstream secrets', () => {
  it('the vault’s header and URL query value are in no answer, error, audit record or log, also once the vault is gone', async () => {
    const url = await startGateway();
    const alice = await connectAs(url, 'agent');
    const bob = await connectAs(url, 'agent-b');
    expect(textOf(await call(alice, 'vault__open'))).toMatch(/^opened/);
    await call(bob, 'vault__open');
    await call(alice, 'upstream__forecast', { city: 'Atlantis' });
    await vault.close({ drainMs: 0 });
    const gone = await call(alice, 'vault__open');
    expect(gone.isError).toBe(true);
    expect(codeOf(gone)).toBe('CONNECT_FAILED');
    const read = await alice.client.readResource({ uri: 'vault://ledger' }).catch((error: unknown) => error);
    recorder.recordError('alice.read', read);
    const prompt = await alice.client
      .getPrompt({ name: 'vault__combination' })
      .catch((error: unknown) => error);
    recorder.recordError('alice.prompt', prompt);
    // Everything recorded across this file (this test's own at least): answers, raw HTTP bodies,
    // notifications, audit, logs, events, reported errors.
    expect(recorder.count('result')).toBeGreaterThanOrEqual(8);
    expect(recorder.count('audit')).toBeGreaterThanOrEqual(10);
    expect(recorder.count('publisher.onError') + recorder.count('log.')).toBeGreaterThan(0);
    assertNoSecrets(recorder.text(), SECRETS);
  });
});
