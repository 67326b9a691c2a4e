import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDir, type TempDir } from '../../test/support/index.js';
import { ConfigError } from '../errors/config-error.js';
import { loadConfig, stripJsonComments } from './load-config.js';

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

  it('names the file when it is not JSON, not an object, or has no servers', async () => {
    expect((await failure(await write('bad.json', '{ "mcpServers": { '))).issues[0]?.message).toMatch(
      /^not valid JSON/,
    );
    expect((await failure(await write('list.json', '[]'))).issues[0]?.message).toBe('expected a JSON object');
    expect((await failure(await write('empty.json', '{"theme": "dark"}'))).issues[0]?.message).toContain(
      'no "mcpServers", "servers" or "serverJson"',
    );
  });

  it('validates the servers and names the file and the path of each problem', async () => {
    const path = await write(
      'invalid.json',
      JSON.stringify({ mcpServers: { web: { url: 'ftp://x' }, empty: {} } }),
    );
    const error = await failure(path);
    expect(error.issues.map((issue) => issue.path)).toEqual(['mcpServers.web.url', 'mcpServers.empty']);
    expect(error.message).toContain(`Invalid toolwire configuration in ${path}`);
  });

  it('checks ${ENV} references against the given env, and keeps them unexpanded', async () => {
    const path = await write(
      'env.json',
      JSON.stringify({ mcpServers: { api: { url: 'https://${API_HOST}/mcp' } } }),
    );
    const error = await failure(path, { env: {} });
    expect(error.issues).toEqual([
      { path: 'mcpServers.api.url', message: expect.stringContaining('API_HOST') },
    ]);
    expect(await loadConfig(path, { env: { API_HOST: 'example.com' } })).toEqual({
      mcpServers: { api: { url: 'https://${API_HOST}/mcp' } },
    });
  });
});

describe('stripJsonComments', () => {
  it('handles escaped quotes inside strings', () => {
    expect(JSON.parse(stripJsonComments('{"a": "say \\"//hi\\"", // c\n "b": 1,}'))).toEqual({
      a: 'say "//hi"',
      b: 1,
    });
  });
});
