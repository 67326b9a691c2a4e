/**
 * The peers and config files the CLI command tests share (`cli.test.ts`, `cli-call.test.ts`):
 * server-everything and server-memory over stdio, a server that reports tool errors, a refused
 * port and a missing command, written as configs into a temporary directory; and `runCli` run
 * in-process with captured streams. Two files, so the two test workers share their commands.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CliIO, runCli } from '../../src/index.js';

const require = createRequire(import.meta.url);
const testDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const serverBin = (name: string) =>
  join(dirname(require.resolve(`@modelcontextprotocol/${name}/package.json`)), 'dist', 'index.js');

export interface CliConfigs {
  directory: string;
  /** server-everything, server-memory and the error server, all up. */
  healthyConfig: string;
  /** The healthy servers, a refused port and a missing command (JSONC). */
  mixedConfig: string;
  /** server-everything next to servers whose own configuration is wrong. */
  misconfiguredConfig: string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function writeCliConfigs(): Promise<CliConfigs> {
  const directory = await mkdtemp(join(tmpdir(), 'toolwire-cli-'));
  const healthy = {
    everything: { command: process.execPath, args: [serverBin('server-everything'), 'stdio'] },
    memory: {
      command: process.execPath,
      args: [serverBin('server-memory')],
      env: { MEMORY_FILE_PATH: join(directory, 'memory.jsonl') },
    },
    errors: { command: process.execPath, args: [join(testDir, 'fixtures', 'error-server.mjs')] },
  };
  const healthyConfig = join(directory, 'healthy.json');
  await writeFile(healthyConfig, JSON.stringify({ mcpServers: healthy }));
  const mixedConfig = join(directory, 'mixed.json');
  await writeFile(
    mixedConfig,
    // JSONC on purpose: VS Code's mcp.json allows comments and trailing commas.
    `{ // servers, one of them down
      "mcpServers": ${JSON.stringify({
        ...healthy,
        refused: { url: `http://127.0.0.1:${await freePort()}/mcp` },
        missing: { command: 'toolwire-no-such-command' },
      })},
    }`,
  );
  const misconfiguredConfig = join(directory, 'misconfigured.json');
  await writeFile(
    misconfiguredConfig,
    // As VS Code writes it: a comment after a trailing comma.
    `{
      "servers": {
        "everything": ${JSON.stringify({ ...healthy.everything, autoApprove: ['echo'] })},
        "crm": {
          "url": "http://127.0.0.1:${await freePort()}/mcp",
          "headers": { "Authorization": "Bearer \${TOOLWIRE_TEST_UNSET_CRM_TOKEN}" },
        }, // needs its token
        "typo": { "comand": "node" },
      },
    }`,
  );
  return {
    directory,
    healthyConfig,
    mixedConfig,
    misconfiguredConfig,
    close: () => rm(directory, { recursive: true, force: true }),
  };
}

/** Runs the CLI in-process in `directory`, its output captured. */
export async function runCliIn(
  directory: string,
  argv: string[],
  options: { isTTY?: boolean; env?: Record<string, string> } = {},
) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    isTTY: options.isTTY ?? false,
    env: { ...process.env, ...options.env },
    cwd: directory,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}
