/**
 * Token requests can't be abused by the endpoint that answers them. Against small loopback
 * servers that misbehave (and a real `oidc-provider` for the keys and clients):
 *
 * - a token endpoint that answers `307` never gets its request re-sent: a second loopback server
 *   records whether the credentials ever reached it, and the error names the status; for the
 *   configured token URL (client_secret_basic, client_secret_post, private_key_jwt), for a
 *   discovered one, and for a user's code exchange through `finishOAuth`;
 * - a 50 MB token response fails fast with a typed error, and the endpoint sees us stop reading
 *   after a small part of it (memory stays bounded).
 */
import type { ServerResponse } from 'node:http';
import type { OAuthClientProvider } from '@modelcontextprotocol/client';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, finishOAuth, silentLogger } from '../src/index.js';
import { startOAuthServer, type TestOAuthServer } from './fixtures/oauth-server.js';
import { type ProtectedMCPServer, startProtectedMCPServer } from './fixtures/protected-mcp-server.js';
import { type LoopbackHttpServer, startLoopbackHttp, streamBytes } from './support/index.js';

const SECRET = 'token-limits-secret-4c8e1b';
const USER_SECRET = 'user-app-secret-93ad07';
const FIFTY_MB = 50 * 1024 * 1024;

let privateKeyPem: string;
let oauth: TestOAuthServer;
/** Where a followed redirect would land: it must never see a request. */
let elsewhere: LoopbackHttpServer;
/** A token endpoint (and authorization server) that redirects every token request. */
let redirecting: LoopbackHttpServer;
/** A token endpoint (and authorization server) whose token response is 50 MB. */
let huge: LoopbackHttpServer;
const hugeWrites: Promise<number>[] = [];
/** MCP servers whose metadata names `redirecting` and `huge` as their authorization server. */
let behindRedirecting: ProtectedMCPServer;
let behindHuge: ProtectedMCPServer;

function metadataOf(origin: string, tokenPath: string) {
  return {
    issuer: origin,
    authorization_endpoint: `${origin}/authorize`,
    token_endpoint: `${origin}${tokenPath}`,
    response_types_supported: ['code'],
    grant_types_supported: ['client_credentials', 'authorization_code'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    code_challenge_methods_supported: ['S256'],
  };
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

beforeAll(async () => {
  const keys = await generateKeyPair('ES256', { extractable: true });
  privateKeyPem = await exportPKCS8(keys.privateKey);
  const publicJwk = { ...(await exportJWK(keys.publicKey)), alg: 'ES256' };
  oauth = await startOAuthServer({
    clients: [
      {
        clientId: 'agent-basic',
        clientSecret: SECRET,
        authMethod: 'client_secret_basic',
        scope: 'mcp:tools',
      },
      { clientId: 'agent-jwt', authMethod: 'private_key_jwt', publicJwk, scope: 'mcp:tools' },
    ],
  });
  elsewhere = await startLoopbackHttp((_request, response) =>
    json(response, 200, { access_token: 'followed-the-redirect', token_type: 'Bearer', expires_in: 600 }),
  );
  redirecting = await startLoopbackHttp((request, response, self) => {
    if (request.path === '/.well-known/oauth-authorization-server') {
      return json(response, 200, metadataOf(self.origin, '/same-origin/token'));
    }
    if (request.path === '/token') {
      response.writeHead(307, { location: `${elsewhere.origin}/token` }).end();
      return;
    }
    if (request.path === '/same-origin/token') {
      // Even within the origin, the request is not re-sent.
      response.writeHead(308, { location: '/landing' }).end();
      return;
    }
    if (request.path === '/landing') {
      return json(response, 200, { access_token: 'followed-the-redirect', token_type: 'Bearer' });
    }
    response.writeHead(404).end();
  });
  huge = await startLoopbackHttp((request, response, self) => {
    if (request.path === '/.well-known/oauth-authorization-server') {
      return json(response, 200, metadataOf(self.origin, '/token'));
    }
    if (request.path === '/token') {
      // No content-length: only reading it would tell how big it is.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"access_token":"');
      hugeWrites.push(streamBytes(response, FIFTY_MB));
      return;
    }
    response.writeHead(404).end();
  });
  [behindRedirecting, behindHuge] = await Promise.all([
    startProtectedMCPServer({ issuer: redirecting.origin, jwksUrl: oauth.jwksUrl }),
    startProtectedMCPServer({ issuer: huge.origin, jwksUrl: oauth.jwksUrl }),
  ]);
});

afterAll(async () => {
  await Promise.all([behindRedirecting?.close(), behindHuge?.close()]);
  await Promise.all([elsewhere?.close(), redirecting?.close(), huge?.close(), oauth?.close()]);
});

const landed = () =>
  elsewhere.requests.length + redirecting.requests.filter((request) => request.path === '/landing').length;

describe('token requests never follow redirects', () => {
  it.each([
    [
      'client_secret_basic',
      { clientId: 'agent-basic', clientSecret: SECRET, authMethod: 'client_secret_basic' },
    ],
    [
      'client_secret_post',
      { clientId: 'agent-basic', clientSecret: SECRET, authMethod: 'client_secret_post' },
    ],
    ['private_key_jwt', { clientId: 'agent-jwt', privateKey: '', algorithm: 'ES256' }],
  ] as const)(
    'a 307 from the configured token URL is AUTH_FAILED, nothing sent on (%s)',
    async (_label, credentials) => {
      const landedBefore = landed();
      const tokenRequestsBefore = redirecting.requests.filter((request) => request.path === '/token').length;
      await using registry = await createRegistry({
        logger: silentLogger,
        cache: 'none',
        servers: {
          crm: {
            url: behindRedirecting.url,
            auth: {
              type: 'client_credentials',
              ...credentials,
              ...('privateKey' in credentials ? { privateKey: privateKeyPem } : {}),
              tokenUrl: `${redirecting.origin}/token`,
              scope: 'mcp:tools',
            },
          },
        },
      });
      const error = registry.server('crm')?.error;
      expect(error?.code).toBe('AUTH_FAILED');
      expect(error?.message).toContain('HTTP 307');
      expect(error?.message).toContain(`a redirect to ${elsewhere.origin}/token`);
      expect(error?.message).not.toContain(SECRET);
      expect(redirecting.requests.filter((request) => request.path === '/token').length).toBe(
        tokenRequestsBefore + 1,
      );
      // The second server never saw the request, its secret or its assertion.
      expect(landed()).toBe(landedBefore);
    },
  );

  it('a redirect from a discovered token endpoint is not followed either, even within its origin', async () => {
    const landedBefore = landed();
    await using registry = await createRegistry({
      logger: silentLogger,
      cache: 'none',
      servers: {
        crm: {
          url: behindRedirecting.url,
          auth: {
            type: 'client_credentials',
            clientId: 'agent-basic',
            clientSecret: SECRET,
            scope: 'mcp:tools',
          },
        },
      },
    });
    const error = registry.server('crm')?.error;
    expect(error?.code).toBe('AUTH_FAILED');
    expect(error?.message).toContain('HTTP 308');
    expect(error?.message).not.toContain(SECRET);
    expect(redirecting.requests.some((request) => request.path === '/same-origin/token')).toBe(true);
    expect(landed()).toBe(landedBefore);
  });

  it("a user's code exchange (finishOAuth) does not follow a redirect", async () => {
    const landedBefore = landed();
    const metadata = metadataOf(redirecting.origin, '/same-origin/token');
    let tokens: unknown;
    const provider: OAuthClientProvider = {
      redirectUrl: 'http://127.0.0.1:3999/callback',
      clientMetadata: { redirect_uris: ['http://127.0.0.1:3999/callback'], client_name: 'limits test' },
      clientInformation: () => ({
        client_id: 'user-app',
        client_secret: USER_SECRET,
        issuer: redirecting.origin,
      }),
      saveClientInformation: () => {},
      tokens: () => undefined,
      saveTokens: (saved) => {
        tokens = saved;
      },
      saveCodeVerifier: () => {},
      codeVerifier: () => 'verifier-0123456789-0123456789-0123456789-0123',
      redirectToAuthorization: () => {},
      discoveryState: () => ({
        authorizationServerUrl: redirecting.origin,
        authorizationServerMetadata: metadata,
        resourceMetadata: { resource: behindRedirecting.url, authorization_servers: [redirecting.origin] },
      }),
      saveDiscoveryState: () => {},
    };
    const attempt = finishOAuth({
      serverUrl: behindRedirecting.url,
      provider,
      authorizationCode: 'code-from-the-callback',
      server: 'crm',
    });
    await expect(attempt).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    await expect(attempt).rejects.toThrow(/HTTP 308/);
    expect(tokens).toBeUndefined();
    expect(landed()).toBe(landedBefore);
  });

  it("a user's token refresh inside the transport does not follow a redirect", async () => {
    const landedBefore = landed();
    const refreshesBefore = redirecting.requests.filter(
      (request) => request.path === '/same-origin/token',
    ).length;
    const authorizationUrls: URL[] = [];
    let saved: unknown;
    const provider: OAuthClientProvider = {
      redirectUrl: 'http://127.0.0.1:3999/callback',
      clientMetadata: { redirect_uris: ['http://127.0.0.1:3999/callback'], client_name: 'limits test' },
      clientInformation: () => ({
        client_id: 'user-app',
        client_secret: USER_SECRET,
        issuer: redirecting.origin,
      }),
      saveClientInformation: () => {},
      // An access token the server rejects, and a refresh token worth stealing.
      tokens: () => ({
        access_token: 'expired-access-token',
        refresh_token: 'refresh-token-5e1f',
        token_type: 'Bearer',
        issuer: redirecting.origin,
      }),
      saveTokens: (tokens) => {
        saved = tokens;
      },
      saveCodeVerifier: () => {},
      codeVerifier: () => 'unused',
      redirectToAuthorization: (url) => {
        authorizationUrls.push(url);
      },
      saveDiscoveryState: () => {},
      discoveryState: () => undefined,
    };
    await using registry = await createRegistry({
      logger: silentLogger,
      cache: 'none',
      servers: { crm: { url: behindRedirecting.url, auth: { type: 'oauth', provider } } },
    });
    expect(registry.server('crm')?.error?.code).toBe('AUTH_FAILED');
    // The refresh was tried once, not re-sent to where the redirect pointed; the user is asked instead.
    expect(redirecting.requests.filter((request) => request.path === '/same-origin/token').length).toBe(
      refreshesBefore + 1,
    );
    expect(landed()).toBe(landedBefore);
    expect(saved).toBeUndefined();
    expect(authorizationUrls.map((url) => url.origin)).toEqual([redirecting.origin]);
  });
});

describe('token responses are read up to a cap', () => {
  it.each([
    ['the configured token URL', { tokenUrl: 'huge' }],
    ['a discovered token endpoint', {}],
  ] as const)('a 50 MB answer from %s fails fast with AUTH_FAILED', async (_label, where) => {
    const writesBefore = hugeWrites.length;
    await using registry = await createRegistry({
      logger: silentLogger,
      cache: 'none',
      servers: {
        crm: {
          url: behindHuge.url,
          auth: {
            type: 'client_credentials',
            clientId: 'agent-basic',
            clientSecret: SECRET,
            scope: 'mcp:tools',
            ...('tokenUrl' in where ? { tokenUrl: `${huge.origin}/token` } : {}),
          },
        },
      },
    });
    const error = registry.server('crm')?.error;
    expect(error?.code).toBe('AUTH_FAILED');
    expect(error?.message).toMatch(/larger than 256 KiB/);
    expect(hugeWrites.length).toBe(writesBefore + 1);
    // We stopped reading: the endpoint got rid of a few MB at most (socket buffers), not 50.
    const written = await hugeWrites[writesBefore];
    expect(written).toBeLessThan(FIFTY_MB / 5);
  });
});
