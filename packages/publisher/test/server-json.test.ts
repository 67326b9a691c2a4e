/**
 * A publisher describes itself as an MCP Registry `server.json`, and that document, written to a
 * file, loads back into a toolwire registry that calls the published tools: over a bearer-token
 * protected endpoint (the document declares the `Authorization` header, the loader fills it from
 * `inputs`) and an open one. Bad descriptions fail with `CONFIG_INVALID` naming each field.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry, SERVER_JSON_SCHEMA_URL, silentLogger, ToolwireError } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, type ListeningPublisher, type Publisher } from '../src/index.js';
import { aiSDKTools, nativeTools } from './support/sample-tools.js';

const token = `tok-${Math.random().toString(36).slice(2)}`;
let scratch: string;
let secured: Publisher;
let securedListening: ListeningPublisher;
let open: Publisher;
let openListening: ListeningPublisher;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'toolwire-publisher-server-json-'));
  secured = createPublisher({
    name: 'finance-tools',
    version: '1.4.2',
    tools: [...nativeTools, aiSDKTools],
    http: {
      auth: {
        authorizationServers: ['https://auth.example.com'],
        verify: async (presented) => {
          if (presented !== token) throw new Error('unknown token');
          return {
            token: presented,
            clientId: 'team',
            scopes: [],
            expiresAt: Math.floor(Date.now() / 1000) + 3600,
          };
        },
      },
    },
    onError: () => {},
  });
  securedListening = await secured.listen();
  open = createPublisher({
    name: 'io.example/open-tools',
    version: '0.3.0',
    tools: nativeTools,
    onError: () => {},
  });
  openListening = await open.listen();
});

afterAll(async () => {
  await secured?.close();
  await open?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('publisher.serverJson()', () => {
  it('emits a server.json that loads back into a registry which calls the tools', async () => {
    const document = secured.serverJson({
      name: 'io.github.acme/finance-tools',
      title: 'Finance tools',
      description: 'Greeting and arithmetic tools for the finance team',
      remotes: [securedListening.url],
      repository: { url: 'https://github.com/acme/finance-tools', source: 'github' },
      meta: { team: 'finance' },
    });
    expect(document).toEqual({
      $schema: SERVER_JSON_SCHEMA_URL,
      name: 'io.github.acme/finance-tools',
      title: 'Finance tools',
      description: 'Greeting and arithmetic tools for the finance team',
      version: '1.4.2',
      repository: { url: 'https://github.com/acme/finance-tools', source: 'github' },
      remotes: [
        {
          type: 'streamable-http',
          url: securedListening.url,
          headers: [
            {
              name: 'Authorization',
              description: 'Bearer access token for this server',
              value: 'Bearer {token}',
              isRequired: true,
              isSecret: true,
              variables: { token: { description: 'Access token', isRequired: true, isSecret: true } },
            },
          ],
        },
      ],
      _meta: { 'io.modelcontextprotocol.registry/publisher-provided': { team: 'finance' } },
    });
    expect(SERVER_JSON_SCHEMA_URL).toMatch(
      /^https:\/\/static\.modelcontextprotocol\.io\/schemas\/\d{4}-\d{2}-\d{2}\/server\.schema\.json$/,
    );

    const file = join(scratch, 'finance-tools.server.json');
    writeFileSync(file, JSON.stringify(document, null, 2));
    const openFile = join(scratch, 'open-tools.server.json');
    writeFileSync(
      openFile,
      JSON.stringify(open.serverJson({ description: 'Open tools', remotes: [openListening.url] })),
    );

    const registry = await createRegistry({
      serverJson: [{ path: file, inputs: { token: '${FINANCE_TOKEN}' } }, openFile],
      env: { FINANCE_TOKEN: token },
      cache: 'none',
      logger: silentLogger,
    });
    try {
      expect(registry.servers().map((server) => [server.name, server.status, server.error?.message])).toEqual(
        [
          ['finance-tools', 'active', undefined],
          ['open-tools', 'active', undefined],
        ],
      );
      const greeting = await registry.callTool('finance-tools__greet', { name: 'Ada', excited: true });
      expect(greeting.text).toBe('Hello, Ada!');
      const sum = await registry.callTool('finance-tools__ai_add', { a: 40, b: 2 });
      expect(sum.structuredContent ?? JSON.parse(sum.text)).toMatchObject({ sum: 42 });
      expect((await registry.callTool('open-tools__greet', { name: 'Bo' })).text).toBe('Hello, Bo.');
    } finally {
      await registry.close();
    }
  });

  it('without the token the document names, the loader says what is missing', async () => {
    const file = join(scratch, 'no-token.server.json');
    writeFileSync(
      file,
      JSON.stringify(
        secured.serverJson({
          name: 'io.github.acme/finance-tools',
          description: 'x',
          remotes: [securedListening.url],
        }),
      ),
    );
    const missing = expect.stringContaining('remotes[0] (streamable-http) needs "token"; give it in inputs');
    // One server's problem fails that server only…
    await using registry = await createRegistry({ serverJson: [file], cache: 'none', logger: silentLogger });
    expect(registry.servers()).toEqual([
      expect.objectContaining({
        status: 'failed',
        error: expect.objectContaining({ code: 'CONFIG_INVALID', message: missing }),
      }),
    ]);
    // …and rejects the whole configuration in strict mode.
    await expect(
      createRegistry({ serverJson: [file], cache: 'none', logger: silentLogger, strictConfig: true }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: missing });
  });

  it('refuses a document the registry would reject, naming every field', () => {
    let error: unknown;
    try {
      secured.serverJson({
        description: 'x'.repeat(101),
        version: '^1.4.0',
        remotes: ['ftp://tools.example.com'],
        packages: [
          {
            registryType: 'npm',
            identifier: '@acme/finance-tools',
            version: 'latest',
            transport: { type: 'stdio' },
          },
        ],
      });
    } catch (caught) {
      error = caught;
    }
    expect(ToolwireError.isInstance(error) && error.code).toBe('CONFIG_INVALID');
    const message = (error as Error).message;
    expect(message).toContain(
      'name: expected a reverse-DNS name with one slash, e.g. "io.github.acme/finance-tools"',
    );
    expect(message).toContain('pass serverJson({ name })');
    expect(message).toContain('description: at most 100 characters, got 101');
    expect(message).toContain('version: expected one exact version such as "1.2.0", got "^1.4.0"');
    expect(message).toContain('remotes[0].url: expected an http:// or https:// URL');
    expect(message).toContain('packages[0].version: expected one exact version, got "latest"');
    expect(() => open.serverJson({ description: 'Open tools' })).toThrow(/give at least one/);
    expect(() => open.serverJson({ remotes: [openListening.url] })).toThrow(/description: required/);
  });

  it('describes packages as given, and remotes without auth without headers', () => {
    const document = open.serverJson({
      description: 'Open tools',
      remotes: [
        { url: 'https://tools.example.com/{tenant}/mcp', variables: { tenant: { isRequired: true } } },
      ],
      packages: [
        {
          registryType: 'npm',
          identifier: '@example/open-tools',
          version: '0.3.0',
          transport: { type: 'stdio' },
          environmentVariables: [{ name: 'OPEN_TOOLS_KEY', isRequired: true, isSecret: true }],
        },
      ],
    });
    expect(document.remotes).toEqual([
      {
        type: 'streamable-http',
        url: 'https://tools.example.com/{tenant}/mcp',
        variables: { tenant: { isRequired: true } },
      },
    ]);
    expect(document.packages?.[0]).toMatchObject({ registryType: 'npm', identifier: '@example/open-tools' });
  });
});
