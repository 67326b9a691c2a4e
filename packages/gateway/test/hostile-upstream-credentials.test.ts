/**
 * Upstream credentials under pressure, over real peers: a real OAuth server (oidc-provider on
 * loopback, with RFC 8693 token exchange) issues users A's and B's downstream tokens; the protected
 * upstream (our publisher, JWT audience its own URL) is served twice, once with `token-exchange`
 * and once with `per-user` credentials from a store, both listed on the gateway's client
 * credentials. Exchanges are made to fail with an answer echoing the subject token (raw, Base64,
 * URL-encoded), B has no stored credential, A's stored one is revoked upstream, resources and
 * prompts are asked for. In everything that comes out — answers, error results, JSON-RPC errors,
 * log notifications, audit records (with arguments), registry logs and events, reported errors,
 * `gateway.status()` — no form of the client secret, a stored credential or a downstream token is
 * found.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoSecrets, createOutputRecorder } from '../../core/test/support/secret-search.js';
import {
  createGateway,
  createMemoryCredentialStore,
  GATEWAY_ERROR_META_KEY,
  type Gateway,
} from '../src/index.js';
import {
  type ExchangeServer,
  GATEWAY_CLIENT,
  gatewayClientCredentials,
  gatewayTokenExchange,
  startExchangeServer,
  type UserName,
} from './support/exchange-server.js';
import { GATEWAY_RESOURCE, gatewayAuth } from './support/gateway-users.js';
import { type ProtectedUpstream, startProtectedUpstream } from './support/protected-upstream.js';

let oauth: ExchangeServer;
let upstream: ProtectedUpstream;
let gateway: Gateway;
let url: string;
let storedAlice: string;
const recorder = createOutputRecorder();
const clients: Client[] = [];
const downstreamTokens: string[] = [];

beforeAll(async () => {
  oauth = await startExchangeServer({ gatewayResource: GATEWAY_RESOURCE });
  upstream = await startProtectedUpstream(oauth);
  storedAlice = await oauth.userToken('agent', upstream.url);
  const listing = gatewayClientCredentials(oauth, upstream.url);
  gateway = await createGateway({
    upstreams: {
      servers: {
        exchanged: { url: upstream.url, type: 'http', auth: listing },
        stored: { url: upstream.url, type: 'http', auth: listing },
      },
      cache: 'memory',
      logger: recorder.logger,
      listeners: recorder.listeners,
    },
    upstreamAuth: {
      exchanged: gatewayTokenExchange(oauth),
      stored: {
        kind: 'per-user',
        store: createMemoryCredentialStore({ agent: { stored: { token: storedAlice } } }),
      },
    },
    policy: { auditArguments: true, onAudit: (record) => recorder.record('audit', record) },
    publisher: {
      onError: (error) => recorder.recordError('publisher.onError', error),
      http: { auth: gatewayAuth(oauth) },
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

async function connectAs(user: UserName): Promise<Client> {
  const token = await oauth.userToken(user, GATEWAY_RESOURCE);
  downstreamTokens.push(token);
  const client = new Client({ name: `credentials-${user}`, version: '1.0.0' });
  client.fallbackNotificationHandler = async (notification) => recorder.record('notification', notification);
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  clients.push(client);
  return client;
}

type CallResult = Awaited<ReturnType<Client['callTool']>>;
const codeOf = (result: CallResult) =>
  (result._meta?.[GATEWAY_ERROR_META_KEY] as { code?: string } | undefined)?.code;

async function call(client: Client, name: string): Promise<CallResult> {
  const result = await client.callTool({ name, arguments: {} });
  recorder.record('result', result);
  return result;
}

async function attempt(label: string, run: () => Promise<unknown>): Promise<unknown> {
  try {
    const value = await run();
    recorder.record(label, value);
    return value;
  } catch (error) {
    recorder.recordError(label, error);
    return error;
  }
}

describe('upstream credentials in every output', () => {
  it('no form of the client secret, a stored credential or a downstream token comes out, whatever fails', async () => {
    const alice = await connectAs('agent');
    const bob = await connectAs('agent-b');

    // Working calls first: each user upstream as themself.
    expect((await call(alice, 'exchanged__whoami')).structuredContent).toMatchObject({ sub: 'agent' });
    expect((await call(alice, 'stored__whoami')).structuredContent).toMatchObject({ sub: 'agent' });
    // B has no stored credential: a typed refusal, no call upstream.
    const missing = await call(bob, 'stored__whoami');
    expect(codeOf(missing)).toBe('AUTH_FAILED');
    // The exchange fails with an answer that echoes B's subject token in three encodings.
    oauth.failExchanges = true;
    const refused = await call(bob, 'exchanged__whoami');
    expect(codeOf(refused)).toBe('AUTH_FAILED');
    await attempt('bob.read', () => bob.readResource({ uri: 'whoami://subject' }));
    await attempt('bob.prompt', () => bob.getPrompt({ name: 'exchanged__whoami' }));
    oauth.failExchanges = false;
    // A's stored credential is revoked upstream: the call fails, naming no credential.
    upstream.revoke('agent');
    const revoked = await call(alice, 'stored__whoami');
    expect(revoked.isError).toBe(true);
    await attempt('alice.prompt', () => alice.getPrompt({ name: 'stored__whoami' }));
    recorder.record('status', gateway.status());

    expect(recorder.count('audit')).toBeGreaterThanOrEqual(5);
    assertNoSecrets(recorder.text(), [
      { secret: GATEWAY_CLIENT.secret, user: GATEWAY_CLIENT.id },
      storedAlice,
      ...downstreamTokens,
    ]);
  });
});
