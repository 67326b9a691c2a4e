/**
 * The CLI's manners, as users of well-liked CLIs expect them, against real servers
 * (server-everything over stdio, a failing stdio server, an HTTP server answering 404 on
 * 127.0.0.1): per-command help, flags checked per command with a did-you-mean, `key=value`, JSON
 * and stdin arguments, NO_COLOR / FORCE_COLOR, a pipe closed early, doctor showing a failing
 * server's stderr with the next step, and HTTP statuses in plain words.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertNoSecrets,
  everythingStdio,
  type LoopbackHttpServer,
  startLoopbackHttp,
} from '../../core/test/support/index.js';
import { type CliIO, runCli } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'dist', 'bin.js');
const TOKEN = 'wx-token-7f3a9c2e51';

let directory: string;
let everythingConfig: string;
let emptyConfig: string;
let failingConfig: string;
let notFoundConfig: string;
let notFoundServer: LoopbackHttpServer;
let notFoundUrl: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'toolwire-cli-conventions-'));
  everythingConfig = join(directory, 'everything.json');
  await writeFile(
    everythingConfig,
    JSON.stringify({
      mcpServers: { everything: everythingStdio() },
    }),
  );
  emptyConfig = join(directory, 'empty.json');
  await writeFile(emptyConfig, JSON.stringify({ mcpServers: {} }));
  failingConfig = join(directory, 'failing.json');
  await writeFile(
    failingConfig,
    JSON.stringify({
      mcpServers: {
        weather: {
          command: process.execPath,
          args: [join(here, 'fixtures', 'needs-env-server.mjs')],
          env: { WEATHER_TOKEN: TOKEN },
        },
      },
    }),
  );
  notFoundServer = await startLoopbackHttp((_request, response) => {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('no such page');
  });
  notFoundUrl = `${notFoundServer.origin}/wrong`;
  notFoundConfig = join(directory, 'not-found.json');
  await writeFile(
    notFoundConfig,
    JSON.stringify({
      mcpServers: {
        guessed: { url: notFoundUrl },
        streamable: { url: notFoundUrl, type: 'http' },
        legacy: { url: notFoundUrl, type: 'sse' },
      },
    }),
  );
});

afterAll(async () => {
  await notFoundServer.close();
  await rm(directory, { recursive: true, force: true });
});

interface RunOptions {
  isTTY?: boolean;
  env?: Record<string, string | undefined>;
  stdin?: string;
}

async function run(argv: string[], options: RunOptions = {}) {
  let stdout = '';
  let stderr = '';
  const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env };
  const io: CliIO = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    isTTY: options.isTTY ?? false,
    env,
    cwd: directory,
    ...(options.stdin === undefined ? {} : { stdin: Readable.from([options.stdin]) }),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe('help', () => {
  it('each command has its own --help with its flags and examples (and `help <command>`)', async () => {
    const call = await run(['call', '--help']);
    expect(call.code).toBe(0);
    expect(call.stdout).toContain('Usage: toolwire call <tool> [key=value…]');
    expect(call.stdout).toContain('--timeout <ms>');
    expect(call.stdout).toContain('toolwire call everything__get-sum a=1 b=2');
    expect(call.stdout).not.toContain('--stdio');
    expect((await run(['help', 'call'])).stdout).toBe(call.stdout);
    const serve = await run(['serve', '-h']);
    expect(serve.stdout).toContain('--allowed-origin');
    expect(serve.stdout).not.toContain('--timeout');
  });

  it('the general help lists the commands; no command at all is a usage error', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['tools', 'call', 'doctor', 'inspect', 'serve'])
      expect(help.stdout).toContain(`  ${command} `);
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: toolwire <command>');
  });
});

describe('flags are checked per command', () => {
  it('rejects a misspelt flag with the closest one', async () => {
    const { code, stderr } = await run(['tools', '--jsn', '--config', everythingConfig]);
    expect(code).toBe(2);
    expect(stderr).toContain('Unknown option --jsn for "toolwire tools". Did you mean --json?');
  });

  it('rejects a flag of another command instead of ignoring it, and names its commands', async () => {
    const { code, stderr } = await run(['tools', '--port', '8080', '--config', everythingConfig]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      'Unknown option --port for "toolwire tools". It is an option of "toolwire inspect", "toolwire serve" and "toolwire gateway".',
    );
    expect((await run(['doctor', '--json'])).stderr).toContain('Unknown option --json for "toolwire doctor"');
  });

  it('suggests the closest command and explains a missing value', async () => {
    expect((await run(['tols'])).stderr).toContain('Unknown command "tols". Did you mean "tools"?');
    const missing = await run(['tools', '--config']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--config needs a value');
  });
});

describe('call arguments', () => {
  it('takes key=value pairs: JSON where the schema wants a number, the text where it wants a string', async () => {
    const sum = await run(['call', 'everything__get-sum', 'a=17', 'b=25', '--config', everythingConfig]);
    expect(sum.code).toBe(0);
    expect(sum.stdout).toContain('42');
    const echo = await run(['call', 'everything__echo', 'message=123', '--config', everythingConfig]);
    expect(echo.stdout.trim()).toBe('Echo: 123');
  });

  it('mixes a JSON object and pairs (later ones win), and rejects what is neither', async () => {
    const mixed = await run([
      'call',
      'everything__echo',
      '{"message":"first"}',
      'message=second',
      '--config',
      everythingConfig,
    ]);
    expect(mixed.stdout.trim()).toBe('Echo: second');
    const bad = await run(['call', 'everything__echo', 'hello', '--config', everythingConfig]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Cannot read the argument "hello": give key=value pairs');
  });

  it('reads a JSON object from stdin for -', async () => {
    const { code, stdout } = await run(['call', 'everything__echo', '-', '--config', everythingConfig], {
      stdin: '{"message":"from stdin"}\n',
    });
    expect(code).toBe(0);
    expect(stdout.trim()).toBe('Echo: from stdin');
    const notObject = await run(['call', 'everything__echo', '-', '--config', everythingConfig], {
      stdin: '[1]',
    });
    expect(notObject.code).toBe(2);
    expect(notObject.stderr).toContain('stdin is an array');
  });
});

describe('colour', () => {
  // No servers: the output (a bold table header, a green tick) is styled, and nothing is started.
  const tools = () => ['tools', '--config', emptyConfig];
  const doctor = () => ['doctor', '--config', emptyConfig];
  const coloured = (text: string) => text.includes('\u001b[');

  it('NO_COLOR disables colour only when non-empty; FORCE_COLOR forces it, 0 turns it off', async () => {
    expect(coloured((await run(doctor(), { isTTY: true })).stdout)).toBe(true);
    expect(coloured((await run(doctor(), { isTTY: true, env: { NO_COLOR: '' } })).stdout)).toBe(true);
    expect(coloured((await run(doctor(), { isTTY: true, env: { NO_COLOR: '1' } })).stdout)).toBe(false);
    expect(coloured((await run(tools(), { isTTY: false, env: { FORCE_COLOR: '1' } })).stdout)).toBe(true);
    expect(coloured((await run(tools(), { isTTY: true, env: { FORCE_COLOR: '0' } })).stdout)).toBe(false);
  });
});

describe('doctor on a failing stdio server', () => {
  it('prints the tail of its stderr (redacted) and a concrete next step', async () => {
    const { code, stdout } = await run(['doctor', '--config', failingConfig]);
    expect(code).toBe(1);
    expect(stdout).toContain('✗ "weather" exited while starting.');
    expect(stdout).toMatch(
      /its stderr \(last \d lines\):\n(?: {2}│ .*\n)*? {2}│ Error: WEATHER_API_KEY is not set\n/,
    );
    expect(stdout).toContain('│ weather-server starting');
    expect(stdout).toContain(
      'fix: Set WEATHER_API_KEY in the "env" of "weather" in the config (or export it before running)',
    );
    assertNoSecrets(stdout, [TOKEN]);
  });
});

describe('HTTP statuses in plain words', () => {
  it('reports a 404 as "HTTP 404 Not Found at <url>: is the URL right?" on every transport', async () => {
    const { code, stdout } = await run(['tools', '--config', notFoundConfig, '--json']);
    expect(code).toBe(1);
    const servers = (JSON.parse(stdout) as { servers: { name: string; error: { message: string } }[] })
      .servers;
    expect(servers).toHaveLength(3);
    for (const server of servers) {
      expect(server.error.message).toContain(`HTTP 404 Not Found at ${notFoundUrl}: is the URL right?`);
      expect(server.error.message).not.toMatch(/SSE error|Non-200/);
    }
    const doctor = await run(['doctor', '--config', notFoundConfig]);
    expect(doctor.stdout).toContain(
      `"legacy" answered 404 at ${notFoundUrl}: probably not the MCP endpoint.`,
    );
  });
});

describe('the executable in a pipeline', () => {
  function spawnBin(args: string[]) {
    return spawn(process.execPath, [bin, ...args], {
      cwd: directory,
      env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }
  const exitOf = (child: ReturnType<typeof spawnBin>) =>
    new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

  it('`toolwire doctor | head -1` exits quietly once the reader is gone', async () => {
    const child = spawnBin(['doctor', '--config', everythingConfig]);
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exit = exitOf(child);
    // Like `head -1`: read the first line, then close the pipe while doctor is still checking.
    const first = await new Promise<string>((resolve) =>
      child.stdout.once('data', (chunk) => resolve(String(chunk))),
    );
    child.stdout.destroy();
    expect(first).toMatch(/^✓ Node\.js/);
    expect(await exit).toBe(0);
    expect(stderr).toBe('');
  });

  it('reads `-` from a real pipe', async () => {
    const child = spawnBin(['call', 'everything__echo', '-', '--config', everythingConfig]);
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const exit = exitOf(child);
    child.stdin.end('{"message":"piped"}');
    expect(await exit).toBe(0);
    expect(stdout.trim()).toBe('Echo: piped');
  });
});
