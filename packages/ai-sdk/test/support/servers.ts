/**
 * Real MCP servers for the adapter's tests: the reference `server-everything` and
 * `server-memory` (pinned, from the registry) and core's stdio fixture server, all spawned over
 * stdio with the running Node. Each helper returns a server entry for `createRegistry`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

function packageDirectory(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

export const fixtureServerPath = fileURLToPath(
  new URL('../../../core/test/fixtures/fixture-server.mjs', import.meta.url),
);

/** `server-everything` over stdio. */
export function everythingServer(): { command: string; args: string[]; stderr: 'ignore' } {
  return {
    command: process.execPath,
    args: [join(packageDirectory('@modelcontextprotocol/server-everything'), 'dist', 'index.js'), 'stdio'],
    stderr: 'ignore',
  };
}

/** `server-memory` over stdio, storing its graph in `file`. */
export function memoryServer(file: string): {
  command: string;
  args: string[];
  env: Record<string, string>;
  stderr: 'ignore';
} {
  return {
    command: process.execPath,
    args: [join(packageDirectory('@modelcontextprotocol/server-memory'), 'dist', 'index.js')],
    env: { MEMORY_FILE_PATH: file },
    stderr: 'ignore',
  };
}

/** core's fixture server (tools `echo`, `sleep`, `crash`, `add_tool`), recording events to `eventsFile`. */
export function fixtureServer(options: { name?: string; eventsFile?: string } = {}): {
  command: string;
  args: string[];
  env: Record<string, string>;
} {
  return {
    command: process.execPath,
    args: [fixtureServerPath],
    env: {
      ...(options.name ? { FIXTURE_NAME: options.name } : {}),
      ...(options.eventsFile ? { FIXTURE_EVENTS_FILE: options.eventsFile } : {}),
    },
  };
}

/** A temporary directory, removed by the returned `remove()`. */
export function temporaryDirectory(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'toolwire-ai-sdk-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface FixtureEvent {
  pid: number;
  tool: string;
  event?: string;
  id?: string | number;
  message?: string;
}

/** The events the fixture server recorded so far. */
export function readFixtureEvents(file: string): FixtureEvent[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as FixtureEvent);
}

/** Polls until `predicate` holds for the recorded events (or fails after `timeoutMs`). */
export async function waitForFixtureEvent(
  file: string,
  predicate: (event: FixtureEvent) => boolean,
  timeoutMs = 20_000,
): Promise<FixtureEvent> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = readFixtureEvents(file).find(predicate);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(
    `no matching fixture event within ${timeoutMs} ms; saw ${JSON.stringify(readFixtureEvents(file))}`,
  );
}
