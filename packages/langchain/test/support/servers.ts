/**
 * Server definitions for the adapter's integration tests: the reference MCP servers from the
 * registry (core's shared test support, started over stdio with this Node) and the adapter's own
 * fixture server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerConfigInput } from '@toolwire/core';

export {
  everythingStdio as everythingServer,
  filesystemStdio as filesystemServer,
  memoryStdio as memoryServer,
} from '../../../core/test/support/index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

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
