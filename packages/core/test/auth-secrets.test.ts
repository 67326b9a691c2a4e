/**
 * Secrets never leak. Runs successful and failing auth flows against real peers (oidc-provider
 * and a JWT-verifying MCP server) and searches everything a user can see or store for the client
 * secret, the private key, the static bearer token, a secret header value and every access
 * token actually issued: error messages and JSON, log lines (all levels), events, stats,
 * `tools()`, `servers()`, token-store keys and schema-cache keys and entries.
 */
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryTokenStore,
  createRegistry,
  type Logger,
  type RegistryEvents,
  type RegistryOptions,
  type SchemaCacheStore,
  type TokenStore,
} from '../src/index.js';
import { startOAuthServer, type TestOAuthServer } from './fixtures/oauth-server.js';
import { type ProtectedMCPServer, startProtectedMCPServer } from './fixtures/protected-mcp-server.js';

const CLIENT_SECRET = 'leak-probe-client-secret-5c1e';
const BEARER_TOKEN = 'leak-probe-static-bearer-77aa';
const HEADER_SECRET = 'leak-probe-header-value-31d0';

let oauth: TestOAuthServer;
let mcp: ProtectedMCPServer;
let privateKeyPem: string;

beforeAll(async () => {
  const keys = await generateKeyPair('ES256', { extractable: true });
  privateKeyPem = await exportPKCS8(keys.privateKey);
  const publicJwk = { ...(await exportJWK(keys.publicKey)), alg: 'ES256' };
  oauth = await startOAuthServer({
    accessTokenTTL: 2,
    clients: [
      {
        clientId: 'agent',
        clientSecret: CLIENT_SECRET,
        authMethod: 'client_secret_basic',
        scope: 'mcp:tools',
      },
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

describe('secrets', () => {
  it('appear in no error, log line, event, stat, catalogue entry or cache key', async () => {
    const seen: string[] = [];
    const record = (label: string, value: unknown) => seen.push(`${label}: ${serialize(value)}`);
    const logger: Logger = {
      debug: (message, context) => record('log.debug', { message, context }),
      info: (message, context) => record('log.info', { message, context }),
      warn: (message, context) => record('log.warn', { message, context }),
      error: (message, context) => record('log.error', { message, context }),
    };
    const issuedTokens = new Set<string>();
    const memory = createMemoryTokenStore();
    const tokenStore: TokenStore = {
      get: async (key) => {
        record('store.key', key);
        return memory.get(key);
      },
      set: async (key, token, ttlMs) => {
        record('store.key', key);
        issuedTokens.add(token.accessToken);
        await memory.set(key, token, ttlMs);
      },
      delete: async (key) => {
        record('store.key', key);
        await memory.delete(key);
      },
      acquireLock: async (key, ttlMs) => {
        record('store.key', key);
        return memory.acquireLock?.(key, ttlMs);
      },
    };
    const schemaCache: SchemaCacheStore = {
      kind: 'recording',
      values: new Map<string, string>(),
      get(key: string) {
        record('schema-cache.key', key);
        return this.values.get(key);
      },
      set(key: string, value: string) {
        record('schema-cache.key', key);
        record('schema-cache.value', value);
        this.values.set(key, value);
      },
      delete(key: string) {
        this.values.delete(key);
      },
    } as SchemaCacheStore & { values: Map<string, string> };
    const listeners: RegistryOptions['listeners'] = {};
    for (const name of ['server:status', 'tools:changed', 'call:start', 'call:end', 'log'] as const) {
      (listeners as Record<string, (event: RegistryEvents[typeof name]) => void>)[name] = (event) =>
        record(`event.${name}`, event);
    }

    const registry = await createRegistry({
      logger,
      listeners,
      tokenStore,
      cache: schemaCache,
      servers: {
        good: {
          url: mcp.url,
          headers: { 'X-Tenant-Key': HEADER_SECRET },
          auth: {
            type: 'client_credentials',
            clientId: 'agent',
            clientSecret: CLIENT_SECRET,
            tokenUrl: oauth.tokenUrl,
            scope: 'mcp:tools',
          },
        },
        discovered: {
          url: mcp.url,
          auth: {
            type: 'client_credentials',
            clientId: 'agent-jwt',
            privateKey: privateKeyPem,
            algorithm: 'ES256',
            scope: 'mcp:tools',
          },
        },
        wrongSecret: {
          url: mcp.url,
          auth: {
            type: 'client_credentials',
            clientId: 'agent',
            clientSecret: `${CLIENT_SECRET}-but-wrong`,
            tokenUrl: oauth.tokenUrl,
            scope: 'mcp:tools',
          },
        },
        badScope: {
          url: mcp.url,
          auth: {
            type: 'client_credentials',
            clientId: 'agent',
            clientSecret: CLIENT_SECRET,
            tokenUrl: oauth.tokenUrl,
            scope: 'mcp:admin',
          },
        },
        staticBearer: {
          url: mcp.url,
          auth: { type: 'bearer', token: BEARER_TOKEN },
          headers: () => ({ 'X-Tenant-Key': HEADER_SECRET }),
        },
      },
    });
    try {
      expect(registry.server('good')?.status).toBe('active');
      expect(registry.server('discovered')?.status).toBe('active');
      for (const name of ['wrongSecret', 'badScope', 'staticBearer']) {
        expect(registry.server(name)?.error?.code).toBe('AUTH_FAILED');
      }
      // Calls across a token expiry, plus calls that fail.
      for (let round = 0; round < 4; round++) {
        record('result', await registry.callTool('good__echo', { message: 'hello' }));
        record('result', await registry.callTool('discovered__whoami', {}));
        await new Promise((resolve) => setTimeout(resolve, 700));
      }
      for (const tool of ['wrongSecret__echo', 'staticBearer__echo', 'nope__echo']) {
        try {
          await registry.callTool(tool, { message: 'x' });
        } catch (error) {
          record('error.message', (error as Error).message);
          record('error.string', String(error));
          record('error.json', error);
        }
      }
      await registry.refresh();
      record('tools', registry.tools({ includeDisabled: true }));
      record('servers', registry.servers());
      record('stats', registry.stats());
      for (const server of registry.servers()) if (server.error) record('server.error', server.error);
    } finally {
      await registry.close();
    }

    expect(issuedTokens.size).toBeGreaterThanOrEqual(2);
    const haystack = seen.join('\n');
    // The search itself must be able to fail: it finds what we know is there.
    expect(haystack).toContain('invalid_client');
    expect(haystack).toContain('store.key: "token:');
    expect(haystack).toContain('schema-cache.value');
    const secrets = [
      CLIENT_SECRET,
      BEARER_TOKEN,
      HEADER_SECRET,
      privateKeyPem,
      ...privateKeyPem.split('\n').filter((line) => line.length > 40),
      ...issuedTokens,
    ];
    for (const secret of secrets) expect(haystack).not.toContain(secret);
  }, 60_000);
});

function serialize(value: unknown): string {
  return JSON.stringify(value, (_key, item) => {
    if (item instanceof Error) {
      return { name: item.name, message: item.message, ...(item as unknown as Record<string, unknown>) };
    }
    return typeof item === 'bigint' ? String(item) : item;
  });
}
