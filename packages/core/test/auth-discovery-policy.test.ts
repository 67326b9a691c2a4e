/**
 * Where OAuth discovery may go, against a real `oidc-provider`, MCP servers that verify its
 * tokens, and a loopback server on another origin that records every request: a 401 naming
 * resource metadata on another origin is not followed there (one warning; the server's own
 * well-known URIs are used instead, as the spec has clients do when the header names none), for
 * client credentials and for a user's OAuth alike, when `authDiscovery.allowedOrigins` lists
 * origins; by default (the spec's rule) and with the origin listed, the pointer is followed; a
 * followed document of 50 MB fails fast; bad allow-list entries are configuration errors that
 * name the entry.
 */
import type { OAuthClientProvider } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Logger, silentLogger } from '../src/index.js';
import { startOAuthServer, type TestOAuthServer } from './fixtures/oauth-server.js';
import { type ProtectedMCPServer, startProtectedMCPServer } from './fixtures/protected-mcp-server.js';
import { type LoopbackHttpServer, startLoopbackHttp, streamBytes } from './support/index.js';

const SECRET = 'discovery-policy-secret-7b20';
const FIFTY_MB = 50 * 1024 * 1024;

let oauth: TestOAuthServer;
/** Another origin, serving protected-resource metadata that names the real authorization server. */
let foreign: LoopbackHttpServer;
const foreignWrites: Promise<number>[] = [];
/** An MCP server whose 401s point at `foreign`'s metadata (it serves its own too). */
let pointingAway: ProtectedMCPServer;
/** An MCP server whose 401s point at 50 MB of metadata on `foreign`. */
let pointingAtHuge: ProtectedMCPServer;

beforeAll(async () => {
  oauth = await startOAuthServer({
    clients: [
      { clientId: 'agent', clientSecret: SECRET, authMethod: 'client_secret_basic', scope: 'mcp:tools' },
    ],
  });
  foreign = await startLoopbackHttp((request, response) => {
    if (request.path === '/metadata') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ resource: pointingAway.url, authorization_servers: [oauth.issuer] }));
      return;
    }
    if (request.path === '/huge-metadata') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"resource":"');
      foreignWrites.push(streamBytes(response, FIFTY_MB));
      return;
    }
    response.writeHead(404).end();
  });
  [pointingAway, pointingAtHuge] = await Promise.all([
    startProtectedMCPServer({
      issuer: oauth.issuer,
      jwksUrl: oauth.jwksUrl,
      resourceMetadataUrl: `${foreign.origin}/metadata`,
    }),
    startProtectedMCPServer({
      issuer: oauth.issuer,
      jwksUrl: oauth.jwksUrl,
      resourceMetadataUrl: `${foreign.origin}/huge-metadata`,
    }),
  ]);
  oauth.defaultResource = pointingAway.url;
});

afterAll(async () => {
  await Promise.all([pointingAway?.close(), pointingAtHuge?.close()]);
  await Promise.all([foreign?.close(), oauth?.close()]);
});

function recordingLogger() {
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (message) => warnings.push(message) };
  return { logger, warnings };
}

const credentials = {
  type: 'client_credentials' as const,
  clientId: 'agent',
  clientSecret: SECRET,
  scope: 'mcp:tools',
};

describe('discovery policy', () => {
  it('follows metadata a 401 names on another origin by default, as the spec requires', async () => {
    const hitsBefore = foreign.requests.length;
    const { logger, warnings } = recordingLogger();
    await using registry = await createRegistry({
      logger,
      cache: 'none',
      servers: { crm: { url: pointingAway.url, auth: credentials } },
    });
    expect((await registry.callTool('crm__whoami', {})).text).toBe('agent');
    expect(foreign.requests.slice(hitsBefore).map((request) => request.path)).toEqual(['/metadata']);
    expect(warnings).toEqual([]);
  });

  it('with an allow-list, does not fetch metadata on another origin; the server’s own well-known URIs serve', async () => {
    const hitsBefore = foreign.requests.length;
    const { logger, warnings } = recordingLogger();
    await using registry = await createRegistry({
      logger,
      cache: 'none',
      authDiscovery: { allowedOrigins: [] },
      servers: { crm: { url: pointingAway.url, auth: credentials } },
    });
    expect(registry.server('crm')?.error).toBeUndefined();
    expect((await registry.callTool('crm__whoami', {})).text).toBe('agent');
    expect(foreign.requests.length).toBe(hitsBefore);
    const refused = warnings.filter((line) => /not fetching the resource metadata/.test(line));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toContain(`${foreign.origin}/metadata`);
    expect(refused[0]).toContain('authDiscovery.allowedOrigins');
  });

  it('fetches it when its origin is in authDiscovery.allowedOrigins', async () => {
    const hitsBefore = foreign.requests.length;
    const { logger, warnings } = recordingLogger();
    await using registry = await createRegistry({
      logger,
      cache: 'none',
      authDiscovery: { allowedOrigins: [foreign.origin] },
      servers: { crm: { url: pointingAway.url, auth: credentials } },
    });
    expect((await registry.callTool('crm__whoami', {})).text).toBe('agent');
    expect(foreign.requests.slice(hitsBefore).map((request) => request.path)).toEqual(['/metadata']);
    expect(warnings).toEqual([]);
  });

  it('reads allowed metadata up to a cap: 50 MB fails fast with AUTH_FAILED', async () => {
    const writesBefore = foreignWrites.length;
    await using registry = await createRegistry({
      logger: silentLogger,
      cache: 'none',
      authDiscovery: { allowedOrigins: [foreign.origin] },
      servers: { crm: { url: pointingAtHuge.url, auth: credentials } },
    });
    const error = registry.server('crm')?.error;
    expect(error?.code).toBe('AUTH_FAILED');
    expect(error?.message).toMatch(/larger than 256 KiB/);
    expect(foreignWrites.length).toBe(writesBefore + 1);
    expect(await foreignWrites[writesBefore]).toBeLessThan(FIFTY_MB / 5);
  });

  it("with an allow-list, applies to a user's OAuth too: the SDK never sees the refused pointer", async () => {
    const hitsBefore = foreign.requests.length;
    const { logger, warnings } = recordingLogger();
    const authorizationUrls: URL[] = [];
    const provider: OAuthClientProvider = {
      redirectUrl: 'http://127.0.0.1:3999/callback',
      clientMetadata: { redirect_uris: ['http://127.0.0.1:3999/callback'], client_name: 'policy test' },
      clientInformation: () => ({ client_id: 'user-app', issuer: oauth.issuer }),
      saveClientInformation: () => {},
      tokens: () => undefined,
      saveTokens: () => {},
      saveCodeVerifier: () => {},
      codeVerifier: () => 'unused',
      redirectToAuthorization: (url) => {
        authorizationUrls.push(url);
      },
      saveDiscoveryState: () => {},
      discoveryState: () => undefined,
    };
    await using registry = await createRegistry({
      logger,
      cache: 'none',
      authDiscovery: { allowedOrigins: [] },
      servers: { crm: { url: pointingAway.url, auth: { type: 'oauth', provider } } },
    });
    // Consent is needed; the user would be sent to the real authorization server.
    expect(registry.server('crm')?.error?.code).toBe('AUTH_FAILED');
    expect(authorizationUrls.map((url) => url.origin)).toEqual([oauth.issuer]);
    expect(foreign.requests.length).toBe(hitsBefore);
    expect(warnings.filter((line) => /not fetching the resource metadata/.test(line))).toHaveLength(1);
  });

  it('names a misspelt authDiscovery key, with the one probably meant', async () => {
    const attempt = createRegistry({
      logger: silentLogger,
      cache: 'none',
      authDiscovery: { allowedOrigin: ['https://auth.example.com'] } as never,
      servers: { crm: { url: pointingAway.url, auth: credentials } },
    });
    await expect(attempt).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      issues: [{ path: 'authDiscovery.allowedOrigin', message: expect.stringMatching(/allowedOrigins/) }],
    });
  });

  it.each([
    ['http://auth.example.com', /not https/],
    ['https://auth.example.com/tenant', /expected an origin/],
    ['not a url', /expected an origin/],
  ])('rejects the allow-list entry %s as a configuration error naming it', async (entry, reason) => {
    const attempt = createRegistry({
      logger: silentLogger,
      cache: 'none',
      authDiscovery: { allowedOrigins: ['https://fine.example.com', entry] },
      servers: { crm: { url: pointingAway.url, auth: credentials } },
    });
    await expect(attempt).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      issues: [{ path: 'authDiscovery.allowedOrigins[1]', message: expect.stringMatching(reason) }],
    });
  });
});
