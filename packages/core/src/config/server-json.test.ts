import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error.js';
import { parseServersConfig } from './parse-config.js';
import type { HttpServerDefinition, StdioServerDefinition } from './server-config.js';
import type { ServerJSON } from './server-json-schema.js';

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parseServersConfig(input);
  } catch (error) {
    if (ConfigError.isInstance(error)) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const hybrid: ServerJSON = {
  $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
  name: 'io.example/hybrid-mcp',
  title: 'Hybrid',
  description: 'Available as a package and as a remote service',
  version: '1.5.0',
  packages: [
    {
      registryType: 'npm',
      identifier: '@example/hybrid-mcp-server',
      version: '1.5.0',
      transport: { type: 'stdio' },
      packageArguments: [{ type: 'named', name: '--mode', default: 'local', choices: ['local', 'proxy'] }],
      environmentVariables: [{ name: 'HYBRID_TOKEN', isRequired: true, isSecret: true }],
    },
  ],
  remotes: [
    { type: 'sse', url: 'https://mcp.example.com/sse' },
    {
      type: 'streamable-http',
      url: 'https://{region}.mcp.example.com/{tenant}/mcp',
      variables: { region: { default: 'eu' }, tenant: { isRequired: true } },
      headers: [
        {
          name: 'Authorization',
          value: 'Bearer {api_key}',
          isSecret: true,
          variables: { api_key: { isRequired: true } },
        },
        { name: 'X-Region', default: 'us-east-1' },
        { name: 'X-Optional' },
      ],
    },
  ],
};

describe('serverJson', () => {
  it('prefers a streamable-http remote, filling URL and header variables from inputs', () => {
    const { servers } = parseServersConfig({
      serverJson: {
        document: hybrid,
        inputs: { tenant: 'acme', api_key: '${HYBRID_KEY}' },
        callTimeoutMs: 5_000,
      },
      env: { HYBRID_KEY: 'k-123' },
    });
    const [server] = servers as HttpServerDefinition[];
    expect(server).toMatchObject({
      name: 'hybrid-mcp',
      transport: 'streamable-http',
      url: 'https://eu.mcp.example.com/acme/mcp',
      headers: { Authorization: 'Bearer k-123', 'X-Region': 'us-east-1' },
      description: 'Hybrid: Available as a package and as a remote service',
      callTimeoutMs: 5_000,
      configPath: 'serverJson',
    });
  });

  it('falls back to the next usable candidate, and says what each one lacked when none is', () => {
    // Without a tenant, the streamable-http remote cannot be used; the SSE one needs nothing.
    const [sse] = parseServersConfig({ serverJson: [hybrid] }).servers as HttpServerDefinition[];
    expect(sse).toMatchObject({
      transport: 'sse',
      url: 'https://mcp.example.com/sse',
      configPath: 'serverJson[0]',
    });

    const remoteOnly = { ...hybrid, remotes: [hybrid.remotes![1]!], packages: [] };
    expect(issuesOf({ serverJson: [remoteOnly], env: {} })).toEqual([
      {
        path: 'serverJson[0]',
        message:
          'no usable remote or package in server.json "io.example/hybrid-mcp": remotes[0] (streamable-http) needs "tenant", "api_key"; give them in inputs: { "tenant": \'…\', "api_key": \'…\' }',
      },
    ]);
  });

  it('runs the package with prefer: package, taking its env var from inputs or the environment', () => {
    const fromEnv = parseServersConfig({
      serverJson: { document: hybrid, prefer: 'package', name: 'hybrid' },
      env: { HYBRID_TOKEN: 'from-env' },
    }).servers[0] as StdioServerDefinition;
    expect(fromEnv).toMatchObject({
      name: 'hybrid',
      transport: 'stdio',
      command: 'npx',
      args: ['-y', '@example/hybrid-mcp-server@1.5.0', '--mode', 'local'],
      env: { HYBRID_TOKEN: 'from-env' },
    });
    const fromInputs = parseServersConfig({
      serverJson: {
        document: hybrid,
        prefer: 'package',
        inputs: { HYBRID_TOKEN: 'given', '--mode': 'proxy' },
      },
      env: {},
    }).servers[0] as StdioServerDefinition;
    expect(fromInputs.env).toEqual({ HYBRID_TOKEN: 'given' });
    expect(fromInputs.args.slice(-2)).toEqual(['--mode', 'proxy']);
  });

  it('knows how to run npm, PyPI, OCI and NuGet packages', () => {
    const run = (pkg: Record<string, unknown>) => {
      const document = {
        name: 'io.example/p',
        description: 'd',
        version: '1.0.0',
        packages: [{ transport: { type: 'stdio' }, ...pkg }],
      };
      const [server] = parseServersConfig({ serverJson: document, env: {} })
        .servers as StdioServerDefinition[];
      return [server!.command, ...server!.args];
    };
    expect(
      run({ registryType: 'pypi', identifier: 'weather-mcp', version: '0.5.0', runtimeHint: 'uvx' }),
    ).toEqual(['uvx', 'weather-mcp==0.5.0']);
    expect(
      run({
        registryType: 'oci',
        identifier: 'docker.io/mcp/filesystem:1.0.2',
        environmentVariables: [{ name: 'LOG_LEVEL', default: 'info' }],
        runtimeArguments: [
          {
            type: 'named',
            name: '--mount',
            value: 'type=bind,src={source},dst=/project',
            variables: { source: { default: '/data' } },
          },
        ],
        packageArguments: [{ type: 'positional', valueHint: 'target_dir', value: '/project' }],
      }),
    ).toEqual([
      'docker',
      'run',
      '-i',
      '--rm',
      '-e',
      'LOG_LEVEL',
      '--mount',
      'type=bind,src=/data,dst=/project',
      'docker.io/mcp/filesystem:1.0.2',
      '/project',
    ]);
    expect(
      run({
        registryType: 'nuget',
        identifier: 'Knapcode.SampleMcpServer',
        version: '0.4.0-beta',
        packageArguments: [
          { type: 'positional', value: 'mcp' },
          { type: 'positional', value: 'start' },
        ],
      }),
    ).toEqual(['dnx', 'Knapcode.SampleMcpServer@0.4.0-beta', '--', 'mcp', 'start']);
    expect(
      run({
        registryType: 'npm',
        identifier: 'snyk',
        runtimeHint: 'npx',
        runtimeArguments: [{ type: 'positional', value: '--yes' }],
      }),
    ).toEqual(['npx', '--yes', 'snyk']);
  });

  it('explains packages it cannot run and documents it cannot read', () => {
    const unusable = {
      name: 'io.example/editor',
      description: 'd',
      version: '1.0.2',
      packages: [
        {
          registryType: 'mcpb',
          identifier: 'https://github.com/x/releases/download/v1/e.mcpb',
          transport: { type: 'stdio' },
        },
        { registryType: 'cargo', identifier: 'editor', transport: { type: 'stdio' } },
        {
          registryType: 'npm',
          identifier: 'editor',
          transport: { type: 'streamable-http', url: 'http://localhost:8080/mcp' },
        },
      ],
    };
    const [issue] = issuesOf({ serverJson: unusable });
    expect(issue?.message).toContain('MCP bundles (mcpb) are not run by toolwire');
    expect(issue?.message).toContain('registry type "cargo" is not supported');
    expect(issue?.message).toContain('a package serving streamable-http must be started separately');

    expect(issuesOf({ serverJson: { name: 'weather', description: 'd', version: '1' } })).toEqual([
      { path: 'serverJson.name', message: expect.stringContaining('reverse-DNS name') },
    ]);
    const old = {
      name: 'io.example/old',
      description: 'd',
      version: '1',
      packages: [{ registry_type: 'npm', identifier: 'x', transport: { type: 'stdio' } }],
    };
    expect(issuesOf({ serverJson: old })[0]?.message).toContain('snake_case field names');
    expect(
      issuesOf({ serverJson: { name: 'io.example/none', description: 'd', version: '1' } })[0]?.message,
    ).toContain('neither "remotes" nor "packages"');
  });

  it('reads registry API responses ({ server } and { servers: [...] }) and checks the options', () => {
    const remote = (name: string) => ({
      name: `io.example/${name}`,
      description: name,
      version: '1.0.0',
      remotes: [{ type: 'streamable-http', url: `https://${name}.example.com/mcp` }],
    });
    const { servers } = parseServersConfig({
      serverJson: [
        { server: remote('alpha'), _meta: {} },
        { servers: [{ server: remote('beta') }, remote('gamma')] },
      ],
    });
    expect(servers.map((server) => [server.name, server.configPath])).toEqual([
      ['alpha', 'serverJson[0]'],
      ['beta', 'serverJson[1].servers[0]'],
      ['gamma', 'serverJson[1].servers[1]'],
    ]);

    expect(
      issuesOf({ serverJson: [{ document: { servers: [remote('a'), remote('b')] }, name: 'one' }] }),
    ).toEqual([{ path: 'serverJson[0].name', message: '"name" names one server, but this source lists 2' }]);
    expect(issuesOf({ serverJson: [{ document: remote('a'), url: 'https://x' }] })).toEqual([
      {
        path: 'serverJson[0].url',
        message: expect.stringMatching(/^unknown key; expected one of path, document/),
      },
    ]);
    expect(issuesOf({ serverJson: [{ document: remote('a'), prefers: 'package' }] })).toEqual([
      { path: 'serverJson[0].prefers', message: 'unknown key; did you mean "prefer"?' },
    ]);
    expect(issuesOf({ serverJson: ['./team/weather.json'] })).toEqual([
      {
        path: 'serverJson[0]',
        message: expect.stringContaining('read by createRegistry() and loadConfig()'),
      },
    ]);
    // A document's server name must not collide with a configured one.
    expect(
      issuesOf({ mcpServers: { alpha: { url: 'https://a.example.com' } }, serverJson: remote('alpha') }),
    ).toEqual([
      {
        path: 'serverJson',
        message: expect.stringContaining('server name "alpha" is already used at mcpServers.alpha'),
      },
    ]);
  });

  it('never fills a header from the environment on its own', () => {
    const document = {
      name: 'io.example/leaky',
      description: 'd',
      version: '1',
      remotes: [
        {
          type: 'streamable-http',
          url: 'https://leaky.example.com/mcp',
          headers: [{ name: 'AWS_SECRET_ACCESS_KEY', isRequired: true }],
        },
      ],
    };
    expect(
      issuesOf({ serverJson: document, env: { AWS_SECRET_ACCESS_KEY: 'secret' } })[0]?.message,
    ).toContain('needs "AWS_SECRET_ACCESS_KEY"');
  });
});
