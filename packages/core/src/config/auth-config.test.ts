import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import { parseServersConfig } from './parse-config.js';

const SECRET = 'config-secret-never-echoed';

function issuesOf(auth: unknown): { path: string; message: string }[] {
  try {
    parseServersConfig({ mcpServers: { crm: { url: 'https://crm.example.com/mcp', auth } } });
  } catch (error) {
    if (ConfigError.isInstance(error)) {
      expect(error.message).not.toContain(SECRET);
      return error.issues;
    }
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('auth config', () => {
  it('accepts client credentials, direct or discovered, and user OAuth providers', () => {
    const provider = { tokens: () => undefined, clientInformation: () => undefined, marker: 'same object' };
    const { servers } = parseServersConfig({
      mcpServers: {
        direct: {
          url: 'https://a.example.com/mcp',
          auth: {
            type: 'client_credentials',
            clientId: 'id',
            clientSecret: SECRET,
            tokenUrl: 'https://login.example.com/oauth/token',
            scope: ['a', 'b'],
            audience: 'https://api.example.com',
            authMethod: 'client_secret_post',
          },
        },
        discovered: {
          url: 'https://b.example.com/mcp',
          auth: { type: 'client_credentials', clientId: 'id', privateKey: '-----BEGIN PRIVATE KEY-----' },
        },
        user: { url: 'https://c.example.com/mcp', auth: { type: 'oauth', provider } },
      },
    });
    const auths = servers.map((server) => (server.transport === 'stdio' ? undefined : server.auth));
    expect(auths.map((auth) => auth?.type)).toEqual(['client_credentials', 'client_credentials', 'oauth']);
    // The provider is code, not data: the registry uses the caller's own object.
    expect(auths[2]?.type === 'oauth' && auths[2].provider).toBe(provider);
  });

  it('tags the seed shape without a type as client credentials', () => {
    const { servers } = parseServersConfig({
      servers: [
        {
          executionType: 'mcp',
          url: 'https://crm.example.com/mcp',
          auth: { clientId: 'id', clientSecret: SECRET, tokenUrl: 'https://login.example.com/token' },
        },
      ],
    });
    const [server] = servers;
    expect(server?.transport !== 'stdio' && server?.auth?.type).toBe('client_credentials');
  });

  it('names what is wrong, and where, without echoing secrets', () => {
    expect(issuesOf({ type: 'client_credentials', clientId: 'id' })).toEqual([
      {
        path: 'mcpServers.crm.auth.clientSecret',
        message: expect.stringContaining('need one of clientSecret'),
      },
    ]);
    expect(
      issuesOf({ type: 'client_credentials', clientId: 'id', clientSecret: SECRET, privateKey: SECRET }),
    ).toEqual([{ path: 'mcpServers.crm.auth.privateKey', message: expect.stringContaining('only one of') }]);
    expect(
      issuesOf({
        type: 'client_credentials',
        clientId: 'id',
        clientSecret: SECRET,
        tokenUrl: 'http://login.example.com/token',
      }),
    ).toEqual([{ path: 'mcpServers.crm.auth.tokenUrl', message: expect.stringContaining('https://') }]);
    expect(
      issuesOf({ type: 'client_credentials', clientId: 'id', clientSecret: SECRET, client_secret: SECRET }),
    ).toEqual([
      {
        path: 'mcpServers.crm.auth.client_secret',
        message: 'unknown key; did you mean "clientSecret"?',
      },
    ]);
    expect(issuesOf({ type: 'bearer', tokne: SECRET })).toEqual([
      { path: 'mcpServers.crm.auth.tokne', message: 'unknown key; did you mean "token"?' },
      { path: 'mcpServers.crm.auth.token', message: 'is required' },
    ]);
    expect(issuesOf({ type: 'client_credentials', clientId: 'id', clientSecret: SECRET, scope: 7 })).toEqual([
      { path: 'mcpServers.crm.auth.scope', message: expect.stringContaining('scope') },
    ]);
    expect(issuesOf({ type: 'oauth', provider: { token: SECRET } })).toEqual([
      { path: 'mcpServers.crm.auth.provider', message: expect.stringContaining('OAuthClientProvider') },
    ]);
    expect(issuesOf({ type: 'api-key', key: SECRET })).toEqual([
      { path: 'mcpServers.crm.auth.type', message: expect.stringContaining('unknown auth type') },
    ]);
  });

  it('allows plain http token endpoints only on loopback', () => {
    for (const tokenUrl of [
      'http://127.0.0.1:8080/token',
      'http://localhost/token',
      'http://[::1]:9/token',
    ]) {
      expect(() =>
        parseServersConfig({
          mcpServers: {
            crm: {
              url: 'http://127.0.0.1:1/mcp',
              auth: { type: 'client_credentials', clientId: 'id', clientSecret: SECRET, tokenUrl },
            },
          },
        }),
      ).not.toThrow();
    }
  });

  it('accepts a workload JWT bearer grant and enterprise-managed authorization, with functions as sources', () => {
    const assertion = () => 'header.payload.signature';
    const { servers } = parseServersConfig({
      mcpServers: {
        workload: {
          url: 'https://w.example.com/mcp',
          auth: { type: 'jwt_bearer', clientId: 'wif', assertion },
        },
        enterprise: {
          url: 'https://e.example.com/mcp',
          auth: {
            type: 'enterprise',
            clientId: 'mcp-client',
            clientSecret: SECRET,
            idToken: SECRET,
            idp: { tokenUrl: 'https://idp.example.com/oauth2/token', clientId: 'idp-client' },
            issuer: 'https://as.example.com',
          },
        },
      },
    });
    const workload = servers.find((server) => server.name === 'workload');
    expect(workload?.transport !== 'stdio' && workload?.auth).toEqual({
      type: 'jwt_bearer',
      clientId: 'wif',
      assertion,
    });
    const enterprise = servers.find((server) => server.name === 'enterprise');
    expect(enterprise?.transport !== 'stdio' && enterprise?.auth?.type).toBe('enterprise');
  });

  it('names what is missing or unsafe in the new grants, never their values', () => {
    expect(issuesOf({ type: 'jwt_bearer', clientId: 'wif' })).toEqual([
      { path: 'mcpServers.crm.auth.assertion', message: expect.any(String) },
    ]);
    expect(issuesOf({ type: 'jwt_bearer', clientId: 'wif', assertion: 42 })).toEqual([
      { path: 'mcpServers.crm.auth.assertion', message: 'expected a string or a function returning one' },
    ]);
    expect(
      issuesOf({
        type: 'enterprise',
        clientId: 'c',
        clientSecret: SECRET,
        idToken: SECRET,
        idp: { tokenUrl: 'http://idp.example.com/token', clientId: 'i' },
      }),
    ).toEqual([{ path: 'mcpServers.crm.auth.idp.tokenUrl', message: expect.stringContaining('https://') }]);
  });
});
