/**
 * OAuth 2.0 client credentials against real peers: `oidc-provider` on loopback issuing JWT
 * access tokens, and an MCP server that verifies them (signature, issuer, audience, expiry,
 * scope). Covers the direct token URL and discovery, every client authentication method,
 * refresh across several expiries, fast failure on bad credentials, and single-flight token
 * requests across concurrent first calls.
 */
import { exportJWK, exportPKCS8, generateKeyPair, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryTokenStore,
  createRegistry,
  type Registry,
  silentLogger,
  type TokenStore,
} from '../src/index.js';
import { startOAuthServer, type TestOAuthServer } from './fixtures/oauth-server.js';
import { type ProtectedMCPServer, startProtectedMCPServer } from './fixtures/protected-mcp-server.js';

const SECRET = 'cc-test-secret-9f3b2d7e1a';

let privateKeyPem: string;
let publicJwk: JWK;
let oauth: TestOAuthServer;
let mcp: ProtectedMCPServer;

beforeAll(async () => {
  const keys = await generateKeyPair('ES256', { extractable: true });
  privateKeyPem = await exportPKCS8(keys.privateKey);
  publicJwk = { ...(await exportJWK(keys.publicKey)), alg: 'ES256' };
  oauth = await startOAuthServer({
    clients: [
      {
        clientId: 'agent-basic',
        clientSecret: SECRET,
        authMethod: 'client_secret_basic',
        scope: 'mcp:tools',
      },
      { clientId: 'agent-post', clientSecret: SECRET, authMethod: 'client_secret_post', scope: 'mcp:tools' },
      { clientId: 'agent-jwt', authMethod: 'private_key_jwt', publicJwk, scope: 'mcp:tools' },
    ],
  });
  mcp = await startProtectedMCPServer({ issuer: oauth.issuer, jwksUrl: oauth.jwksUrl });
  oauth.defaultResource = mcp.url;
});

afterAll(async () => {
  await mcp?.close();
  await oauth?.close();
});

async function whoami(registry: Registry, server = 'crm'): Promise<string> {
  expect(registry.server(server)?.error).toBeUndefined();
  const result = await registry.callTool(`${server}__whoami`, {});
  expect(result.isError).toBe(false);
  return result.text;
}

describe('client credentials with a token URL', () => {
  it.each([
    ['client_secret_basic', 'agent-basic'],
    ['client_secret_post', 'agent-post'],
  ] as const)('authenticates with %s and reuses the token', async (authMethod, clientId) => {
    const before = oauth.tokenRequests;
    await using registry = await createRegistry({
      logger: silentLogger,
      cache: 'none',
      servers: {
        crm: {
          url: mcp.url,
          auth: {
            type: 'client_credentials',
            clientId,
            clientSecret: SECRET,
            tokenUrl: oauth.tokenUrl,
            scope: 'mcp:tools',
            resource: mcp.url,
            authMethod,
          },
        },
      },
    });
    expect(registry.server('crm')?.status).toBe('active');
    for (let call = 0; call < 3; call++) expect(await whoami(registry)).toBe(clientId);
    expect(oauth.tokenRequests - before).toBe(1);
  });

  it('signs a private_key_jwt assertion', async () => {
    await using registry = await createRegistry({
      logger: silentLogger,
      cache: 'none',
      servers: {
        crm: {
          url: mcp.url,
          auth: {
            type: 'client_credentials',
            clientId: 'agent-jwt',
            privateKey: privateKeyPem,
            algorithm: 'ES256',
            tokenUrl: oauth.tokenUrl,
            scope: ['mcp:tools'],
          },
        },
      },
    });
    expect(await whoami(registry)).toBe('agent-jwt');
  });

  it("accepts the seed's untyped { clientId, clientSecret, tokenUrl } shape", async () => {
    await using registry = await createRegistry({
      logger: silentLogger,
      cache: 'none',
      servers: [
        {
          executionType: 'mcp',
          name: 'crm',
          url: mcp.url,
          auth: {
            clientId: 'agent-basic',
            clientSecret: SECRET,
            tokenUrl: oauth.tokenUrl,
            scope: 'mcp:tools',
          },
        },
      ],
    });
    expect(await whoami(registry)).toBe('agent-basic');
  });
});

describe('client credentials discovered from the server', () => {
  it.each([
    ['a client secret', { clientId: 'agent-basic', clientSecret: SECRET }],
    ['private_key_jwt', { clientId: 'agent-jwt', algorithm: 'ES256' }],
  ] as const)('follows the 401 to the token endpoint with %s', async (_label, credentials) => {
    const tokensBefore = oauth.tokenRequests;
    const rejectedBefore = mcp.rejected;
    await using registry = await createRegistry({
      logger: silentLogger,
      cache: 'none',
      servers: {
        crm: {
          url: mcp.url,
          auth: {
            type: 'client_credentials',
            scope: 'mcp:tools',
            issuer: oauth.issuer,
            ...credentials,
            ...(credentials.clientId === 'agent-jwt' ? { privateKey: privateKeyPem } : {}),
          },
        },
      },
    });
    expect(registry.server('crm')?.error).toBeUndefined();
    expect(await whoami(registry)).toBe(credentials.clientId);
    expect(await whoami(registry)).toBe(credentials.clientId);
    // One 401 (the first request, without a token) pointed us at the metadata; one token request.
    expect(mcp.rejected - rejectedBefore).toBe(1);
    expect(oauth.tokenRequests - tokensBefore).toBe(1);
  });

  it('refuses to send credentials to an authorization server other than the configured issuer', async () => {
    const tokensBefore = oauth.tokenRequests;
    await using registry = await createRegistry({
      logger: silentLogger,
      cache: 'none',
      servers: {
        crm: {
          url: mcp.url,
          auth: {
            type: 'client_credentials',
            clientId: 'agent-basic',
            clientSecret: SECRET,
            issuer: 'https://login.example.com',
          },
        },
      },
    });
    const error = registry.server('crm')?.error;
    expect(error?.code).toBe('AUTH_FAILED');
    expect(error?.message).toMatch(/not sending them/);
    expect(oauth.tokenRequests).toBe(tokensBefore);
  });
});

describe('bad credentials', () => {
  it('fail fast with AUTH_FAILED and the endpoint’s error, without a retry loop', async () => {
    const before = oauth.tokenRequests;
    await using registry = await createRegistry({
      logger: silentLogger,
      cache: 'none',
      servers: {
        crm: {
          url: mcp.url,
          connectTimeoutMs: 20_000,
          auth: {
            type: 'client_credentials',
            clientId: 'agent-basic',
            clientSecret: 'revoked-or-wrong-secret',
            tokenUrl: oauth.tokenUrl,
            scope: 'mcp:tools',
          },
        },
      },
    });
    const server = registry.server('crm');
    expect(server?.status).toBe('failed');
    expect(server?.error?.code).toBe('AUTH_FAILED');
    expect(server?.error?.message).toMatch(/invalid_client/);
    expect(server?.error?.message).toContain('agent-basic');
    // The refusal is final: one token request, not retries until the connect deadline runs out.
    expect(oauth.tokenRequests - before).toBe(1);
    // Asking again right away does not hit the token endpoint again (cool-down on a final refusal).
    await registry.refresh('crm');
    expect(registry.server('crm')?.error?.code).toBe('AUTH_FAILED');
    expect(oauth.tokenRequests - before).toBe(1);
  });

  it('reports invalid_scope with the endpoint’s text', async () => {
    await using registry = await createRegistry({
      logger: silentLogger,
      cache: 'none',
      servers: {
        crm: {
          url: mcp.url,
          auth: {
            type: 'client_credentials',
            clientId: 'agent-basic',
            clientSecret: SECRET,
            tokenUrl: oauth.tokenUrl,
            scope: 'mcp:admin',
          },
        },
      },
    });
    const error = registry.server('crm')?.error;
    expect(error?.code).toBe('AUTH_FAILED');
    expect(error?.message).toMatch(/invalid_scope/);
  });
});

describe('token lifecycle', () => {
  it('refreshes short-lived tokens across several expiries with zero failed calls', async () => {
    const shortLived = await startOAuthServer({
      accessTokenTTL: 2,
      clients: [
        {
          clientId: 'agent-basic',
          clientSecret: SECRET,
          authMethod: 'client_secret_basic',
          scope: 'mcp:tools',
        },
      ],
    });
    const server = await startProtectedMCPServer({ issuer: shortLived.issuer, jwksUrl: shortLived.jwksUrl });
    try {
      await using registry = await createRegistry({
        logger: silentLogger,
        cache: 'none',
        servers: {
          crm: {
            url: server.url,
            auth: {
              type: 'client_credentials',
              clientId: 'agent-basic',
              clientSecret: SECRET,
              tokenUrl: shortLived.tokenUrl,
              scope: 'mcp:tools',
              resource: server.url,
            },
          },
        },
      });
      // Three callers in parallel until the fifth token (four refreshes of a 2 s token, each ahead
      // of its expiry): a count of what happened, not a span of time, so a slow machine only makes
      // it take longer. The bound turns a refresh that never comes into a failure before the
      // test's timeout.
      const refreshed = () => shortLived.tokenRequests >= 5;
      const giveUpAt = Date.now() + 50_000;
      let calls = 0;
      let failures = 0;
      await Promise.all(
        [0, 1, 2].map(async () => {
          while (!refreshed() && Date.now() < giveUpAt) {
            try {
              const result = await registry.callTool('crm__echo', { message: 'ping' });
              if (result.isError) failures++;
            } catch {
              failures++;
            }
            calls++;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }),
      );
      expect(failures).toBe(0);
      // The run spanned several token lifetimes, and tokens were reused, not fetched per call.
      expect(shortLived.tokenRequests).toBeGreaterThanOrEqual(5);
      expect(shortLived.tokenRequests).toBeLessThan(calls);
    } finally {
      await server.close();
      await shortLived.close();
    }
  }, 60_000);

  it('makes exactly one token request when ten agents sharing a store start at once', async () => {
    const before = oauth.tokenRequests;
    const tokenStore = createMemoryTokenStore();
    const config = {
      logger: silentLogger,
      cache: 'none' as const,
      tokenStore,
      servers: {
        crm: {
          url: mcp.url,
          connectTimeoutMs: 60_000,
          auth: {
            type: 'client_credentials' as const,
            clientId: 'agent-basic',
            clientSecret: SECRET,
            tokenUrl: oauth.tokenUrl,
            scope: 'mcp:tools',
          },
        },
      },
    };
    // Ten agents start at once, each with its own registry and connection, one shared store.
    const registries = await Promise.all(Array.from({ length: 10 }, () => createRegistry(config)));
    try {
      const results = await Promise.all(registries.map((registry) => whoami(registry)));
      expect(results.every((subject) => subject === 'agent-basic')).toBe(true);
      expect(oauth.tokenRequests - before).toBe(1);
    } finally {
      await Promise.all(registries.map((registry) => registry.close()));
    }
  }, 120_000);

  it('makes exactly one token request for 50 conversations opening their sessions at once', async () => {
    const before = oauth.tokenRequests;
    const handshakesBefore = mcp.requests.filter((request) => request.method === 'initialize').length;
    await using registry = await createRegistry({
      logger: silentLogger,
      cache: 'none',
      pool: { maxConnectionsPerServer: 64 },
      servers: {
        crm: {
          url: mcp.url,
          session: 'per-conversation',
          connectTimeoutMs: 60_000,
          callTimeoutMs: 60_000,
          auth: {
            type: 'client_credentials',
            clientId: 'agent-basic',
            clientSecret: SECRET,
            tokenUrl: oauth.tokenUrl,
            scope: 'mcp:tools',
          },
        },
      },
    });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        registry.callTool('crm__whoami', {}, { sessionKey: `conversation-${index}` }),
      ),
    );
    expect(results.every((result) => result.text === 'agent-basic')).toBe(true);
    // Each conversation opened its own session, all with the one token.
    const handshakes = mcp.requests.filter((request) => request.method === 'initialize').length;
    expect(handshakes - handshakesBefore).toBeGreaterThanOrEqual(50);
    expect(oauth.tokenRequests - before).toBe(1);
  }, 120_000);

  it('refreshes once and retries once when the server rejects a cached token', async () => {
    const written: string[] = [];
    const memory = createMemoryTokenStore();
    const tokenStore: TokenStore = {
      ...memory,
      set: async (key, token, ttlMs) => {
        written.push(key);
        await memory.set(key, token, ttlMs);
      },
    };
    const auth = {
      type: 'client_credentials' as const,
      clientId: 'agent-basic',
      clientSecret: SECRET,
      tokenUrl: oauth.tokenUrl,
      scope: 'mcp:tools',
    };
    await using first = await createRegistry({
      logger: silentLogger,
      cache: 'none',
      tokenStore,
      servers: { crm: { url: mcp.url, auth } },
    });
    expect(await whoami(first)).toBe('agent-basic');
    const [key] = written;
    const cached = key === undefined ? undefined : await tokenStore.get(key);
    if (key === undefined || cached === undefined) throw new Error('expected a cached token');
    // Poison the shared cache: the next registry starts with a token the server rejects.
    await tokenStore.set(key, { ...cached, accessToken: 'not-a-valid-token' }, 60_000);
    const before = oauth.tokenRequests;
    const rejectedBefore = mcp.rejected;
    await using second = await createRegistry({
      logger: silentLogger,
      cache: 'none',
      tokenStore,
      servers: { crm: { url: mcp.url, auth } },
    });
    expect(await whoami(second)).toBe('agent-basic');
    expect(mcp.rejected - rejectedBefore).toBe(1);
    expect(oauth.tokenRequests - before).toBe(1);
  });
});
