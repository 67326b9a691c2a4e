/**
 * The MCP servers the demo connects to: the pinned reference servers, installed as this
 * package's dependencies and started with this Node (no `npx`, no network), confined to a
 * temporary directory. A later step may add servers (our own publisher, HTTP servers).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ServerConfigInput } from '@toolwire/core';

const require = createRequire(import.meta.url);

function serverEntry(packageName: string): string {
  return join(dirname(require.resolve(`${packageName}/package.json`)), 'dist', 'index.js');
}

/** `mcpServers`-style entries for server-everything, server-memory and server-filesystem over stdio. */
export function referenceServers(workDir: string): Record<string, ServerConfigInput> {
  return {
    everything: {
      command: process.execPath,
      args: [serverEntry('@modelcontextprotocol/server-everything'), 'stdio'],
    },
    memory: {
      command: process.execPath,
      args: [serverEntry('@modelcontextprotocol/server-memory')],
      env: { MEMORY_FILE_PATH: join(workDir, 'memory.jsonl') },
    },
    filesystem: {
      command: process.execPath,
      args: [serverEntry('@modelcontextprotocol/server-filesystem'), workDir],
    },
  };
}

/**
 * A stdio server that fails at start-up the way many real ones do: it says on stderr what it
 * misses and exits before the MCP handshake.
 */
export function failingServer(): ServerConfigInput {
  return {
    command: process.execPath,
    args: ['-e', "console.error('weather-server: WEATHER_API_KEY is not set'); process.exit(1)"],
  };
}
