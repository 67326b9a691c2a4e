/**
 * Static and dynamic headers on HTTP servers, next to client-credentials auth, against a real
 * JWT-verifying MCP server: static headers ride on every request; the function form is called
 * per request, so a value that changes (a user's token for the current conversation) reaches
 * the server on the next call over the same pooled connection, with no new handshake.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type HeadersContext, silentLogger } from '../src/index.js';
import { startOAuthServer, type TestOAuthServer } from './fixtures/oauth-server.js';
import { type ProtectedMCPServer, startProtectedMCPServer } from './fixtures/protected-mcp-server.js';

const SECRET = 'headers-test-secret-41c2';
let oauth: TestOAuthServer;
let mcp: ProtectedMCPServer;

beforeAll(async () => {
  oauth = await startOAuthServer({
    clients: [
      { clientId: 'agent', clientSecret: SECRET, authMethod: 'client_secret_basic', scope: 'mcp:tools' },
    ],
  });
  mcp = await startProtectedMCPServer({
    issuer: oauth.issuer,
    jwksUrl: oauth.jwksUrl,
    recordHeaders: ['x-static', 'x-user-token', 'authorization'],
  });
  oauth.defaultResource = mcp.url;
});

afterAll(async () => {
  await mcp?.close();
  await oauth?.close();
});

const auth = {
  type: 'client_credentials' as const,
  clientId: 'agent',
  clientSecret: SECRET,
  tokenUrl: 'replaced in each test',
  scope: 'mcp:tools',
};

/** Handshake requests the server saw (`server/discover` probe, `initialize`): only connecting sends them. */
function handshakes(from: number): number {
  return mcp.requests
    .slice(from)
    .filter((request) => request.method === 'initialize' || request.method === 'server/discover').length;
}

describe('headers', () => {
  it('sends static headers with every request, alongside the OAuth token', async () => {
    const from = mcp.requests.length;
    await using registry = await createRegistry({
      logger: silentLogger,
      cache: 'none',
      servers: {
        crm: {
          url: mcp.url,
          headers: { 'X-Static': 'tenant-7' },
          auth: { ...auth, tokenUrl: oauth.tokenUrl },
        },
      },
    });
    await registry.callTool('crm__echo', { message: 'one' });
    const seen = mcp.requests.slice(from).filter((request) => request.outcome === 'accepted');
    expect(seen.length).toBeGreaterThan(1);
    for (const request of seen) {
      expect(request.headers['x-static']).toBe('tenant-7');
      expect(request.headers.authorization).toMatch(/^Bearer /);
    }
  });

  it('evaluates the function form per request, keeping one connection', async () => {
    const from = mcp.requests.length;
    const contexts: HeadersContext[] = [];
    let userToken = 'user-token-1';
    await using registry = await createRegistry({
      logger: silentLogger,
      cache: 'none',
      servers: {
        crm: {
          url: mcp.url,
          headers: (context) => {
            contexts.push(context);
            return { 'X-User-Token': userToken };
          },
          auth: { ...auth, tokenUrl: oauth.tokenUrl },
        },
      },
    });
    const handshakesAfterConnect = handshakes(from);
    const sent: string[] = [];
    for (const value of ['user-token-2', 'user-token-3', 'user-token-4']) {
      userToken = value;
      const before = mcp.requests.length;
      await registry.callTool('crm__echo', { message: value });
      const call = mcp.requests.slice(before).find((request) => request.method === 'tools/call');
      sent.push(call?.headers['x-user-token'] ?? 'missing');
    }
    expect(sent).toEqual(['user-token-2', 'user-token-3', 'user-token-4']);
    // The calls opened nothing new: the handshake count is what connecting took.
    expect(handshakes(from)).toBe(handshakesAfterConnect);
    expect(handshakesAfterConnect).toBeGreaterThanOrEqual(1);
    expect(contexts.length).toBeGreaterThanOrEqual(4);
    expect(contexts.every((context) => context.server === 'crm')).toBe(true);
  });

  it('gives each conversation its own value on its own pooled session', async () => {
    const from = mcp.requests.length;
    const userTokens: Record<string, string> = { alice: 'token-of-alice', bob: 'token-of-bob' };
    await using registry = await createRegistry({
      logger: silentLogger,
      cache: 'none',
      servers: {
        crm: {
          url: mcp.url,
          session: 'per-conversation',
          headers: ({ sessionKey }) => ({ 'X-User-Token': userTokens[sessionKey ?? ''] ?? 'none' }),
          auth: { ...auth, tokenUrl: oauth.tokenUrl },
        },
      },
    });
    const initializes = () =>
      mcp.requests.slice(from).filter((request) => request.method === 'initialize').length;
    const afterConnect = initializes();
    for (let round = 0; round < 3; round++) {
      for (const user of ['alice', 'bob']) {
        const before = mcp.requests.length;
        await registry.callTool('crm__echo', { message: user }, { sessionKey: user });
        const call = mcp.requests.slice(before).find((request) => request.method === 'tools/call');
        expect(call?.headers['x-user-token']).toBe(userTokens[user]);
      }
    }
    // Two conversations opened two sessions, once each; six calls opened nothing more.
    expect(initializes() - afterConnect).toBe(2);
  });
});
