/**
 * Server definitions for the adapter's integration tests: the reference MCP servers from the
 * registry (started over stdio with this Node) and the adapter's own fixture server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerConfigInput } from '@toolwire/core';

const require = createRequire(import.meta.url);
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

function entry(name: string): string {
  return require.resolve(`@modelcontextprotocol/${name}/dist/index.js`);
}

/** `server-everything` over stdio. */
export function everythingServer(): ServerConfigInput {
  return { command: process.execPath, args: [entry('server-everything'), 'stdio'] };
}

/** `server-memory` over stdio, its graph in `memoryFile`. */
export function memoryServer(memoryFile: string): ServerConfigInput {
  return { command: process.execPath, args: [entry('server-memory')], env: { MEMORY_FILE_PATH: memoryFile } };
}

/** `server-filesystem` over stdio, allowed to touch `root` only. */
export function filesystemServer(root: string): ServerConfigInput {
  return { command: process.execPath, args: [entry('server-filesystem'), root] };
}

/** The adapter's fixture server; `eventsFile` receives one JSON line per call/cancellation. */
export function adapterServer(
  options: { eventsFile?: string; session?: 'shared' | 'per-conversation' } = {},
): ServerConfigInput {
  return {
    command: process.execPath,
    args: [path.join(fixtures, 'adapter-server.mjs')],
    env: options.eventsFile ? { FIXTURE_EVENTS_FILE: options.eventsFile } : {},
    ...(options.session ? { session: options.session } : {}),
  };
}

/** A fresh temporary directory and its remover. */
export function temporaryDirectory(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `toolwire-langchain-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
