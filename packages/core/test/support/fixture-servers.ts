/**
 * Our own fixture MCP servers (`test/fixtures/*.mjs`, built on the SDK v2): the stdio fixture
 * as a registry config entry, the HTTP fixture as a loopback child process, and the events
 * both write (one JSON line per tool event, notification or HTTP request) to prove what a
 * server actually received.
 */
import type { ServerConfigInput } from '../../src/index.js';
import { readJsonLinesSync } from './json-lines.js';
import { fixturePath } from './paths.js';
import { type ServerProcess, startServerProcess } from './server-process.js';
import { waitFor } from './wait-for.js';

export interface FixtureOptions {
  /** Server name, also the prefix of echo answers. */
  name?: string;
  /** Start-up delay before the server answers anything. */
  delayMs?: number;
  /** Where the server appends its events (see `readEvents`). */
  eventsFile?: string;
  /**
   * Answer nothing until `count` servers sharing `directory` (empty at first) have started: a
   * start-up that only servers started at the same time get past.
   */
  startBarrier?: { count: number; directory: string };
}

/** The stdio fixture (`echo`, `sleep`, `fail`, `crash`, `add_tool`) as a registry config entry. */
export function fixtureStdio(
  options: FixtureOptions = {},
  overrides: Partial<ServerConfigInput> = {},
): ServerConfigInput {
  const env: Record<string, string> = {};
  if (options.name) env.FIXTURE_NAME = options.name;
  if (options.delayMs) env.FIXTURE_DELAY_MS = String(options.delayMs);
  if (options.eventsFile) env.FIXTURE_EVENTS_FILE = options.eventsFile;
  if (options.startBarrier) {
    env.FIXTURE_START_BARRIER = `${options.startBarrier.count}:${options.startBarrier.directory}`;
  }
  return { command: process.execPath, args: [fixturePath('fixture-server.mjs')], env, ...overrides };
}

export interface HttpFixtureOptions extends Omit<FixtureOptions, 'delayMs'> {
  /** Answer `initialize` and `server/discover` with HTTP 500. */
  failInitialize?: boolean;
  /** Also offer `route`, whose `region` and `priority` are SEP-2243 header parameters. */
  headerTool?: boolean;
  /** Also offer `tasks_declared` and `task_only` (the Tasks extension, declared or not, per call). */
  taskTools?: boolean;
}

export interface HttpFixtureServer extends ServerProcess {
  /** `http://127.0.0.1:<port>/mcp`. */
  url: string;
}

/**
 * Starts the HTTP fixture on a free 127.0.0.1 port: 2026-07-28 and 2025-era clients on one
 * endpoint, 2025 sessions terminated by DELETE, every request recorded in `eventsFile`.
 */
export async function startHttpFixture(options: HttpFixtureOptions = {}): Promise<HttpFixtureServer> {
  const env: Record<string, string> = { PORT: '0' };
  if (options.name) env.FIXTURE_NAME = options.name;
  if (options.eventsFile) env.FIXTURE_EVENTS_FILE = options.eventsFile;
  if (options.failInitialize) env.FIXTURE_FAIL_INITIALIZE = '1';
  if (options.headerTool) env.FIXTURE_HEADER_TOOL = '1';
  if (options.taskTools) env.FIXTURE_TASK_TOOLS = '1';
  const server = await startServerProcess({
    label: 'http fixture',
    command: process.execPath,
    args: [fixturePath('http-fixture-server.mjs')],
    env,
    ready: /listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/,
  });
  return Object.assign(server, { url: server.readyMatch[1] as string });
}

/** One line of a fixture's events file. Which fields are set depends on the event. */
export interface FixtureEvent {
  pid: number;
  at: number;
  /** Tool events: the tool, and for `sleep` the phase and JSON-RPC request id. */
  tool?: string;
  event?: 'start' | 'done' | 'cancelled';
  id?: string | number;
  message?: string;
  /** Stdio fixture: an incoming notification's method and params. */
  notification?: string;
  params?: Record<string, unknown>;
  /** HTTP fixture: one HTTP request. */
  http?: string;
  path?: string;
  sessionId?: string;
  protocolVersion?: string;
  rpc?: string[];
  /** HTTP fixture: the request's `x-*`, `traceparent` and `tracestate` headers, when it had any. */
  headers?: Record<string, string>;
  /** HTTP fixture: the trace-context keys of the request's `params._meta`, when it had any. */
  meta?: Record<string, string>;
  /** HTTP fixture: the `Mcp-Param-*` headers of a request (lower-case names), when it had any. */
  paramHeaders?: Record<string, string>;
  /** HTTP fixture: a 2025 session opened or closed. */
  session?: 'opened' | 'closed';
}

/** Every event written so far (none when the file does not exist yet). */
export async function readEvents(file: string): Promise<FixtureEvent[]> {
  return readJsonLinesSync<FixtureEvent>(file);
}

/** Waits until an event matching `predicate` has been written, and returns it. */
export async function waitForEvent(
  file: string,
  predicate: (event: FixtureEvent) => boolean,
  description = 'a fixture event',
  timeoutMs = 30_000,
): Promise<FixtureEvent> {
  return waitFor(async () => (await readEvents(file)).find(predicate), { timeoutMs, message: description });
}
