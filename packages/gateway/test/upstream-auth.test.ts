/**
 * Per-upstream auth mapping end to end, over real peers: a real OAuth server (oidc-provider on
 * loopback, with an RFC 8693 token-exchange grant registered) issues two users' downstream tokens
 * for the gateway; the upstream is our publisher protected by JWT auth whose audience is its own
 * URL, with a `whoami` tool that answers with the token it was called with; official SDK v2
 * clients call through the gateway as each user.
 *
 * - `token-exchange`: each user's call (and resource read, and prompt) reaches the upstream as that
 *   user (subject, the upstream as audience), concurrently; one exchange per user (counted at the server), exchanged again once
 *   expired or refused by the upstream (revoked); a refused exchange is a typed (`AUTH_FAILED`) result with every form of the subject
 *   token redacted.
 * - `per-user`: each user's call carries their own stored credential; a user without one gets a
 *   typed error result naming the server, and no call goes upstream. With the Redis store (real
 *   Redis; fails under CI=true without it, skips loudly otherwise) two gateway instances read the
 *   same credentials, keyed by principal digest and server, and a malformed value is a typed
 *   error that does not quote it; with `encryptionKey` Redis holds no form of the credentials, and
 *   another key, a value moved to another caller's key or a planted plain value is refused.
 * - no downstream token (stdio, HTTP without auth): a typed error naming the server, nothing sent.
 * - `service`: the server's own client credentials, one identity for every caller.
 * - configuration: `pass-through` (forbidden by the MCP spec) and unusable mappings are `CONFIG_INVALID`.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type RegistryOptions, silentLogger, ToolwireError } from '@toolwire/core';
import { principalKey } from '@toolwire/publisher';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectSharedRedis, deletePrefix, uniquePrefix } from '../../core/test/support/redis-servers.js';
import { assertNoSecrets } from '../../core/test/support/secret-search.js';
import { streamTransport } from '../../publisher/test/support/stdio-streams.js';
import {
  createGateway,
  createMemoryCredentialStore,
  createRedisCredentialStore,
  type Gateway,
  type GatewayAuditRecord,
  type GatewayOptions,
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
const opened: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  oauth = await startExchangeServer({ gatewayResource: GATEWAY_RESOURCE });
  upstream = await startProtectedUpstream(oauth);
});

afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close().catch(() => {});
  oauth.failExchanges = false;
  oauth.exchangedTtlSeconds = 300;
  oauth.exchanges.clear();
});

afterAll(async () => {
  await upstream?.close();
  await oauth?.close();
});

/** The upstream as the gateway's registry sees it: its listing uses the gateway's own client credentials. */
function upstreams(): RegistryOptions {
  return {
    servers: {
      upstream: {
        url: upstream.url,
        type: 'http',
        auth: gatewayClientCredentials(oauth, upstream.url),
      },
    },
    cache: 'memory',
    logger: silentLogger,
  };
}

interface StartedGateway {
  gateway: Gateway;
  url: string;
  audit: GatewayAuditRecord[];
  errors: Error[];
}

async function startGateway(options: Partial<GatewayOptions>): Promise<StartedGateway> {
  const audit: GatewayAuditRecord[] = [];
  const errors: Error[] = [];
  const gateway = await createGateway({
    upstreams: upstreams(),
    policy: { onAudit: (record) => audit.push(record) },
    publisher: {
      onError: (error) => errors.push(error),
      http: { auth: gatewayAuth(oauth) },
    },
    ...options,
  });
  opened.push(gateway);
  const { url } = await gateway.listen();
  return { gateway, url, audit, errors };
}

async function connectAs(url: string, user: UserName): Promise<{ client: Client; token: string }> {
  const token = await oauth.userToken(user, GATEWAY_RESOURCE);
  const client = new Client({ name: `upstream-auth-${user}`, version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  opened.push(client);
  return { client, token };
}

type CallResult = Awaited<ReturnType<Client['callTool']>>;
const whoami = (client: Client) => client.callTool({ name: 'upstream__whoami', arguments: {} });
const identity = (result: CallResult) => {
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return result.structuredContent as { sub: string; client_id: string; aud: string };
};
const textOf = (result: CallResult) =>
  (result.content as { type: string; text?: string }[]).map((block) => block.text ?? '').join('\n');

const tokenExchange = () => ({
  upstreamAuth: {
    upstream: gatewayTokenExchange(oauth),
  },
});

describe('token-exchange upstream auth', () => {
  it("sends each user's call upstream as that user, exchanging once per user", async () => {
    const { url } = await startGateway(tokenExchange());
    const { client: alice } = await connectAs(url, 'agent');
    const { client: bob } = await connectAs(url, 'agent-b');

    const results = await Promise.all([whoami(alice), whoami(bob), whoami(alice), whoami(bob)]);
    const [aliceFirst, bobFirst, aliceSecond, bobSecond] = results.map(identity);
    for (const seen of [aliceFirst, aliceSecond]) {
      expect(seen).toEqual({ sub: 'agent', client_id: GATEWAY_CLIENT.id, aud: upstream.url });
    }
    for (const seen of [bobFirst, bobSecond]) {
      expect(seen).toEqual({ sub: 'agent-b', client_id: GATEWAY_CLIENT.id, aud: upstream.url });
    }
    // Cached per principal: concurrent calls shared one exchange, later ones use its token.
    expect(identity(await whoami(alice)).sub).toBe('agent');
    expect(identity(await whoami(bob)).sub).toBe('agent-b');
    expect(Object.fromEntries(oauth.exchanges)).toEqual({ agent: 1, 'agent-b': 1 });
  });

  it('reads resources and renders prompts upstream as the caller, before any tool call', async () => {
    const { url } = await startGateway(tokenExchange());
    const { client: alice } = await connectAs(url, 'agent');
    const { client: bob } = await connectAs(url, 'agent-b');
    const subjectOf = async (client: Client) =>
      (await client.readResource({ uri: 'whoami://subject' })).contents.map((content) =>
        'text' in content ? content.text : '',
      );
    expect(await subjectOf(alice)).toEqual(['agent']);
    const prompted = await bob.getPrompt({ name: 'upstream__whoami' });
    expect(prompted.messages[0]?.content).toEqual({ type: 'text', text: 'agent-b' });
    expect(await subjectOf(bob)).toEqual(['agent-b']);
    expect(Object.fromEntries(oauth.exchanges)).toEqual({ agent: 1, 'agent-b': 1 });
  });

  it('exchanges again once the exchanged token has expired', async () => {
    oauth.exchangedTtlSeconds = 2;
    const { url } = await startGateway(tokenExchange());
    const { client: alice } = await connectAs(url, 'agent');
    expect(identity(await whoami(alice)).sub).toBe('agent');
    expect(identity(await whoami(alice)).sub).toBe('agent');
    expect(oauth.exchanges.get('agent')).toBe(1);
    // Past the token's lifetime (its own clock, not the machine's speed, decides).
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(identity(await whoami(alice)).sub).toBe('agent');
    expect(oauth.exchanges.get('agent')).toBe(2);
  });

  it('exchanges again when the upstream refuses a token before it expired (revoked), and retries once', async () => {
    const { url } = await startGateway(tokenExchange());
    const { client: alice } = await connectAs(url, 'agent');
    const { client: bob } = await connectAs(url, 'agent-b');
    expect(identity(await whoami(alice)).sub).toBe('agent');
    expect(identity(await whoami(bob)).sub).toBe('agent-b');
    upstream.revoke('agent');
    expect(identity(await whoami(alice)).sub).toBe('agent');
    expect(identity(await whoami(bob)).sub).toBe('agent-b');
    expect(Object.fromEntries(oauth.exchanges)).toEqual({ agent: 2, 'agent-b': 1 });
  });

  it('turns a refused exchange into a typed, redacted error result', async () => {
    oauth.failExchanges = true;
    const { gateway, url, audit, errors } = await startGateway(tokenExchange());
    const { client: bob, token } = await connectAs(url, 'agent-b');

    const result = await whoami(bob);
    expect(result.isError).toBe(true);
    const text = textOf(result);
    expect(text).toContain('Token exchange for server "upstream"');
    expect(text).toContain('invalid_grant');
    expect(text).toContain('[redacted]');
    expect(audit.at(-1)).toMatchObject({
      tool: 'upstream__whoami',
      outcome: 'failed',
      errorCode: 'AUTH_FAILED',
    });
    const forms = [token, Buffer.from(token).toString('base64'), encodeURIComponent(`${token}/`)];
    const outputs = JSON.stringify([result, audit, errors.map((error) => [error.message, error.cause])]);
    for (const form of forms) expect(outputs).not.toContain(form.slice(0, 40));
    // The registry's redaction knows the subject token in every encoding.
    for (const form of forms) expect(gateway.registry.redact(`x ${form} y`)).not.toContain(form.slice(0, 40));
    expect(oauth.exchanges.get('agent-b')).toBe(1);
  });

  it('gives callers without a verified token a typed error, not an unauthenticated call', async () => {
    const audit: GatewayAuditRecord[] = [];
    const gateway = await createGateway({
      upstreams: upstreams(),
      ...tokenExchange(),
      policy: { onAudit: (record) => audit.push(record) },
      publisher: { onError: () => {} },
    });
    opened.push(gateway);
    const { url } = await gateway.listen();
    const client = new Client({ name: 'no-auth', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    opened.push(client);
    const result = await whoami(client);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('Server "upstream"');
    expect(textOf(result)).toContain("caller's verified token");
    expect(audit.at(-1)).toMatchObject({ outcome: 'failed', errorCode: 'AUTH_FAILED' });
    expect(oauth.exchanges.size).toBe(0);
  });
});

describe('per-caller upstream auth over stdio', () => {
  it('gives the stdio client (no token) a typed error naming the server, and sends nothing upstream', async () => {
    const audit: GatewayAuditRecord[] = [];
    const gateway = await createGateway({
      upstreams: upstreams(),
      ...tokenExchange(),
      policy: { onAudit: (record) => audit.push(record) },
      publisher: { onError: () => {} },
    });
    opened.push(gateway);
    const toServer = new PassThrough();
    const fromServer = new PassThrough();
    opened.push(await gateway.serveStdio({ stdin: toServer, stdout: fromServer }));
    const client = new Client({ name: 'stdio-client', version: '1.0.0' });
    await client.connect(streamTransport(toServer, fromServer));
    opened.push(client);
    const result = await whoami(client);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('Server "upstream"');
    expect(textOf(result)).toContain("caller's verified token");
    expect(audit.at(-1)).toMatchObject({ outcome: 'failed', errorCode: 'AUTH_FAILED' });
    expect(oauth.exchanges.size).toBe(0);
  });
});

describe('per-user upstream auth', () => {
  it("sends each user's own stored credential, and refuses a user without one", async () => {
    const store = createMemoryCredentialStore({
      agent: { upstream: { token: await oauth.userToken('agent', upstream.url) } },
    });
    const { url, audit } = await startGateway({ upstreamAuth: { upstream: { kind: 'per-user', store } } });
    const { client: alice } = await connectAs(url, 'agent');
    const { client: bob } = await connectAs(url, 'agent-b');

    expect(identity(await whoami(alice))).toEqual({ sub: 'agent', client_id: 'agent', aud: upstream.url });
    const refused = await whoami(bob);
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain('Server "upstream" needs this caller\'s own credential');
    expect(audit.at(-1)).toMatchObject({ outcome: 'failed', errorCode: 'AUTH_FAILED' });

    store.set('agent-b', 'upstream', { token: await oauth.userToken('agent-b', upstream.url) });
    expect(identity(await whoami(bob))).toEqual({ sub: 'agent-b', client_id: 'agent-b', aud: upstream.url });
    expect(identity(await whoami(alice)).sub).toBe('agent');
  });
});

describe('upstreamAuth changed by a reload', () => {
  it('reconnects that upstream with the new per-caller auth, and a bad one changes nothing', async () => {
    const { gateway, url } = await startGateway({});
    const { client: alice } = await connectAs(url, 'agent');
    const { client: bob } = await connectAs(url, 'agent-b');
    // Service identity: the gateway's own client credentials.
    expect(identity(await whoami(alice)).sub).toBe(GATEWAY_CLIENT.id);

    const store = createMemoryCredentialStore({
      agent: { upstream: { token: await oauth.userToken('agent', upstream.url) } },
    });
    await gateway.reload({ upstreams: upstreams(), upstreamAuth: { upstream: { kind: 'per-user', store } } });
    expect(identity(await whoami(alice))).toEqual({ sub: 'agent', client_id: 'agent', aud: upstream.url });
    const refused = await whoami(bob);
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain('Server "upstream" needs this caller\'s own credential');

    const bad = await gateway
      .reload({ upstreams: upstreams(), upstreamAuth: { upstream: { kind: 'pass-through' } as never } })
      .catch((error: unknown) => error);
    expect((bad as { code?: string }).code).toBe('CONFIG_INVALID');
    expect(String((bad as Error).message)).toContain('upstreamAuth.upstream');
    // A reload that omits upstreamAuth keeps it.
    await gateway.reload({ upstreams: upstreams(), expose: 'all' });
    expect(identity(await whoami(alice)).sub).toBe('agent');

    // `{}` drops it: the service identity again.
    await gateway.reload({ upstreams: upstreams(), upstreamAuth: {} });
    expect(identity(await whoami(bob)).sub).toBe(GATEWAY_CLIENT.id);
  });
});

const redis = await connectSharedRedis();

/** The key the gateway keys a caller with: the publisher's digest of the caller's verified token. */
const principalOfToken = (token: string) =>
  principalKey({
    token,
    clientId: '',
    scopes: [],
    extra: {
      claims: JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<
        string,
        unknown
      >,
    },
  });

describe.skipIf(!redis)('per-user upstream auth from Redis', () => {
  const prefix = uniquePrefix('gateway-credentials');
  afterAll(async () => {
    if (!redis) return;
    await deletePrefix(redis, prefix);
    await redis.quit();
  });

  it('gives each user their own stored credential on every instance, keyed by digest, never quoting a bad value', async () => {
    if (!redis) return;
    const store = createRedisCredentialStore({ redis, prefix });
    const first = await startGateway({ upstreamAuth: { upstream: { kind: 'per-user', store } } });
    // A second instance with a store of its own over the same Redis and prefix: a fleet.
    const second = await startGateway({
      upstreamAuth: { upstream: { kind: 'per-user', store: createRedisCredentialStore({ redis, prefix }) } },
    });
    const { client: alice, token: aliceToken } = await connectAs(first.url, 'agent');
    const { client: bob, token: bobToken } = await connectAs(second.url, 'agent-b');
    const aliceKey = await principalOfToken(aliceToken);
    const bobKey = await principalOfToken(bobToken);
    const aliceUpstreamToken = await oauth.userToken('agent', upstream.url);
    await store.set(aliceKey, 'upstream', { token: aliceUpstreamToken });

    expect(identity(await whoami(alice))).toEqual({ sub: 'agent', client_id: 'agent', aud: upstream.url });
    const refused = await whoami(bob);
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain('Server "upstream" needs this caller\'s own credential');

    await store.set(bobKey, 'upstream', { token: await oauth.userToken('agent-b', upstream.url) });
    expect(identity(await whoami(bob))).toEqual({ sub: 'agent-b', client_id: 'agent-b', aud: upstream.url });
    expect(identity(await whoami(alice)).sub).toBe('agent');
    // Alice on the second instance: the same credential, read from Redis there.
    const { client: aliceElsewhere } = await connectAs(second.url, 'agent');
    expect(identity(await whoami(aliceElsewhere)).sub).toBe('agent');

    // Keys name the principal digest and the server, never a user or a token.
    const keys = (await redis.keys(`${prefix}*`)).sort();
    expect(keys).toEqual([`${prefix}:${aliceKey}:upstream`, `${prefix}:${bobKey}:upstream`].sort());
    expect(keys.join('\n')).not.toMatch(/agent/);

    // A value that is not a credential: a typed error naming the key, without the value.
    await store.delete(aliceKey, 'upstream');
    // A secret the registry's redaction has never seen: only the store's message can keep it out.
    const unseen = 'unseen-secret-4f1c9a';
    const broken = `{"token": 42, "password": "${unseen}"}`;
    await redis.set(`${prefix}:${aliceKey}:upstream`, broken);
    const failed = await whoami(alice);
    expect(failed.isError).toBe(true);
    expect(textOf(failed)).toContain('the credential store failed');
    expect(textOf(failed)).toContain(`${prefix}:${aliceKey}:upstream`);
    expect(textOf(failed)).not.toContain(unseen);
    expect(first.audit.at(-1)).toMatchObject({ outcome: 'failed', errorCode: 'AUTH_FAILED' });
  });

  it('with encryptionKey, keeps no form of the credential in Redis and refuses another key or a moved value', async () => {
    if (!redis) return;
    const encryptedPrefix = `${prefix}encrypted`;
    const encryptionKey = randomBytes(32).toString('base64');
    const store = createRedisCredentialStore({ redis, prefix: encryptedPrefix, encryptionKey });
    const { url, audit } = await startGateway({ upstreamAuth: { upstream: { kind: 'per-user', store } } });
    const { client: alice, token: aliceToken } = await connectAs(url, 'agent');
    const { client: bob, token: bobToken } = await connectAs(url, 'agent-b');
    const aliceKey = await principalOfToken(aliceToken);
    const bobKey = await principalOfToken(bobToken);
    const aliceUpstreamToken = await oauth.userToken('agent', upstream.url);
    const headerSecret = 'header-secret-9b27e1';
    await store.set(aliceKey, 'upstream', { token: aliceUpstreamToken, headers: { 'x-team': headerSecret } });
    expect(identity(await whoami(alice))).toEqual({ sub: 'agent', client_id: 'agent', aud: upstream.url });

    // What Redis holds: no secret raw, Base64(url), URL- or form-encoded, nor the key.
    const aliceRedisKey = `${encryptedPrefix}:${aliceKey}:upstream`;
    const stored = (await redis.getBuffer(aliceRedisKey))?.toString('latin1') ?? '';
    expect(stored).toMatch(/^tw-aes256gcm:v1:/);
    assertNoSecrets(stored, [aliceUpstreamToken, headerSecret, encryptionKey]);

    // Another instance with the same key reads it; one with another key is refused, typed and clear.
    expect(
      await createRedisCredentialStore({ redis, prefix: encryptedPrefix, encryptionKey }).get(
        { key: aliceKey, subject: 'agent', issuer: undefined, clientId: 'agent', scopes: [] },
        'upstream',
      ),
    ).toMatchObject({ token: aliceUpstreamToken });
    const wrongKey = createRedisCredentialStore({
      redis,
      prefix: encryptedPrefix,
      encryptionKey: randomBytes(32).toString('hex'),
    });
    const refusal = await wrongKey
      .get({ key: aliceKey, subject: 'agent', issuer: undefined, clientId: 'agent', scopes: [] }, 'upstream')
      .catch((caught: unknown) => caught);
    expect(refusal).toMatchObject({
      code: 'DECRYPTION_FAILED',
      message: expect.stringContaining(`the value at "${aliceRedisKey}" could not be decrypted`),
    });
    expect(JSON.stringify(refusal) + String((refusal as Error).stack)).not.toContain(encryptionKey);

    // Alice's sealed value copied under Bob's key does not give Bob her credential.
    await redis.set(`${encryptedPrefix}:${bobKey}:upstream`, stored);
    const moved = await whoami(bob);
    expect(moved.isError).toBe(true);
    expect(textOf(moved)).toContain('could not be decrypted');
    expect(textOf(moved)).not.toContain(aliceUpstreamToken);
    expect(audit.at(-1)).toMatchObject({ outcome: 'failed', errorCode: 'AUTH_FAILED' });

    // A plain value where an encrypted one is expected is refused too (it could be planted).
    await redis.set(`${encryptedPrefix}:${bobKey}:upstream`, JSON.stringify({ token: 'planted' }));
    expect(textOf(await whoami(bob))).toContain('it is not encrypted');
  });

  it('refuses an encryptionKey that is not 32 bytes, without quoting it', () => {
    if (!redis) return;
    const short = 'c2hvcnQta2V5LXNlY3JldA==';
    let error: unknown;
    try {
      createRedisCredentialStore({ redis, prefix, encryptionKey: short });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('must be 32 bytes'),
    });
    expect((error as Error).message).not.toContain(short);
  });
});

describe('service upstream auth', () => {
  it("uses the server's own client credentials for every caller", async () => {
    const { url } = await startGateway({ upstreamAuth: { upstream: { kind: 'service' } } });
    const { client: alice } = await connectAs(url, 'agent');
    const { client: bob } = await connectAs(url, 'agent-b');
    for (const client of [alice, bob]) {
      expect(identity(await whoami(client))).toEqual({
        sub: GATEWAY_CLIENT.id,
        client_id: GATEWAY_CLIENT.id,
        aud: upstream.url,
      });
    }
    expect(oauth.exchanges.size).toBe(0);
  });
});

describe('upstreamAuth configuration', () => {
  const rejects = async (options: Partial<GatewayOptions>, ...fragments: string[]) => {
    const error = await createGateway({ upstreams: upstreams(), ...options }).then(
      async (gateway) => {
        await gateway.close();
        throw new Error('createGateway accepted the options');
      },
      (error: unknown) => error,
    );
    expect(ToolwireError.isInstance(error) && error.code).toBe('CONFIG_INVALID');
    for (const fragment of fragments) expect((error as Error).message).toContain(fragment);
    return error as ToolwireError;
  };

  it('refuses token pass-through, which the MCP spec forbids, pointing to token-exchange', async () => {
    await rejects(
      { upstreamAuth: { upstream: { kind: 'pass-through' } as never } },
      'upstreamAuth.upstream.kind',
      'MCP authorization spec forbids',
      "kind: 'token-exchange'",
    );
  });

  it('names the path of a malformed or unusable mapping', async () => {
    const exchange = tokenExchange().upstreamAuth.upstream;
    await rejects(
      { upstreamAuth: { upstream: { ...exchange, clientSecret: '' } } },
      'upstreamAuth.upstream.clientSecret',
    );
    await rejects(
      { upstreamAuth: { upstream: { ...exchange, tokenEndpoint: 'http://auth.example.com/token' } } },
      'upstreamAuth.upstream.tokenEndpoint',
      'https',
    );
    await rejects({ upstreamAuth: { elsewhere: exchange } }, 'upstreamAuth.elsewhere', 'no server named');
    await rejects(
      { upstreamAuth: { typo: { kind: 'service' } } },
      'upstreamAuth.typo',
      'names no upstream server',
    );
    await rejects(
      { upstreamAuth: { upstream: { kind: 'per-user', store: {} as never } } },
      'upstreamAuth.upstream.store',
    );
    await rejects({ upstreamAuth: { upstream: exchange }, upstreamSessions: 'shared' }, "'per-principal'");
  });
});
