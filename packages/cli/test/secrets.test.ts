/**
 * What the CLI prints never holds a secret, in any encoding. The peers misbehave for real on
 * 127.0.0.1 (core's echo peer: a token endpoint and an MCP server that repeat every request in
 * their error bodies; a stdio command that does not exist, given `--api-key`), and a config puts
 * credentials in a URL. stdout and stderr of `tools --json`, `tools`, `doctor` and `call`, plus
 * the schema cache files the runs wrote, are searched with core's every-encoding search.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertNoSecrets,
  createOutputRecorder,
  type EchoPeer,
  startEchoPeer,
} from '../../core/test/support/index.js';
import { type CliIO, runCli } from '../src/index.js';

const CLIENT_ID = 'cli-agent';
const CLIENT_SECRET = "cli-Sec/r+t &é=~!*'9";
const QUERY_SECRET = 'cli-q/+k ey&=!7';
const HEADER_SECRET = 'cli-hv-5e0d41c9';
const ARGUMENT_SECRET = 'cli-arg-88f0/+ z';
const ENV_SECRET = 'cli-env-3a7b19d2';
const PASSWORD = 'cli-pw/6e+1';

const secrets = [
  { secret: CLIENT_SECRET, user: CLIENT_ID },
  QUERY_SECRET,
  HEADER_SECRET,
  ARGUMENT_SECRET,
  ENV_SECRET,
  { secret: PASSWORD, user: 'bot' },
];

let directory: string;
let cacheDirectory: string;
let previousCacheDirectory: string | undefined;
let tokenPeer: EchoPeer;
let serverPeer: EchoPeer;
let echoConfig: string;
let userinfoConfig: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'toolwire-cli-secrets-'));
  cacheDirectory = join(directory, 'cache');
  // The CLI's file cache reads its directory from the environment.
  previousCacheDirectory = process.env.TOOLWIRE_CACHE_DIR;
  process.env.TOOLWIRE_CACHE_DIR = cacheDirectory;
  tokenPeer = await startEchoPeer({ requireToken: true });
  serverPeer = await startEchoPeer();
  echoConfig = join(directory, 'echo.json');
  await writeFile(
    echoConfig,
    JSON.stringify({
      mcpServers: {
        crm: {
          url: tokenPeer.mcpUrl,
          auth: {
            type: 'client_credentials',
            clientId: CLIENT_ID,
            clientSecret: '${CRM_CLIENT_SECRET}',
            tokenUrl: tokenPeer.tokenUrl,
          },
        },
        search: {
          url: `${serverPeer.mcpUrl}?api_key=${encodeURIComponent(QUERY_SECRET)}`,
          headers: { 'X-Api-Key': HEADER_SECRET },
        },
        missing: {
          command: 'toolwire-no-such-command-7f3a',
          args: ['--api-key', ARGUMENT_SECRET],
          env: { API_KEY: ENV_SECRET },
        },
      },
    }),
  );
  userinfoConfig = join(directory, 'userinfo.json');
  await writeFile(
    userinfoConfig,
    JSON.stringify({
      mcpServers: { crm: { url: `https://bot:${encodeURIComponent(PASSWORD)}@crm.example.com/mcp` } },
    }),
  );
});

afterAll(async () => {
  if (previousCacheDirectory === undefined) delete process.env.TOOLWIRE_CACHE_DIR;
  else process.env.TOOLWIRE_CACHE_DIR = previousCacheDirectory;
  await tokenPeer?.close();
  await serverPeer?.close();
  await rm(directory, { recursive: true, force: true });
});

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    isTTY: false,
    env: { ...process.env, CRM_CLIENT_SECRET: CLIENT_SECRET },
    cwd: directory,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** Everything the runs printed, plus the cache files they wrote, with no secret in any form. */
async function expectNoLeak(outputs: { stdout: string; stderr: string }[]): Promise<void> {
  const recorder = createOutputRecorder();
  outputs.forEach((output, index) => {
    recorder.record(`run${index}.stdout`, output.stdout);
    recorder.record(`run${index}.stderr`, output.stderr);
  });
  await recorder.recordFiles('cache-file', cacheDirectory);
  assertNoSecrets(outputs.map((output) => `${output.stdout}\n${output.stderr}`).join('\n'), secrets);
  assertNoSecrets(recorder.text(), secrets);
}

describe('CLI output with peers that echo secrets', () => {
  it('tools --json, tools and doctor print the failures without any secret', async () => {
    tokenPeer.mode = 'echo';
    serverPeer.mode = 'echo';
    const json = await run(['tools', '--config', echoConfig, '--json']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as {
      servers: { name: string; status: string; error: { code: string; message: string } | null }[];
    };
    expect(parsed.servers.map((server) => [server.name, server.status, server.error?.code])).toEqual([
      ['crm', 'failed', 'AUTH_FAILED'],
      ['search', 'failed', 'CONNECT_FAILED'],
      ['missing', 'failed', 'CONNECT_FAILED'],
    ]);
    // The peers' own words are still there, with the secrets cut out.
    expect(parsed.servers[0]?.error?.message).toContain('client authentication failed');
    expect(parsed.servers[0]?.error?.message).toContain('[redacted]');
    const table = await run(['tools', '--config', echoConfig]);
    const doctor = await run(['doctor', '--config', echoConfig]);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain('"crm" rejected our credentials');
    await expectNoLeak([json, table, doctor]);
  });

  it('call prints a failure without any secret, and works once the peer behaves', async () => {
    // Connected once, the catalogue is cached; then the server fails the next start and call.
    serverPeer.mode = 'ok';
    tokenPeer.mode = 'ok';
    const listed = await run(['tools', '--config', echoConfig, '--server', 'search', '--json']);
    expect(JSON.parse(listed.stdout).tools.map((tool: { name: string }) => tool.name)).toContain(
      'search__echo',
    );
    serverPeer.mode = 'echo';
    const failed = await run(['call', 'search__echo', '{"message":"hi"}', '--config', echoConfig]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('CONNECT_FAILED');
    const failedJson = await run([
      'call',
      'search__echo',
      '{"message":"hi"}',
      '--config',
      echoConfig,
      '--json',
    ]);
    expect(JSON.parse(failedJson.stdout)).toMatchObject({ ok: false, error: { code: 'CONNECT_FAILED' } });
    serverPeer.mode = 'ok';
    const works = await run(['call', 'search__echo', '{"message":"back again"}', '--config', echoConfig]);
    expect(works.code).toBe(0);
    expect(works.stdout.trim()).toBe('back again');
    const viaToken = await run(['call', 'crm__echo', '{"message":"with a token"}', '--config', echoConfig]);
    expect(viaToken.stdout.trim()).toBe('with a token');
    await expectNoLeak([listed, failed, failedJson, works, viaToken]);
    assertNoSecrets(`${listed.stdout}${works.stdout}${viaToken.stdout}`, tokenPeer.issuedTokens);
  });
});

describe('CLI output for a config with credentials in a URL', () => {
  it('tools shows the server failed, naming the path and the fix; doctor advises; neither prints the password', async () => {
    // A problem in one server's entry fails that server only (exit 1, a server failed).
    const tools = await run(['tools', '--config', userinfoConfig, '--json']);
    expect(tools.code).toBe(1);
    const listed = JSON.parse(tools.stdout) as {
      servers: { name: string; status: string; error?: { code: string; message: string } }[];
    };
    const crm = listed.servers.find((server) => server.name === 'crm');
    expect(crm).toMatchObject({ status: 'failed', error: { code: 'CONFIG_INVALID' } });
    expect(crm?.error?.message).toContain('mcpServers.crm.url');
    expect(crm?.error?.message).toContain('"headers"');
    const doctor = await run(['doctor', '--config', userinfoConfig]);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/✗ mcpServers\.crm\.url: must not contain credentials/);
    await expectNoLeak([tools, doctor]);
  });
});
