/**
 * `toolwire call` against real servers (test/support/cli-configs.ts: server-everything and
 * server-memory over stdio, a server that reports tool errors), in-process through `runCli`
 * with captured streams: text, images saved to files, log messages with --verbose, tool errors,
 * invalid arguments and misconfigured servers.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliConfigs, runCliIn, writeCliConfigs } from './support/cli-configs.js';

const here = dirname(fileURLToPath(import.meta.url));

let configs: CliConfigs;
let directory: string;
let healthyConfig: string;
let misconfiguredConfig: string;

beforeAll(async () => {
  configs = await writeCliConfigs();
  ({ directory, healthyConfig, misconfiguredConfig } = configs);
});

afterAll(async () => {
  await configs?.close();
});

const run = (argv: string[], options?: Parameters<typeof runCliIn>[2]) => runCliIn(directory, argv, options);

describe('toolwire call', () => {
  it('prints a text result and exits 0', async () => {
    const { code, stdout } = await run([
      'call',
      'everything__echo',
      '{"message":"hello cli"}',
      '--config',
      healthyConfig,
    ]);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe('Echo: hello cli');
  });

  it('--verbose prints the server’s log messages on stderr, escape sequences escaped', async () => {
    const config = join(directory, 'logging.json');
    await writeFile(
      config,
      JSON.stringify({
        mcpServers: {
          chat: { command: process.execPath, args: [join(here, 'fixtures', 'logging-server.mjs')] },
        },
      }),
    );
    const quiet = await run(['call', 'chat__chatty', '--config', config]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    const { code, stdout, stderr } = await run(['call', 'chat__chatty', '--config', config, '--verbose']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe('done');
    expect(stderr.split('\n').filter(Boolean)).toEqual([
      '[chat] debug lookup: looking things up',
      '[chat] warning lookup: {"slow":true,"ms":1200}',
      '[chat] error: red \\x1b[31malert\\x1b[0m',
    ]);
  });

  it('saves images to files', async () => {
    const { code, stdout } = await run([
      'call',
      'everything__get-tiny-image',
      '--config',
      healthyConfig,
      '--out',
      directory,
    ]);
    expect(code).toBe(0);
    const file = /saved to (\S+\.png)/.exec(stdout)?.[1];
    expect(file).toBeDefined();
    const bytes = await readFile(file as string);
    expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
  });

  it('exits 1 when the tool reports an error', async () => {
    const { code, stderr, stdout } = await run(['call', 'errors__always_fails', '--config', healthyConfig]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('the upstream service is down');
  });

  it('exits 1 with the argument path on invalid arguments, and names close matches for unknown tools', async () => {
    const invalid = await run([
      'call',
      'everything__echo',
      '{"message":42}',
      '--config',
      healthyConfig,
      '--json',
    ]);
    expect(invalid.code).toBe(1);
    expect(JSON.parse(invalid.stdout)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENTS', message: expect.stringContaining('message: must be string') },
    });
    const unknown = await run(['call', 'everything_echo', '--config', healthyConfig]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('TOOL_NOT_FOUND');
    expect(unknown.stderr).toContain('Did you mean: everything__echo');
  });

  it('fails at once with CONFIG_INVALID when the tool’s server is misconfigured', async () => {
    const { code, stderr } = await run(['call', 'crm__search', '{}', '--config', misconfiguredConfig]);
    expect(code).toBe(1);
    expect(stderr).toContain('CONFIG_INVALID: Server "crm" has an invalid configuration in');
    expect(stderr).toContain('servers.crm.headers.Authorization');
  });

  it('exits 2 on arguments that are not a JSON object', async () => {
    const { code, stderr } = await run([
      'call',
      'everything__echo',
      '{message:1}',
      '--config',
      healthyConfig,
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('Arguments must be a JSON object');
  });
});
