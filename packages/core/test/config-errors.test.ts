/**
 * With `strictConfig: true`, bad configuration never starts anything: `createRegistry` rejects
 * with one `ConfigError` (`CONFIG_INVALID`) listing every problem by its exact path, and no
 * message repeats a secret from the configuration. Problems of the whole configuration reject
 * in the default mode too (per-server problems there: `config-isolation.test.ts`).
 */
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  type ConfigIssue,
  createRegistry,
  type RegistryOptions,
  silentLogger,
} from '../src/index.js';
import { childProcessIds } from './support/index.js';

async function configError(options: RegistryOptions): Promise<ConfigError> {
  const error = await createRegistry({ logger: silentLogger, strictConfig: true, ...options }).then(
    async (registry) => {
      await registry.close();
      throw new Error('expected createRegistry to reject');
    },
    (caught: unknown) => caught,
  );
  expect(ConfigError.isInstance(error), String(error)).toBe(true);
  expect((error as ConfigError).code).toBe('CONFIG_INVALID');
  return error as ConfigError;
}

const issue = (path: string, message: RegExp | string): ConfigIssue =>
  ({
    path,
    message: typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message),
  }) as ConfigIssue;

describe('invalid configuration', () => {
  it('names an unknown transport', async () => {
    const error = await configError({
      mcpServers: { chat: { type: 'websocket' as 'sse', url: 'https://x.example/mcp' } },
    });
    expect(error.issues).toEqual([issue('mcpServers.chat.type', 'unknown transport')]);
    expect(error.message).toContain('mcpServers.chat.type');
  });

  it('names a server with neither url nor command, and one missing the url its type needs', async () => {
    const error = await configError({ mcpServers: { empty: {}, legacy: { type: 'sse' } } });
    expect(error.issues).toEqual([
      issue('mcpServers.empty', 'needs either "command"'),
      issue('mcpServers.legacy.url', 'a sse server needs "url"'),
    ]);
  });

  it('names every value of the wrong type, in one error', async () => {
    const error = await configError({
      servers: {
        files: {
          command: 42 as unknown as string,
          args: '--root /data' as unknown as string[],
          env: { DEBUG: true as unknown as string },
          connectTimeoutMs: -5,
          enabledTools: 'read_*' as unknown as string[],
        },
        web: { url: 'not a url', headers: 'Authorization: x' as unknown as Record<string, string> },
      },
      callTimeoutMs: 1.5,
    });
    expect(error.issues.map((entry) => entry.path).sort()).toEqual(
      [
        'callTimeoutMs',
        'servers.files.command',
        'servers.files.args',
        'servers.files.env.DEBUG',
        'servers.files.connectTimeoutMs',
        'servers.files.enabledTools',
        'servers.web.url',
        'servers.web.headers',
      ].sort(),
    );
  });

  it('names the path of an unset ${ENV} variable', async () => {
    const error = await configError({
      mcpServers: {
        crm: {
          url: 'https://${CRM_HOST}/mcp',
          headers: { 'X-Api-Key': '${CRM_API_KEY}' },
        },
      },
      env: { CRM_HOST: 'crm.example.com' },
    });
    expect(error.issues).toEqual([issue('mcpServers.crm.headers.X-Api-Key', /CRM_API_KEY is not set/)]);
  });

  it('names paths inside the seed list shapes', async () => {
    const error = await configError({
      servers: [
        { name: 'gh', customType: 'http', config: { url: 'https://mcp.example.com' } },
        { name: 'broken', customType: 'sse', config: { url: 42 } },
        { executionType: 'mcp', url: 'ftp://weather.example.com' },
      ],
    });
    expect(error.issues).toEqual([
      issue('servers[1].config.url', /url/i),
      issue('servers[2].url', 'http://'),
    ]);
  });

  it('never repeats a secret in its message', async () => {
    const secret = 'sk-live-0123456789abcdef';
    const error = await configError({
      mcpServers: {
        api: {
          url: 'https://api.example.com/mcp',
          headers: { Authorization: 'Bearer ${API_TOKEN}' },
          disabled: 'no' as unknown as boolean,
        },
        tool: { command: 'tool', env: { TOKEN: '${API_TOKEN}' }, cwd: '' },
      },
      env: { API_TOKEN: secret },
    });
    expect(error.issues.map((entry) => entry.path)).toEqual([
      'mcpServers.api.disabled',
      'mcpServers.tool.cwd',
    ]);
    expect(
      JSON.stringify({ message: error.message, issues: error.issues, json: error.toJSON() }),
    ).not.toContain(secret);
  });

  it('starts no server when the configuration is invalid', async () => {
    const before = childProcessIds();
    await configError({
      mcpServers: { ok: { command: process.execPath, args: ['-e', 'setTimeout(() => {}, 60000)'] }, bad: {} },
    });
    expect(childProcessIds()).toEqual(before);
  });

  it('rejects problems of the whole configuration in the default mode too, with the rest', async () => {
    const before = childProcessIds();
    const error = await configError({
      strictConfig: false,
      mcpServers: {
        ok: { command: process.execPath, args: ['-e', 'setTimeout(() => {}, 60000)'] },
        bad: { url: 'ftp://x' },
      },
      naming: { seperator: '--' } as never,
      callTimeoutMs: 0,
    });
    expect(error.issues).toEqual([
      issue('callTimeoutMs', 'must be positive'),
      issue('naming.seperator', 'unknown key; did you mean "separator"?'),
      issue('mcpServers.bad.url', 'http://'),
    ]);
    expect(childProcessIds()).toEqual(before);
  });

  it('suggests the option meant by an unknown top-level key', async () => {
    const error = await configError({ strictConfig: false, mcpservers: {} } as RegistryOptions);
    expect(error.issues).toEqual([issue('mcpservers', 'unknown option; did you mean "mcpServers"?')]);
  });

  it('suggests the key meant in the registry’s own option objects', async () => {
    const error = await configError({
      strictConfig: false,
      mcpServers: {},
      pool: { maxConnections: 4 } as never,
      listeners: { 'server:stats': () => {} } as never,
      storeRetry: { firstPause: 50 } as never,
    });
    expect(error.issues).toEqual([
      issue('pool.maxConnections', 'unknown key; expected one of maxConnectionsPerServer, idleTimeoutMs'),
      issue('listeners["server:stats"]', 'unknown key; did you mean "server:status"?'),
      issue('storeRetry.firstPause', 'unknown key; did you mean "firstPauseMs"?'),
    ]);
  });

  it('names a store retry pause that is not a usable timer', async () => {
    const error = await configError({ strictConfig: false, mcpServers: {}, storeRetry: { maxPauseMs: -1 } });
    expect(error.issues).toEqual([issue('storeRetry.maxPauseMs', /.+/)]);
  });
});
