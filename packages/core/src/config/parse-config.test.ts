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

  it('suggests the key meant by an unknown one, at every level', () => {
    expect(
      issuesOf({
        mcpServers: {
          a: { comand: 'node' },
          b: { url: 'https://b.example.com/mcp', auth: { type: 'bearer', tokn: 'x', token: 'y' } },
          c: { command: 'node', enabledtools: ['read_*'] },
          d: { command: 'node', disabled_tools: ['write_*'] },
        },
        servers: [
          { name: 'e', customType: 'http', config: { url: 42, header: {} } },
          { executionType: 'mcp', url: 'https://f.example.com', enabledTool: ['x'], description: 3 },
          { name: 'g', command: 'node', disable: true },
        ],
        naming: { prefx: 'never' },
      }),
    ).toEqual([
      { path: 'naming.prefx', message: 'unknown key; did you mean "prefix"?' },
      { path: 'mcpServers.a.comand', message: 'unknown key; did you mean "command"?' },
      { path: 'mcpServers.a', message: expect.stringContaining('needs either "command"') },
      { path: 'mcpServers.b.auth.tokn', message: 'unknown key; did you mean "token"?' },
      // One of ours in another spelling is an error even in an otherwise valid entry.
      { path: 'mcpServers.c.enabledtools', message: 'unknown key; did you mean "enabledTools"?' },
      { path: 'mcpServers.d.disabled_tools', message: 'unknown key; did you mean "disabledTools"?' },
      // In an entry that fails anyway, unknown keys are listed first: they are usually why.
      { path: 'servers[0].config.header', message: 'unknown key; did you mean "headers"?' },
      { path: 'servers[0].config.url', message: expect.stringContaining('http') },
      { path: 'servers[1].enabledTool', message: 'unknown key; did you mean "enabledTools"?' },
      { path: 'servers[1].description', message: expect.stringContaining('expected string') },
      // Ignoring a near miss of a key that restricts the server would widen what it may do.
      { path: 'servers[2].disable', message: 'unknown key; did you mean "disabled"?' },
    ]);
  });

  it('ignores other clients’ keys in a valid entry, with a warning that suggests the one meant', () => {
    const { servers, warnings } = parseServersConfig({
      mcpServers: {
        web: { url: 'https://web.example.com/mcp', header: { 'X-Key': 'k' } },
        files: { command: 'node', autoApprove: ['read'], timeout: 60 },
      },
    });
    expect(servers.map((server) => server.name)).toEqual(['web', 'files']);
    expect(warnings).toEqual([
      { path: 'mcpServers.web.header', message: 'unknown key, ignored; did you mean "headers"?' },
      { path: 'mcpServers.files.autoApprove', message: 'unknown key, ignored (not a toolwire option)' },
      { path: 'mcpServers.files.timeout', message: 'unknown key, ignored; did you mean "callTimeoutMs"?' },
    ]);
  });

  it('with strict: false, fails only the servers with problems of their own', () => {
    const parsed = parseServersConfig(
      {
        mcpServers: {
          ok: { command: 'node', args: ['server.js'] },
          api: { url: 'https://api.example.com/mcp', headers: { Authorization: 'Bearer ${API_TOKEN}' } },
          bad: { url: 'ftp://x', disabled: true },
        },
        servers: [{ name: 'listed', command: 'node', args: 7 }],
        env: {},
      },
      { strict: false },
    );
    expect(parsed.servers.map((server) => server.name)).toEqual(['ok']);
    expect(
      parsed.failed.map(({ definition, error }) => [
        definition.name,
        definition.configPath,
        definition.transport,
        definition.disabled,
        error.code,
        error.server,
        error.issues.map((issue) => issue.path),
      ]),
    ).toEqual([
      [
        'api',
        'mcpServers.api',
        'auto',
        false,
        'CONFIG_INVALID',
        'api',
        ['mcpServers.api.headers.Authorization'],
      ],
      // An entry that could not be read keeps its plain `disabled: true`, and nothing else.
      ['bad', 'mcpServers.bad', 'auto', true, 'CONFIG_INVALID', 'bad', ['mcpServers.bad.url']],
      ['listed', 'servers[0]', 'auto', false, 'CONFIG_INVALID', 'listed', ['servers[0].args']],
    ]);
    expect(parsed.failed[0]?.error.message).toBe(
      'Server "api" has an invalid configuration: mcpServers.api.headers.Authorization: environment variable API_TOKEN is not set (referenced as "${API_TOKEN}"); set it or write ${API_TOKEN:-default}',
    );

    // Problems of the whole configuration still throw, listed with the servers' own.
    const problems = {
      mcpServers: { a: { command: 'node' }, b: { url: 'ftp://x' } },
      servers: [{ command: 'nameless' }, { name: 'a', command: 'node' }],
    };
    let error: unknown;
    try {
      parseServersConfig(problems, { strict: false });
    } catch (caught) {
      error = caught;
    }
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues).toEqual([
      { path: 'mcpServers.b.url', message: expect.stringContaining('http') },
      { path: 'servers[0].name', message: 'each server in a list needs a non-empty "name"' },
      {
        path: 'servers[1]',
        message: expect.stringContaining('server name "a" is already used at mcpServers.a'),
      },
    ]);
  });
});
