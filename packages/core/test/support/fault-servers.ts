/**
 * Test support for the cache, pool and fault suites: temporary event files, the fault fixture
 * server over stdio (as a config entry) and over HTTP (a child process on 127.0.0.1 that can be
 * stopped and restarted on the same port), and free ports.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJsonLinesSync } from './json-lines.js';
import { killAndWait } from './processes.js';

export const faultServerPath = fileURLToPath(new URL('../fixtures/fault-server.mjs', import.meta.url));

export interface FaultEvent {
  server: string;
  pid: number;
  event?: string;
  tool?: string;
  value?: string;
  key?: string;
  mode?: string;
  /** HTTP `request` events: the JSON-RPC method and the caller's `x-user` header. */
  method?: string;
  user?: string | null;
}

/** A temporary directory removed by `cleanup()`. */
export function temporaryDirectory(prefix: string): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), `toolwire-${prefix}-`));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Every event the fault servers appended to `file` so far. */
export function readEvents(file: string): FaultEvent[] {
  return readJsonLinesSync<FaultEvent>(file);
}

/** A stdio config entry for the fault server. */
export function stdioFaultServer(
  name: string,
  eventsFile: string,
  extra: {
    extraTools?: string[];
    session?: 'shared' | 'per-conversation';
    /** A restart of this server answers nothing until this file exists. */
    holdRestartUntil?: string;
  } = {},
) {
  return {
    command: process.execPath,
    args: [faultServerPath],
    env: {
      FAULT_NAME: name,
      FAULT_EVENTS_FILE: eventsFile,
      FAULT_EXTRA_TOOLS: (extra.extraTools ?? []).join(','),
      ...(extra.holdRestartUntil ? { FAULT_HOLD_RESTART: extra.holdRestartUntil } : {}),
    },
    ...(extra.session ? { session: extra.session } : {}),
  };
}

export { freePort } from './free-port.js';

export interface HttpFaultServer {
  readonly port: number;
  readonly url: string;
  readonly pid: number | undefined;
  /** Ends the process (SIGKILL: no goodbye to clients). */
  stop(): Promise<void>;
  /** Starts a fresh process on the same port: every session is gone. */
  restart(): Promise<void>;
  /** Makes the server forget every session, as a session timeout would. */
  expireSessions(): Promise<number>;
}

export interface HttpFaultServerOptions {
  /** `'streamable-http'` (default, 2025 sessions) or legacy `'sse'` (GET /sse + POST /messages). */
  transport?: 'streamable-http' | 'sse';
  /** Also serve 2026-07-28 (sessionless) clients on the Streamable HTTP endpoint. */
  modern?: boolean;
  /** Answer a session's standalone GET stream with 404 after this delay (instead of opening it). */
  getStream404AfterMs?: number;
}

/** Starts the fault server over Streamable HTTP (or legacy SSE) on 127.0.0.1. */
export async function startHttpFaultServer(
  name: string,
  eventsFile: string,
  options: HttpFaultServerOptions = {},
): Promise<HttpFaultServer> {
  let child: ChildProcess | undefined;
  let port = 0;
  const flags = [options.transport === 'sse' ? '--sse' : '--http', ...(options.modern ? ['--modern'] : [])];
  const launch = async (wanted: number) => {
    const started = spawn(process.execPath, [faultServerPath, ...flags, '--port', String(wanted)], {
      env: {
        ...process.env,
        FAULT_NAME: name,
        FAULT_EVENTS_FILE: eventsFile,
        ...(options.getStream404AfterMs === undefined
          ? {}
          : { FAULT_GET_404_AFTER_MS: String(options.getStream404AfterMs) }),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child = started;
    port = await new Promise<number>((resolve, reject) => {
      let output = '';
      started.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /LISTENING (\d+)/.exec(output);
        if (match) resolve(Number(match[1]));
      });
      started.once('exit', (code) => reject(new Error(`fault server exited early (${code})`)));
    });
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    await killAndWait(running);
  };
  await launch(0);
  return {
    get port() {
      return port;
    },
    get url() {
      return `http://127.0.0.1:${port}/${options.transport === 'sse' ? 'sse' : 'mcp'}`;
    },
    get pid() {
      return child?.pid;
    },
    stop,
    async restart() {
      await stop();
      // The port was just released; bind it again (retry briefly in case the kernel lingers).
      for (let attempt = 0; ; attempt++) {
        try {
          await launch(port);
          return;
        } catch (error) {
          if (attempt >= 20) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
    async expireSessions() {
      const response = await fetch(`http://127.0.0.1:${port}/control/expire-sessions`, { method: 'POST' });
      return Number(await response.text());
    },
  };
}
