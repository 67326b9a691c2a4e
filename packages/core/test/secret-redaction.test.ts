/**
 * No secret leaves a registry, in any encoding. Real peers on 127.0.0.1 misbehave: a token
 * endpoint and an MCP server that echo everything they receive in their error bodies (Basic
 * credentials, form bodies, query strings, headers), a stdio command that does not exist (Node's
 * spawn error carries its arguments), a refused port. For each, every output is searched for
 * every secret raw, URL-encoded, form-encoded, JSON-escaped, Base64/Base64url at any alignment
 * and as Basic credentials: error messages, `util.inspect` of errors at full depth with their
 * cause chains, `JSON.stringify`, every event, `servers()`, `stats()`, `tools()`, logger lines at
 * every level and the schema cache files on disk. Where the peer can recover, the next call
 * must work once it does.
 */
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthError,
  ConfigError,
  createRegistry,
  finishOAuth,
  loadConfig,
  type Registry,
  type RegistryOptions,
  ToolwireError,
} from '../src/index.js';
import {
  assertNoSecrets,
  createOutputRecorder,
  createTempDir,
  type EchoPeer,
  findSecrets,
  freePort,
  type OutputRecorder,
  startEchoPeer,
  type TempDir,
} from './support/index.js';

// Secrets with characters that every encoding writes differently (space, `/`, `+`, `&`, `=`, `~`,
// `!`, `*`, `'`, a non-ASCII letter), so a leak in any one form is told apart from the others.
const CLIENT_ID = 'agent-7';
const CLIENT_SECRET = "cs-Q9/z+w ord&é=~!*'x7";
const QUERY_SECRET = 'ak-5h/+k ey&=!x';
const HEADER_SECRET = 'hv-8c1f9e0a2b77';
const ARGUMENT_SECRET = 'arg-3d9f/+k 21';
const FLAG_SECRET = 'flag-77e1c0ffee';
const ENV_SECRET = 'env-91ab/cd+ef';
const SUBSTITUTED_SECRET = 'subst-4e2a9c1d';
const PASSWORD = 'pw-6f1e/x+y';
const AUTHORIZATION_CODE = 'code-0b7e4f2a9c';
const CODE_VERIFIER = 'verifier-d41d8cd98f00b204e9800998ecf8427e';
const USER_ACCESS_TOKEN = 'user-access-7a1c9e3b55d2';
const USER_REFRESH_TOKEN = 'user-refresh-0f9d8c7b6a5e';

let cache: TempDir;

beforeAll(async () => {
  cache = await createTempDir('toolwire-secrets-');
});

afterAll(async () => {
  await cache?.remove();
});

/** A registry whose every output goes to `recorder`, with a file cache of its own. */
async function openRegistry(recorder: OutputRecorder, options: RegistryOptions): Promise<Registry> {
  return createRegistry({
    logger: recorder.logger,
    listeners: recorder.listeners as NonNullable<RegistryOptions['listeners']>,
    cache: 'file',
    cacheDirectory: cache.path,
    ...options,
  });
}

/** Records the registry's views and the cache files, then searches everything. */
async function expectNoLeak(
  recorder: OutputRecorder,
  registry: Registry | undefined,
  secrets: Parameters<typeof findSecrets>[1],
): Promise<void> {
  if (registry) {
    recorder.record('servers', registry.servers());
    recorder.record('stats', registry.stats());
    recorder.record('tools', registry.tools({ includeDisabled: true }));
  }
  await recorder.recordFiles('cache-file', cache.path);
  assertNoSecrets(recorder.text(), secrets);
}

describe('the search itself', () => {
  it('finds each secret in every form a leak can take', () => {
    const basic = Buffer.from(`${CLIENT_ID}:${encodeURIComponent(CLIENT_SECRET)}`).toString('base64');
    const shifted = Buffer.from(`xy${CLIENT_SECRET}z`).toString('base64url');
    const planted = [
      `raw ${CLIENT_SECRET}`,
      `query ?k=${encodeURIComponent(QUERY_SECRET)}`,
      `form ${new URLSearchParams({ client_secret: CLIENT_SECRET })}`,
      `header Authorization: Basic ${basic}`,
      `blob ${shifted}`,
      `json ${JSON.stringify({ value: ENV_SECRET })}`,
    ];
    for (const text of planted) {
      expect(findSecrets(text, [CLIENT_SECRET, QUERY_SECRET, ENV_SECRET]).length, text).toBeGreaterThan(0);
    }
    expect(findSecrets('nothing to see here: [redacted]', [CLIENT_SECRET, QUERY_SECRET])).toEqual([]);
  });
});

describe('a token endpoint that echoes what it received', () => {
  let peer: EchoPeer;

  beforeAll(async () => {
    peer = await startEchoPeer({ requireToken: true });
  });

  afterAll(async () => {
    await peer?.close();
  });

  for (const authMethod of ['client_secret_basic', 'client_secret_post'] as const) {
    it(`leaks no client secret or token (${authMethod}), and works once the endpoint does`, async () => {
      peer.mode = 'echo';
      const recorder = createOutputRecorder();
      const registry = await openRegistry(recorder, {
        servers: {
          crm: {
            url: peer.mcpUrl,
            auth: {
              type: 'client_credentials',
              clientId: CLIENT_ID,
              clientSecret: CLIENT_SECRET,
              tokenUrl: peer.tokenUrl,
              authMethod,
            },
          },
        },
      });
      try {
        const failed = registry.server('crm');
        expect(failed?.status).toBe('failed');
        expect(failed?.error?.code).toBe('AUTH_FAILED');
        // The endpoint's own words still reach the user, minus the secret.
        expect(failed?.error?.message).toContain('client authentication failed');
        expect(failed?.error?.message).toContain('[redacted]');

        peer.mode = 'ok';
        await registry.refresh('crm');
        expect(registry.server('crm')?.status).toBe('active');
        const result = await registry.callTool('crm__echo', { message: 'hello' });
        expect(result.text).toBe('hello');
        expect(peer.issuedTokens.length).toBeGreaterThan(0);
        // The server published the token it got in its instructions; the catalogue was cached.
        expect(registry.server('crm')?.instructions).toMatch(/^Connected as \[redacted\] via \/mcp/);
        await expectNoLeak(recorder, registry, [
          { secret: CLIENT_SECRET, user: CLIENT_ID },
          ...peer.issuedTokens,
        ]);
      } finally {
        await registry.close();
      }
      expect(recorder.count('cache-file')).toBeGreaterThan(0);
    });
  }

  it('leaks nothing when the refusal is plain text cut to length', async () => {
    const textPeer = await startEchoPeer({ tokenErrorFormat: 'text' });
    const recorder = createOutputRecorder();
    try {
      const registry = await openRegistry(recorder, {
        servers: {
          crm: {
            url: textPeer.mcpUrl,
            auth: {
              type: 'client_credentials',
              clientId: CLIENT_ID,
              // Placed so the 200-character cut of the echoed body falls inside the secret.
              clientSecret: `${'p'.repeat(95)}${CLIENT_SECRET}`,
              tokenUrl: textPeer.tokenUrl,
              authMethod: 'client_secret_post',
            },
          },
        },
      });
      try {
        expect(registry.server('crm')?.error?.message).toContain('bad client');
        await expectNoLeak(recorder, registry, [
          { secret: `${'p'.repeat(95)}${CLIENT_SECRET}`, user: CLIENT_ID },
          CLIENT_SECRET,
          // No half of the secret either: the echo is redacted before it is cut.
          encodeURIComponent(CLIENT_SECRET).slice(0, 12),
        ]);
      } finally {
        await registry.close();
      }
    } finally {
      await textPeer.close();
    }
  });
});

describe("a user's OAuth tokens refreshed at an endpoint that echoes them", () => {
  it('leaks neither the rejected access token nor the refresh token, and works once it refreshes', async () => {
    await using peer = Object.assign(await startEchoPeer({ mode: 'ok', requireToken: true }), {
      [Symbol.asyncDispose]: () => peer.close(),
    });
    peer.tokenMode = 'echo';
    let stored: { access_token: string; refresh_token?: string; token_type: string } = {
      access_token: USER_ACCESS_TOKEN,
      refresh_token: USER_REFRESH_TOKEN,
      token_type: 'Bearer',
    };
    const recorder = createOutputRecorder();
    const registry = await openRegistry(recorder, {
      servers: {
        github: {
          url: peer.mcpUrl,
          auth: {
            type: 'oauth',
            provider: {
              redirectUrl: 'http://127.0.0.1/callback',
              clientMetadata: { redirect_uris: ['http://127.0.0.1/callback'], client_name: 'leak probe' },
              clientInformation: () => ({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
              tokens: () => stored,
              saveTokens: (tokens) => {
                stored = tokens as typeof stored;
              },
              redirectToAuthorization: () => {},
              saveCodeVerifier: () => {},
              codeVerifier: () => CODE_VERIFIER,
            },
          },
        },
      },
    });
    try {
      const failed = registry.server('github');
      expect(failed?.status).toBe('failed');
      expect(failed?.error?.code).toBe('AUTH_FAILED');
      // The refresh was tried, and refused with an echo of the refresh token and client secret.
      expect(peer.requests.some((request) => request.path === '/token' && request.mode === 'echo')).toBe(
        true,
      );

      peer.tokenMode = 'ok';
      await registry.refresh('github');
      expect(registry.server('github')?.status).toBe('active');
      expect((await registry.callTool('github__echo', { message: 'refreshed' })).text).toBe('refreshed');
      expect(peer.issuedTokens).toContain(stored.access_token);
      await expectNoLeak(recorder, registry, [
        USER_ACCESS_TOKEN,
        USER_REFRESH_TOKEN,
        { secret: CLIENT_SECRET, user: CLIENT_ID },
        ...peer.issuedTokens,
      ]);
    } finally {
      await registry.close();
    }
  });
});

describe('finishOAuth with a token endpoint that echoes the code exchange', () => {
  it('leaks no authorization code, verifier or client secret', async () => {
    await using peer = Object.assign(await startEchoPeer(), {
      [Symbol.asyncDispose]: () => peer.close(),
    });
    const saved: unknown[] = [];
    const failure = await finishOAuth({
      serverUrl: peer.mcpUrl,
      server: 'github',
      callbackUrl: `http://127.0.0.1/callback?code=${AUTHORIZATION_CODE}&state=s1`,
      expectedState: 's1',
      provider: {
        redirectUrl: 'http://127.0.0.1/callback',
        clientMetadata: { redirect_uris: ['http://127.0.0.1/callback'], client_name: 'leak probe' },
        clientInformation: () => ({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
        tokens: () => undefined,
        saveTokens: (tokens) => {
          saved.push(tokens);
        },
        redirectToAuthorization: () => {},
        saveCodeVerifier: () => {},
        codeVerifier: () => CODE_VERIFIER,
      },
    }).catch((error) => error);
    expect(AuthError.isInstance(failure)).toBe(true);
    expect(saved).toEqual([]);
    expect(peer.requests.some((request) => request.path === '/token')).toBe(true);
    expect((failure as AuthError).message).toContain('client authentication failed');
    const recorder = createOutputRecorder();
    recorder.recordError('finish-oauth', failure);
    assertNoSecrets(recorder.text(), [
      AUTHORIZATION_CODE,
      CODE_VERIFIER,
      { secret: CLIENT_SECRET, user: CLIENT_ID },
    ]);
  });
});

describe('an HTTP server that fails, echoing the URL and headers it got', () => {
  let peer: EchoPeer;

  beforeAll(async () => {
    peer = await startEchoPeer();
  });

  afterAll(async () => {
    await peer?.close();
  });

  it('leaks no query value or header, at start-up or during a call, and recovers', async () => {
    peer.mode = 'echo';
    const recorder = createOutputRecorder();
    const registry = await openRegistry(recorder, {
      servers: {
        search: {
          url: `${peer.mcpUrl}?api_key=${encodeURIComponent(QUERY_SECRET)}`,
          headers: { 'X-Api-Key': HEADER_SECRET },
        },
        perRequest: {
          url: `${peer.mcpUrl}?tenant=acme`,
          headers: () => ({ Authorization: `Bearer ${HEADER_SECRET}-dynamic` }),
        },
      },
    });
    try {
      for (const name of ['search', 'perRequest']) {
        const info = registry.server(name);
        expect(info?.status, name).toBe('failed');
        expect(info?.error?.code, name).toBe('CONNECT_FAILED');
      }
      expect(registry.server('search')?.error?.message).toContain('500');

      peer.mode = 'ok';
      await registry.refresh();
      expect(registry.server('search')?.status).toBe('active');
      expect((await registry.callTool('search__echo', { message: 'one' })).text).toBe('one');

      peer.mode = 'echo';
      const failure = await registry.callTool('search__echo', { message: 'two' }).catch((error) => error);
      expect(ToolwireError.isInstance(failure)).toBe(true);
      recorder.recordError('call-error', failure);
      const perRequestFailure = await registry
        .callTool('perRequest__echo', { message: 'x' })
        .catch((error) => error);
      recorder.recordError('call-error-per-request', perRequestFailure);

      peer.mode = 'ok';
      expect((await registry.callTool('search__echo', { message: 'three' })).text).toBe('three');
      await expectNoLeak(recorder, registry, [QUERY_SECRET, HEADER_SECRET, `${HEADER_SECRET}-dynamic`]);
    } finally {
      await registry.close();
    }
    expect(recorder.count('cache-file')).toBeGreaterThan(0);
    expect(recorder.count('call-error')).toBeGreaterThan(0);
  });

  it('leaks no query value when the port refuses, and connects once a server listens there', async () => {
    const port = await freePort();
    const recorder = createOutputRecorder();
    const registry = await openRegistry(recorder, {
      servers: { later: { url: `http://127.0.0.1:${port}/mcp?api_key=${encodeURIComponent(QUERY_SECRET)}` } },
    });
    let later: EchoPeer | undefined;
    try {
      expect(registry.server('later')?.error?.message).toContain('connection refused');
      later = await startEchoPeer({ port, mode: 'ok' });
      await registry.refresh('later');
      expect(registry.server('later')?.status).toBe('active');
      expect((await registry.callTool('later__echo', { message: 'up' })).text).toBe('up');
      await expectNoLeak(recorder, registry, [QUERY_SECRET]);
    } finally {
      await registry.close();
      await later?.close();
    }
  });
});

describe('a stdio command that does not exist', () => {
  it('leaks none of its arguments or environment (spawn errors carry them)', async () => {
    const recorder = createOutputRecorder();
    const registry = await openRegistry(recorder, {
      env: { PROBE_KEY: SUBSTITUTED_SECRET },
      servers: {
        missing: {
          command: 'toolwire-no-such-command-7f3a',
          args: ['--api-key', ARGUMENT_SECRET, `--token=${FLAG_SECRET}`, '--key', '${PROBE_KEY}'],
          env: { API_KEY: ENV_SECRET },
        },
      },
    });
    try {
      const info = registry.server('missing');
      expect(info?.error?.code).toBe('CONNECT_FAILED');
      expect(info?.error?.message).toContain('was not found');
      // The cause chain is still there to read, as a redacted copy of Node's error.
      expect(recorder.text()).toContain("code: 'ENOENT'");
      await expectNoLeak(recorder, registry, [ARGUMENT_SECRET, FLAG_SECRET, ENV_SECRET, SUBSTITUTED_SECRET]);
    } finally {
      await registry.close();
    }
  });
});

describe('URL userinfo in the configuration', () => {
  const userinfoServers = () => ({
    crm: { url: `https://bot:${encodeURIComponent(PASSWORD)}@crm.example.com/mcp` },
    tokens: {
      url: 'https://tokens.example.com/mcp',
      auth: {
        type: 'client_credentials' as const,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        tokenUrl: `https://bot:${encodeURIComponent(PASSWORD)}@login.example.com/token`,
      },
    },
  });

  it('fails only the servers concerned, as CONFIG_INVALID naming the path, without the password', async () => {
    const recorder = createOutputRecorder();
    await using registry = await createRegistry({
      logger: recorder.logger,
      listeners: recorder.listeners,
      cache: 'none',
      mcpServers: userinfoServers(),
    });
    const servers = registry.servers();
    expect(servers.map((server) => [server.name, server.status, server.error?.code])).toEqual([
      ['crm', 'failed', 'CONFIG_INVALID'],
      ['tokens', 'failed', 'CONFIG_INVALID'],
    ]);
    expect(servers[0]?.error?.message).toContain('mcpServers.crm.url');
    expect(servers[1]?.error?.message).toContain('mcpServers.tokens.auth.tokenUrl');
    recorder.record('servers', servers);
    assertNoSecrets(recorder.text(), [PASSWORD, { secret: PASSWORD, user: 'bot' }]);
  });

  it('is CONFIG_INVALID naming the path and suggesting headers, without the password (strict)', async () => {
    const recorder = createOutputRecorder();
    const failure = await createRegistry({
      logger: recorder.logger,
      cache: 'none',
      strictConfig: true,
      mcpServers: userinfoServers(),
    }).catch((error) => error);
    expect(ConfigError.isInstance(failure)).toBe(true);
    const issues = (failure as ConfigError).issues;
    expect(issues.map((issue) => issue.path)).toEqual([
      'mcpServers.crm.url',
      'mcpServers.tokens.auth.tokenUrl',
    ]);
    expect(issues[0]?.message).toMatch(/credentials.*"headers".*Authorization/);
    recorder.recordError('config-error', failure);
    assertNoSecrets(recorder.text(), [PASSWORD, { secret: PASSWORD, user: 'bot' }]);
  });

  it('is refused by a strict loadConfig too, naming the file', async () => {
    await using directory = await createTempDir('toolwire-userinfo-');
    const file = directory.file('mcp.json');
    await writeFile(
      file,
      JSON.stringify({
        mcpServers: { crm: { url: `http://bot:${encodeURIComponent(PASSWORD)}@127.0.0.1:9/mcp` } },
      }),
    );
    const failure = await loadConfig(file, { strict: true }).catch((error) => error);
    expect(ConfigError.isInstance(failure)).toBe(true);
    expect((failure as ConfigError).message).toContain(file);
    expect((failure as ConfigError).issues[0]?.path).toBe('mcpServers.crm.url');
    const recorder = createOutputRecorder();
    recorder.recordError('config-error', failure);
    assertNoSecrets(recorder.text(), [PASSWORD]);
  });
});
