/**
 * Test support for large catalogues: starts the generated catalogue servers (one child process
 * on 127.0.0.1 serving every catalogue of `catalogue-data.mjs`) and describes the reference
 * servers (`server-everything`, `-filesystem`, `-memory`) as stdio entries whose every start is
 * recorded, so a test can prove which servers it connected. Used by core's search tests and by
 * both adapters' discovery tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogues, serverDescriptions } from '../fixtures/catalogue-data.mjs';
import { fixturePath, packageFile } from './paths.js';
import { everythingTestEnv } from './reference-servers.js';

const catalogueServerPath = fixturePath('catalogue-server.mjs');
const recordStartPath = fixturePath('record-start.mjs');

/** Names of the generated servers. */
export const catalogueNames: string[] = Object.keys(catalogues);

/** How many tools the generated servers offer in all. */
export const catalogueToolCount: number = Object.values(catalogues).reduce(
  (total, tools) => total + tools.length,
  0,
);

export interface CatalogueServers {
  readonly port: number;
  /** The Streamable HTTP endpoint of one generated server. */
  url(name: string): string;
  /** `mcpServers` entries for every generated server (with the description a team would write). */
  entries(): Record<string, { url: string; type: 'http'; description: string }>;
  /** MCP requests each generated server has received so far. */
  requests(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** Starts the generated servers in one child process on 127.0.0.1 (requiring a bearer token when given one). */
export async function startCatalogueServers(options: { token?: string } = {}): Promise<CatalogueServers> {
  const tokenArguments = options.token === undefined ? [] : ['--token', options.token];
  const child: ChildProcess = spawn(process.execPath, [catalogueServerPath, ...tokenArguments], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /LISTENING (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`catalogue server exited early (${code})`)));
  });
  const url = (name: string) => `http://127.0.0.1:${port}/${name}/mcp`;
  return {
    port,
    url,
    entries() {
      return Object.fromEntries(
        catalogueNames.map((name) => [
          name,
          { url: url(name), type: 'http' as const, description: serverDescriptions[name] ?? '' },
        ]),
      );
    },
    async requests() {
      const response = await fetch(`http://127.0.0.1:${port}/control/requests`);
      return (await response.json()) as Record<string, number>;
    },
    async stop() {
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}

/** A stdio entry that runs a reference server and appends `{ server, pid }` to `startLog` when it starts. */
function recordedServer(server: string, script: string, args: string[], startLog: string, env = {}) {
  return {
    command: process.execPath,
    args: ['--import', recordStartPath, script, ...args],
    env: { ...env, TOOLWIRE_START_LOG: startLog, TOOLWIRE_START_NAME: server },
    stderr: 'ignore' as const,
  };
}

/**
 * The three reference servers as stdio entries (`everything`, `files` on `directory`, `memory`
 * keeping its graph in `directory`), each recording its process starts in `startLog`.
 */
export function recordedReferenceServers(directory: string, startLog: string) {
  return {
    everything: recordedServer(
      'everything',
      packageFile('@modelcontextprotocol/server-everything', 'dist/index.js'),
      ['stdio'],
      startLog,
      everythingTestEnv,
    ),
    files: recordedServer(
      'files',
      packageFile('@modelcontextprotocol/server-filesystem', 'dist/index.js'),
      [directory],
      startLog,
    ),
    memory: recordedServer(
      'memory',
      packageFile('@modelcontextprotocol/server-memory', 'dist/index.js'),
      [],
      startLog,
      { MEMORY_FILE_PATH: join(directory, 'memory.jsonl') },
    ),
  };
}

/** Names of the reference servers started so far (one entry per process start). */
export function recordedStarts(startLog: string): string[] {
  let text: string;
  try {
    text = readFileSync(startLog, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { server: string }).server);
}
