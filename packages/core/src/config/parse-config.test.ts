import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import { parseServersConfig } from './parse-config.js';

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parseServersConfig(input);
  } catch (error) {
    if (ConfigError.isInstance(error)) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseServersConfig', () => {
  it('reads the desktop mcpServers shape', () => {
    const { servers } = parseServersConfig({
      mcpServers: {
        files: { command: 'npx', args: ['-y', 'server'], env: { A: '1' } },
        web: { url: 'https://example.com/mcp', headers: { 'X-Key': 'k' } },
        legacy: { type: 'sse', url: 'https://example.com/sse' },
      },
    });
    expect(servers.map((server) => [server.name, server.transport])).toEqual([
      ['files', 'stdio'],
      ['web', 'auto'],
      ['legacy', 'sse'],
    ]);
  });

  it('reads the seed list and tool shapes', () => {
    const { servers } = parseServersConfig({
      servers: [
        {
          name: 'gh',
          isCustom: true,
          customType: 'http',
          config: { url: 'https://mcp.github.com' },
          enabledTools: [],
        },
        { name: 'local', customType: 'json', config: { command: 'node', args: ['x.js'] } },
        { executionType: 'mcp', url: 'https://weather.example.com', description: 'Weather' },
      ],
    });
    expect(servers.map((server) => [server.name, server.transport, server.configPath])).toEqual([
      ['gh', 'streamable-http', 'servers[0]'],
      ['local', 'stdio', 'servers[1]'],
      ['weather_example_com', 'auto', 'servers[2]'],
    ]);
  });

  it('names the exact path of every problem', () => {
    expect(
      issuesOf({
        mcpServers: {
          a: { type: 'carrier-pigeon', url: 'https://x' },
          b: {},
          c: { command: 'x', args: 'not-a-list' },
          d: { url: 'ftp://nope' },
        },
      }),
    ).toEqual([
      { path: 'mcpServers.a.type', message: expect.stringContaining('unknown transport') },
      { path: 'mcpServers.b', message: expect.stringContaining('needs either "command"') },
      { path: 'mcpServers.c.args', message: expect.stringContaining('expected array') },
      { path: 'mcpServers.d.url', message: expect.stringContaining('http://') },
    ]);
  });

  it('expands ${VAR} and reports unset variables by path', () => {
    const { servers } = parseServersConfig({
      mcpServers: { a: { url: 'https://${HOST}/mcp', headers: { Authorization: 'Bearer ${TOKEN:-none}' } } },
      env: { HOST: 'example.com' },
    });
    const [server] = servers;
    expect(server?.transport !== 'stdio' && server?.url).toBe('https://example.com/mcp');
    expect(server?.transport !== 'stdio' && server?.headers).toEqual({ Authorization: 'Bearer none' });
    expect(
      issuesOf({ mcpServers: { a: { command: 'x', env: { KEY: '${MISSING_KEY}' } } }, env: {} }),
    ).toEqual([{ path: 'mcpServers.a.env.KEY', message: expect.stringContaining('MISSING_KEY is not set') }]);
  });

  it('rejects unknown top-level options and unknown seed types', () => {
    expect(issuesOf({ mcpservers: {} })[0]?.path).toBe('mcpservers');
    expect(
      issuesOf({ servers: [{ name: 'x', customType: 'composio', config: { profile_id: 'p' } }] }),
    ).toEqual([
      { path: 'servers[0].customType', message: expect.stringContaining('unknown customType "composio"') },
    ]);
  });
});
