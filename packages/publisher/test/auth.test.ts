/**
 * Bearer auth with real JWT access tokens from a real OAuth server (oidc-provider, client
 * credentials) on loopback: no token → 401 with protected resource metadata; wrong audience or
 * expired → 401; a token without a tool's scope → 403 insufficient_scope; a valid token → the
 * call succeeds, and the tool sees the caller's auth info.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, defineTool, type ListeningPublisher, type Publisher } from '../src/index.js';
import { type OAuthServer, startOAuthServer } from './support/oauth-server.js';
import { waitPastExpiry } from './support/past-expiry.js';

const RESOURCE = 'http://toolwire.test/mcp';
let oauth: OAuthServer;
let publisher: Publisher;
let listening: ListeningPublisher;

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'test', version: '1' } },
};

async function post(body: unknown, token?: string, sessionId?: string): Promise<Response> {
  return fetch(listening.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(sessionId ? { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' } : {}),
    },
    body: JSON.stringify(body),
  });
}

/** Opens a session and calls a tool; returns the HTTP response of the call. */
async function callTool(token: string, name: string): Promise<Response> {
  const opened = await post(initialize, token);
  expect(opened.status).toBe(200);
  await opened.text();
  const sessionId = opened.headers.get('mcp-session-id') ?? undefined;
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, token, sessionId);
  return post(
    { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name, arguments: {} } },
    token,
    sessionId,
  );
}

beforeAll(async () => {
  oauth = await startOAuthServer();
  publisher = createPublisher({
    name: 'auth-test',
    version: '1.0.0',
    tools: [
      defineTool({
        name: 'whoami',
        description: 'Returns the caller.',
        execute: (_args, context) =>
          `client=${context.authInfo?.clientId} scopes=${context.authInfo?.scopes.join(',')}`,
      }),
      defineTool({
        name: 'write_file',
        description: 'Needs files:write.',
        scopes: ['files:write'],
        execute: () => 'written',
      }),
    ],
    http: {
      auth: {
        jwt: { jwksUrl: oauth.jwksUrl, issuer: oauth.issuer, audience: RESOURCE, clockToleranceSeconds: 0 },
        authorizationServers: [oauth.issuer],
        resourceUrl: RESOURCE,
        scopesSupported: ['mcp', 'files:read', 'files:write'],
      },
    },
    onError: () => {},
  });
  listening = await publisher.listen();
});

afterAll(async () => {
  await publisher?.close();
  await oauth?.close();
});

describe('bearer auth with tokens from a real OAuth server', () => {
  it('no token → 401 with WWW-Authenticate pointing at RFC 9728 metadata', async () => {
    const response = await post(initialize);
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer /);
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
    expect(metadataUrl).toBe('http://toolwire.test/.well-known/oauth-protected-resource/mcp');
    // The metadata is served by the publisher itself (same path, this host).
    const metadata = await fetch(new URL(new URL(metadataUrl!).pathname, listening.url));
    expect(metadata.status).toBe(200);
    expect(await metadata.json()).toMatchObject({
      resource: RESOURCE,
      authorization_servers: [oauth.issuer],
      scopes_supported: ['mcp', 'files:read', 'files:write'],
    });
  });

  it('a token for another audience → 401', async () => {
    const token = await oauth.token({ resource: 'http://other.test/mcp', scope: 'mcp' });
    const response = await post(initialize, token);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_token".*aud/);
  });

  it('an expired token → 401', async () => {
    const token = await oauth.token({ resource: RESOURCE, scope: 'mcp', ttlSeconds: 1 });
    await waitPastExpiry(token);
    const response = await post(initialize, token);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/expired/);
  });

  it('a tampered token → 401', async () => {
    const token = await oauth.token({ resource: RESOURCE, scope: 'mcp' });
    const [header, payload, signature] = token.split('.');
    const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    forged.scope = 'mcp files:write';
    const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    expect((await post(initialize, tampered)).status).toBe(401);
  });

  it('missing scope for a tool → 403 insufficient_scope naming the scope', async () => {
    const token = await oauth.token({ resource: RESOURCE, scope: 'mcp files:read' });
    const response = await callTool(token, 'write_file');
    expect(response.status).toBe(403);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/error="insufficient_scope"/);
    expect(challenge).toMatch(/scope="files:write"/);
  });

  it('a valid token → success; the tool sees the verified auth info', async () => {
    const token = await oauth.token({ resource: RESOURCE, scope: 'mcp files:write' });
    const whoami = await callTool(token, 'whoami');
    expect(whoami.status).toBe(200);
    expect(await whoami.text()).toContain('client=agent scopes=mcp,files:write');
    const write = await callTool(token, 'write_file');
    expect(write.status).toBe(200);
    expect(await write.text()).toContain('written');
  });
});
