import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDir, type TempDir } from '../../test/support/index.js';
import { ConfigError } from '../errors/config-error.js';
import { loadConfig } from './load-config.js';

describe('loadConfig', () => {
  let dir: TempDir;

  beforeAll(async () => {
    dir = await createTempDir();
  });

  afterAll(async () => {
    await dir?.remove();
  });

  async function write(name: string, text: string): Promise<string> {
    const path = dir.file(name);
    await writeFile(path, text);
    return path;
  }

  async function failure(path: string, options?: Parameters<typeof loadConfig>[1]): Promise<ConfigError> {
    const error = await loadConfig(path, options).then(
      () => {
        throw new Error('expected loadConfig to fail');
      },
      (caught: unknown) => caught,
    );
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).source).toBe(path);
    expect((error as ConfigError).message).toContain(path);
    return error as ConfigError;
  }

  it('reads a desktop client file and keeps only the keys it understands', async () => {
    const path = await write(
      'claude_desktop_config.json',
      JSON.stringify({
        globalShortcut: 'Ctrl+Space',
        mcpServers: { files: { command: 'npx', args: ['-y', 'server-filesystem', '/data'] } },
        callTimeoutMs: 5_000,
      }),
    );
    expect(await loadConfig(path)).toEqual({
      mcpServers: { files: { command: 'npx', args: ['-y', 'server-filesystem', '/data'] } },
      callTimeoutMs: 5_000,
    });
  });

  it('reads JSONC: comments and trailing commas, leaving strings alone', async () => {
    const path = await write(
      'mcp.jsonc',
      `{
        // VS Code style
        "servers": {
          "web": { "url": "https://example.com//mcp/*not-a-comment*/", /* inline */ "headers": { "X": "a,}" }, },
        },
      }`,
    );
    expect(await loadConfig(path)).toEqual({
      servers: { web: { url: 'https://example.com//mcp/*not-a-comment*/', headers: { X: 'a,}' } } },
    });
  });

  it('names the file when it is missing', async () => {
    const error = await failure(dir.file('nope.json'));
    expect(error.issues).toEqual([{ path: '', message: 'cannot read config: file not found' }]);
  });

  it('reads VS Code mcp.json: comments after trailing commas, comments anywhere, a BOM', async () => {
    const path = await write(
      'vscode-mcp.json',
      `\uFEFF// VS Code: .vscode/mcp.json
{
  "inputs": [{ "type": "promptString", "id": "token", "password": true, }, // prompt once
  ],
  "servers": {
    "web": {
      "type": "http",
      "url": "https://example.com/mcp", // remote
      "headers": { "Authorization": "Bearer \${env:WEB_TOKEN}", /* from the environment */ },
    }, // trailing comma, then this comment
    /* block */ "local": { "command": "node", "args": ["server.js",], "__proto__": { "cwd": "/" } },
  },
}
`,
    );
    const loaded = await loadConfig(path, { env: { WEB_TOKEN: 't' } });
    expect(loaded).toEqual({
      servers: {
        web: {
          type: 'http',
          url: 'https://example.com/mcp',
          headers: { Authorization: 'Bearer ${env:WEB_TOKEN}' },
        },
        local: JSON.parse('{ "command": "node", "args": ["server.js"], "__proto__": { "cwd": "/" } }'),
      },
    });
    // As JSON.parse does: "__proto__" is a key like any other, not the object's prototype.
    const local = (loaded.servers as Record<string, object>).local as object;
    expect(Object.getPrototypeOf(local)).toBe(Object.prototype);
    expect(Object.keys(local)).toContain('__proto__');
  });

  it('names the file, line and column of every syntax error, and where in the config it is', async () => {
    const path = await write(
      'broken.jsonc',
      [
        '{',
        '  "mcpServers": {',
        '    "crm": { "url": "https://crm.example.com/mcp" }',
        '    "web": {}',
        '  }',
        '}',
      ].join('\n'),
    );
    const error = await failure(path);
    expect(error.issues).toEqual([
      {
        path: 'mcpServers.web',
        line: 4,
        column: 5,
        message: `not valid JSONC at ${path}:4:5: expected ","`,
      },
    ]);
    expect(error.message).toContain(`${path}:4:5`);
    const unclosed = await failure(await write('unclosed.json', '{ "mcpServers": { /* never closed'));
    expect(unclosed.issues[0]).toMatchObject({
      line: 1,
      column: 19,
      message: expect.stringContaining('comment not closed'),
    });
  });

  it('names the file when it is not JSON, not an object, or has no servers', async () => {
    expect((await failure(await write('bad.json', '{ "mcpServers": { '))).issues[0]?.message).toMatch(
      /^not valid JSONC at .*bad\.json:1:19: /,
    );
    expect((await failure(await write('list.json', '[]'))).issues[0]?.message).toBe('expected a JSON object');
    expect((await failure(await write('empty.json', '{"theme": "dark"}'))).issues[0]?.message).toContain(
      'no "mcpServers", "servers" or "serverJson"',
    );
    expect((await failure(await write('near.json', '{"mcpServer": {}}'))).issues[0]?.message).toBe(
      'no "mcpServers", "servers" or "serverJson" found; found "mcpServer": did you mean "mcpServers"?',
    );
  });

  it('rejects a key of ours spelt another way, and ignores the app’s own settings', async () => {
    const path = await write(
      'respelt.json',
      JSON.stringify({ theme: 'dark', mcpServers: { a: { command: 'x' } }, callTimeoutMS: 5_000 }),
    );
    expect((await failure(path)).issues).toEqual([
      { path: 'callTimeoutMS', message: 'unknown key; did you mean "callTimeoutMs"?' },
    ]);
  });

  it('with strict, validates the servers and names the file and the path of each problem', async () => {
    const path = await write(
      'invalid.json',
      JSON.stringify({ mcpServers: { web: { url: 'ftp://x' }, empty: {} } }),
    );
    // By default a server's own problems are left to createRegistry, which fails that server.
    expect(await loadConfig(path)).toEqual({ mcpServers: { web: { url: 'ftp://x' }, empty: {} } });
    const error = await failure(path, { strict: true });
    expect(error.issues.map((issue) => issue.path)).toEqual(['mcpServers.web.url', 'mcpServers.empty']);
    expect(error.message).toContain(`Invalid toolwire configuration in ${path}`);
  });

  it('checks ${ENV} references against the given env, and keeps them unexpanded', async () => {
    const path = await write(
      'env.json',
      JSON.stringify({ mcpServers: { api: { url: 'https://${API_HOST}/mcp' } } }),
    );
    const error = await failure(path, { env: {}, strict: true });
    expect(error.issues).toEqual([
      { path: 'mcpServers.api.url', message: expect.stringContaining('API_HOST') },
    ]);
    expect(await loadConfig(path, { env: {} })).toEqual({
      mcpServers: { api: { url: 'https://${API_HOST}/mcp' } },
    });
    expect(await loadConfig(path, { env: { API_HOST: 'example.com' } })).toEqual({
      mcpServers: { api: { url: 'https://${API_HOST}/mcp' } },
    });
  });
});
