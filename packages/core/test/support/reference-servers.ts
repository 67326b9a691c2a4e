/**
 * The pinned reference MCP servers (`@modelcontextprotocol/server-everything`, `-filesystem`,
 * `-memory`), started from `node_modules` with this Node (`process.execPath`), never `npx`:
 * stdio servers as registry config entries, HTTP and SSE servers as loopback child processes.
 */
import type { ServerConfigInput } from '../../src/index.js';
import { freePort } from './free-port.js';
import { loopbackOnlyPreload, packageFile } from './paths.js';
import { type ServerProcess, startServerProcess } from './server-process.js';

const everythingEntry = () => packageFile('@modelcontextprotocol/server-everything', 'dist/index.js');

/**
 * Environment every server-everything instance gets in tests: `gzip-file-as-resource` may only
 * fetch from a domain that does not exist, so calling it with any other URL is a tool error
 * (`isError: true`) without touching the network.
 */
export const everythingTestEnv: Readonly<Record<string, string>> = {
  GZIP_ALLOWED_DOMAINS: 'allowed.invalid',
};

/** server-everything over stdio, as a registry config entry. */
export function everythingStdio(overrides: Partial<ServerConfigInput> = {}): ServerConfigInput {
  return {
    command: process.execPath,
    args: [everythingEntry(), 'stdio'],
    env: { ...everythingTestEnv },
    ...overrides,
  };
}

/** server-filesystem over stdio, allowed to touch only `directory` (and what is below it). */
export function filesystemStdio(
  directory: string,
  overrides: Partial<ServerConfigInput> = {},
): ServerConfigInput {
  return {
    command: process.execPath,
    args: [packageFile('@modelcontextprotocol/server-filesystem', 'dist/index.js'), directory],
    ...overrides,
  };
}

/** server-memory over stdio, keeping its knowledge graph in `memoryFile` (use a temp dir). */
export function memoryStdio(
  memoryFile: string,
  overrides: Partial<ServerConfigInput> = {},
): ServerConfigInput {
  return {
    command: process.execPath,
    args: [packageFile('@modelcontextprotocol/server-memory', 'dist/index.js')],
    env: { MEMORY_FILE_PATH: memoryFile },
    ...overrides,
  };
}

export type EverythingHttpMode = 'streamableHttp' | 'sse';

export interface EverythingHttpServer extends ServerProcess {
  /** Where to point a client: `/mcp` for Streamable HTTP, `/sse` for SSE. */
  url: string;
  port: number;
}

/**
 * Starts server-everything over Streamable HTTP or legacy SSE on a free 127.0.0.1 port (it
 * listens on every interface by default; the loopback preload pins it to 127.0.0.1). Retries
 * with another port when the chosen one was taken in between.
 */
export async function startEverythingHttp(mode: EverythingHttpMode): Promise<EverythingHttpServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      const server = await startServerProcess({
        label: `server-everything (${mode})`,
        command: process.execPath,
        args: ['--import', loopbackOnlyPreload, everythingEntry(), mode],
        env: { ...everythingTestEnv, PORT: String(port) },
        ready: /listening on port|running on port/i,
      });
      const path = mode === 'sse' ? '/sse' : '/mcp';
      return Object.assign(server, { url: `http://127.0.0.1:${port}${path}`, port });
    } catch (error) {
      lastError = error;
      if (!/EADDRINUSE|already in use/.test(String(error))) throw error;
    }
  }
  throw lastError;
}
