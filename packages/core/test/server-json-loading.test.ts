/**
 * `server.json` documents as a shared catalogue: files and objects load into a registry that
 * calls their tools on real servers, a remote (the generated servers on loopback, behind a
 * bearer token the document declares as a header) and a package (the reference filesystem
 * server, run from its npm identifier and version). Unreadable files are config errors naming
 * the file; `loadConfig` reads documents relative to the config file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createRegistry, loadConfig, type ServerJSON, silentLogger } from '../src/index.js';
import { type CatalogueServers, startCatalogueServers } from './support/index.js';

const token = `tok-${Math.random().toString(36).slice(2)}`;
const offlineNpx = fileURLToPath(new URL('./fixtures/offline-npx.mjs', import.meta.url));
let catalogue: CatalogueServers;
let scratch: string;

beforeAll(async () => {
  catalogue = await startCatalogueServers({ token });
  scratch = mkdtempSync(join(tmpdir(), 'toolwire-server-json-'));
  writeFileSync(join(scratch, 'notes.txt'), 'shared catalogue works\n');
}, 60_000);

afterAll(async () => {
  await catalogue?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A team's document for one of the generated servers: the workspace in the URL, a bearer header. */
function workspaceDocument(workspace: string): ServerJSON {
  return {
    $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
    name: `com.example.tools/${workspace}`,
    description: `The ${workspace} workspace`,
    version: '1.0.0',
    remotes: [
      {
        type: 'streamable-http',
        url: `http://127.0.0.1:${catalogue.port}/{workspace}/mcp`,
        variables: { workspace: { default: workspace } },
        headers: [
          {
            name: 'Authorization',
            value: 'Bearer {token}',
            isSecret: true,
            variables: { token: { isRequired: true, isSecret: true } },
          },
        ],
      },
    ],
  };
}

const filesystemDocument: ServerJSON = {
  name: 'io.github.modelcontextprotocol/filesystem',
  title: 'Filesystem',
  description: 'Secure file operations with configurable access controls',
  version: '2026.8.31',
  packages: [
    {
      registryType: 'npm',
      identifier: '@modelcontextprotocol/server-filesystem',
      version: '2026.8.31',
      // Stands in for npx (no network in tests): node offline-npx.mjs <identifier@version> <args>.
      runtimeHint: process.execPath,
      runtimeArguments: [{ type: 'positional', value: offlineNpx }],
      packageArguments: [{ type: 'positional', valueHint: 'allowed_directory', isRequired: true }],
      transport: { type: 'stdio' },
    },
  ],
};

describe('loading servers from server.json', () => {
  it('loads files and objects, remotes and packages, and calls their tools', async () => {
    const weatherFile = join(scratch, 'weather.server.json');
    writeFileSync(weatherFile, JSON.stringify(workspaceDocument('weather'), null, 2));
    const registry = await createRegistry({
      serverJson: [
        { path: weatherFile, inputs: { token: '${CATALOGUE_TOKEN}' } },
        {
          document: workspaceDocument('crm'),
          name: 'sales',
          inputs: { token },
        },
        {
          document: filesystemDocument,
          inputs: { allowed_directory: scratch },
        },
      ],
      env: { CATALOGUE_TOKEN: token },
      cache: 'none',
      logger: silentLogger,
    });
    try {
      expect(
        registry.servers().map((server) => [server.name, server.status, server.transport, server.configPath]),
      ).toEqual([
        ['weather', 'active', 'streamable-http', 'serverJson[0]'],
        ['sales', 'active', 'streamable-http', 'serverJson[1]'],
        ['filesystem', 'active', 'stdio', 'serverJson[2]'],
      ]);
      const forecast = await registry.callTool('weather__get_forecast', { city: 'Oslo' });
      expect(forecast.structuredContent).toEqual({
        server: 'weather',
        tool: 'get_forecast',
        arguments: { city: 'Oslo' },
      });
      const contact = await registry.callTool('sales__create_contact', { email: 'ada@example.com' });
      expect(contact.isError).toBe(false);
      const notes = await registry.callTool('filesystem__read_text_file', {
        path: join(scratch, 'notes.txt'),
      });
      expect(notes.text).toContain('shared catalogue works');
      expect(JSON.stringify(registry.servers())).not.toContain(token);
    } finally {
      await registry.close();
    }
  });

  it('loadConfig reads documents relative to the config file', async () => {
    const directory = join(scratch, 'team');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(directory, 'servers'), { recursive: true });
    writeFileSync(join(directory, 'servers', 'billing.json'), JSON.stringify(workspaceDocument('billing')));
    writeFileSync(
      join(directory, 'mcp.json'),
      JSON.stringify({
        serverJson: [{ path: './servers/billing.json', inputs: { token: '${CATALOGUE_TOKEN}' } }],
      }),
    );
    const config = await loadConfig(join(directory, 'mcp.json'), { env: { CATALOGUE_TOKEN: token } });
    const registry = await createRegistry({
      ...config,
      env: { CATALOGUE_TOKEN: token },
      cache: 'none',
      logger: silentLogger,
    });
    try {
      expect(registry.server('billing')?.status).toBe('active');
      expect((await registry.callTool('billing__get_balance', {})).isError).toBe(false);
    } finally {
      await registry.close();
    }
  });

  it('fails only the server of a document it cannot use, or of a named file it cannot read', async () => {
    const registry = await createRegistry({
      serverJson: [
        { document: workspaceDocument('weather'), inputs: { token } },
        // Needs its token, from a variable that is not set.
        { document: workspaceDocument('crm'), inputs: { token: '${CRM_TOKEN}' } },
        { path: join(scratch, 'no-such.server.json'), name: 'billing' },
      ],
      env: {},
      cache: 'none',
      logger: silentLogger,
    });
    try {
      expect(registry.server('weather')?.status).toBe('active');
      expect((await registry.callTool('weather__get_forecast', { city: 'Oslo' })).isError).toBe(false);
      expect(registry.server('crm')).toMatchObject({
        status: 'failed',
        configPath: 'serverJson[1]',
        error: { code: 'CONFIG_INVALID', message: expect.stringContaining('CRM_TOKEN is not set') },
      });
      expect(registry.server('billing')?.error?.issues).toEqual([
        {
          path: 'serverJson[2].path',
          message: expect.stringMatching(
            /cannot read server\.json ".*no-such\.server\.json": file not found/,
          ),
        },
      ]);
    } finally {
      await registry.close();
    }
  });

  it('reports unreadable files and unusable documents as CONFIG_INVALID with their paths', async () => {
    const broken = join(scratch, 'broken.json');
    writeFileSync(broken, '{ "name": ');
    let error: unknown;
    try {
      await createRegistry({
        serverJson: [join(scratch, 'missing.json'), broken, workspaceDocument('crm')],
        mcpServers: { bad: { url: 'ftp://x' } },
        cache: 'none',
        logger: silentLogger,
      });
    } catch (caught) {
      error = caught;
    }
    expect(ConfigError.isInstance(error)).toBe(true);
    // Files without a server name make the whole configuration invalid: everything is listed.
    expect((error as ConfigError).issues).toEqual([
      { path: 'mcpServers.bad.url', message: expect.stringContaining('http://') },
      {
        path: 'serverJson[0]',
        message: expect.stringMatching(/cannot read server\.json ".*missing\.json": file not found/),
      },
      {
        path: 'serverJson[1]',
        line: 1,
        column: 11,
        message: expect.stringMatching(
          /^server\.json is not valid JSONC at .*broken\.json:1:11: expected a value$/,
        ),
      },
      { path: 'serverJson[2]', message: expect.stringContaining('needs "token"; give it in inputs') },
    ]);
  });
});
