/**
 * Real MCP servers for the adapter's tests, from core's shared test support: the reference
 * `server-everything` and `server-memory` (pinned, from the registry) and core's stdio fixture
 * server, spawned over stdio with the running Node.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerConfigInput } from '@toolwire/core';
import { everythingStdio, memoryStdio } from '../../../core/test/support/index.js';

export {
  type FixtureEvent,
  fixturePath,
  fixtureStdio as fixtureServer,
  waitForEvent as waitForFixtureEvent,
} from '../../../core/test/support/index.js';

/** `server-everything` over stdio (its stderr chatter ignored). */
export function everythingServer(): ServerConfigInput {
  return everythingStdio({ stderr: 'ignore' });
}

/** `server-memory` over stdio, storing its graph in `file`. */
export function memoryServer(file: string): ServerConfigInput {
  return memoryStdio(file, { stderr: 'ignore' });
}

/** A temporary directory, removed by the returned `remove()`. */
export function temporaryDirectory(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'toolwire-ai-sdk-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
