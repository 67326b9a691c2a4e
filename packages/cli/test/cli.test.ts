/**
 * The CLI against real servers: server-everything and server-memory over stdio, a server that
 * reports tool errors, a refused port and a missing command (test/support/cli-configs.ts).
 * `tools`, `doctor` and usage errors run in-process through `runCli` with captured streams; one
 * test spawns the built executable as a user would. `toolwire call`: cli-call.test.ts.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliConfigs, runCliIn, writeCliConfigs } from './support/cli-configs.js';

const here = dirname(fileURLToPath(import.meta.url));

let configs: CliConfigs;
let directory: string;
let healthyConfig: string;
let mixedConfig: string;
let misconfiguredConfig: string;

beforeAll(async () => {
  configs = await writeCliConfigs();
  ({ directory, healthyConfig, mixedConfig, misconfiguredConfig } = configs);
});

afterAll(async () => {
  await configs?.close();
});

const run = (argv: string[], options?: Parameters<typeof runCliIn>[2]) => runCliIn(directory, argv, options);

describe('toolwire tools', () => {
  it('lists servers and tools and exits 0 when every server is up', async () => {
    const { code, stdout, stderr } = await run(['tools', '--config', healthyConfig]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^SERVER\s+TRANSPORT\s+STATUS\s+LATENCY\s+TOOLS\s+ERROR/m);
    expect(stdout).toMatch(/^everything\s+stdio\s+active\s+\d+ ms\s+\d+/m);
    expect(stdout).toMatch(/^memory\s+stdio\s+active/m);
    expect(stdout).toContain('everything__echo');
    expect(stdout).toContain('memory__create_entities');
    // Progress lines go to stderr, one per server as it settles (not a TTY: no redraws, no colour).
    expect(stderr.match(/✓ \w+ active \d+ ms/g)).toHaveLength(3);
    expect(stdout + stderr).not.toContain('\u001b[');
  });

  it('shows failed servers with their error and exits 1', async () => {
    const { code, stdout } = await run(['tools', '--config', mixedConfig]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^refused\s+auto\s+failed\s+-\s+0\s+.*connection refused/m);
    expect(stdout).toMatch(/^missing\s+stdio\s+failed\s+-\s+0\s+.*"toolwire-no-such-command" was not found/m);
    expect(stdout).toMatch(/^everything\s+stdio\s+active/m);
  });

  it('prints parseable JSON with --json', async () => {
    const { code, stdout } = await run(['tools', '--config', mixedConfig, '--json']);
    expect(code).toBe(1);
    const parsed = JSON.parse(stdout) as {
      servers: { name: string; status: string; error: { code: string } | null }[];
      tools: { name: string; inputSchema: unknown }[];
    };
    expect(parsed.servers.map((server) => [server.name, server.status, server.error?.code ?? null])).toEqual([
      ['everything', 'active', null],
      ['memory', 'active', null],
      ['errors', 'active', null],
      ['refused', 'failed', 'CONNECT_FAILED'],
      ['missing', 'failed', 'CONNECT_FAILED'],
    ]);
    const echo = parsed.tools.find((tool) => tool.name === 'everything__echo');
    expect(echo?.inputSchema).toMatchObject({ type: 'object', properties: { message: { type: 'string' } } });
  });

  it('shows servers whose own configuration is wrong as failed, with the path, and runs the others', async () => {
    const { code, stdout } = await run(['tools', '--config', misconfiguredConfig]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^everything\s+stdio\s+active/m);
    expect(stdout).toContain('everything__echo');
    expect(stdout).toMatch(
      /^crm\s+auto\s+failed\s+-\s+0\s+servers\.crm\.headers\.Authorization: environment variable TOOLWIRE_TEST_UNSET_CRM_TOKEN is not set/m,
    );
    expect(stdout).toMatch(
      /^typo\s+auto\s+failed\s+-\s+0\s+servers\.typo\.comand: unknown key; did you mean "command"\? \(\+1 more\)/m,
    );
    const json = await run(['tools', '--config', misconfiguredConfig, '--json']);
    const parsed = JSON.parse(json.stdout) as {
      servers: {
        name: string;
        status: string;
        error: { code: string; issues?: { path: string }[] } | null;
      }[];
    };
    expect(parsed.servers.map((server) => [server.name, server.status, server.error?.code ?? null])).toEqual([
      ['everything', 'active', null],
      ['crm', 'failed', 'CONFIG_INVALID'],
      ['typo', 'failed', 'CONFIG_INVALID'],
    ]);
    expect(parsed.servers[1]?.error?.issues?.map((issue) => issue.path)).toEqual([
      'servers.crm.headers.Authorization',
    ]);
  });

  it('filters by --server', async () => {
    const { stdout } = await run(['tools', '--config', healthyConfig, '--server', 'memory', '--json']);
    const parsed = JSON.parse(stdout) as { servers: { name: string }[]; tools: { server: string }[] };
    expect(parsed.servers.map((server) => server.name)).toEqual(['memory']);
    expect(new Set(parsed.tools.map((tool) => tool.server))).toEqual(new Set(['memory']));
  });
});

describe('toolwire doctor', () => {
  it('passes on a healthy config', async () => {
    const { code, stdout } = await run(['doctor', '--config', healthyConfig]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/✓ everything: stdio, connected in \d+ ms, \d+ tools/);
    expect(stdout).toContain('All checks passed.');
  });

  it('explains each failing server with a fix', async () => {
    const { code, stdout } = await run(['doctor', '--config', mixedConfig]);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /✗ Nothing is listening at http:\/\/127\.0\.0\.1:\d+\/mcp for "refused"\.\n {2}fix: Start the server/,
    );
    expect(stdout).toMatch(
      /✗ The command for "missing" \(toolwire-no-such-command\) does not exist on this machine\.\n {2}fix: Install it/,
    );
    expect(stdout).toContain('2 problem(s) found.');
  });

  it('explains config problems such as an unset variable', async () => {
    const config = join(directory, 'unset.json');
    await writeFile(
      config,
      JSON.stringify({ mcpServers: { api: { url: 'https://${TOOLWIRE_TEST_UNSET_HOST}/mcp' } } }),
    );
    const { code, stdout } = await run(['doctor', '--config', config]);
    expect(code).toBe(1);
    expect(stdout).toContain('mcpServers.api.url uses ${TOOLWIRE_TEST_UNSET_HOST}, which is not set.');
    expect(stdout).toContain('fix: Export TOOLWIRE_TEST_UNSET_HOST');
  });

  it('checks the servers that are configured right when others are not, and explains each problem', async () => {
    const { code, stdout } = await run(['doctor', '--config', misconfiguredConfig]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/✓ everything: stdio, connected in \d+ ms/);
    expect(stdout).toContain(
      '✗ servers.crm.headers.Authorization uses ${TOOLWIRE_TEST_UNSET_CRM_TOKEN}, which is not set.',
    );
    expect(stdout).toContain(
      '✗ servers.typo.comand is not a known key.\n  fix: Did you mean "command"? Rename it.',
    );
    expect(stdout).toContain(
      '! servers.everything.autoApprove: unknown key, ignored (not a toolwire option)',
    );
    expect(stdout).toContain('3 problem(s) found.');
  });
});

describe('usage', () => {
  it('exits 2 for unknown commands, unknown flags and a missing config', async () => {
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['tools', '--nope'])).code).toBe(2);
    const missing = await run(['tools']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('No MCP configuration found');
  });

  it('reports an invalid config with its path and exit code 2', async () => {
    const config = join(directory, 'invalid.json');
    await writeFile(config, JSON.stringify({ mcpServers: [{ type: 'pigeon', url: 'https://x' }] }));
    const { code, stderr } = await run(['tools', '--config', config]);
    expect(code).toBe(2);
    expect(stderr).toContain('mcpServers: expected an object of servers by name, not a list');
    expect(stderr).toContain(config);
  });

  it('reports a syntax error with its file, line and column and exit code 2', async () => {
    const config = join(directory, 'syntax.json');
    await writeFile(config, '{\n  "mcpServers": {\n    "a": { "command": "x" }\n    "b": {}\n  }\n}\n');
    const { code, stderr } = await run(['tools', '--config', config]);
    expect(code).toBe(2);
    expect(stderr).toContain(`mcpServers.b: not valid JSONC at ${config}:4:5: expected ","`);
  });
});

describe('the executable', () => {
  it('runs as `toolwire` with exit codes and no colour when piped', async () => {
    const bin = join(here, '..', 'dist', 'bin.js');
    const run = promisify(execFile);
    const { stdout } = await run(
      process.execPath,
      [bin, 'call', 'everything__echo', '{"message":"from bin"}', '--config', healthyConfig],
      {
        cwd: directory,
      },
    );
    expect(stdout.trim()).toBe('Echo: from bin');
    const failure = await run(process.execPath, [bin, 'tools', '--config', mixedConfig, '--json'], {
      cwd: directory,
    }).catch((error: { code: number; stdout: string }) => error);
    expect((failure as { code: number }).code).toBe(1);
    expect(JSON.parse((failure as { stdout: string }).stdout).servers).toHaveLength(5);
  });
});
