// Where the benchmarks' servers live and how to start the HTTP ones: the minimal server of our
// own (src/servers/minimal-server.mjs) and the reference servers from the registry. HTTP servers
// run in child processes, like stdio servers, so no server work lands on the measuring process.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** Absolute path of the minimal server script. */
export const MINIMAL_SERVER = fileURLToPath(new URL('../servers/minimal-server.mjs', import.meta.url));

/** Absolute path of a reference server's entry point (`everything`, `filesystem`, `memory`). */
export function referenceServer(name) {
  return join(
    dirname(require.resolve(`@modelcontextprotocol/server-${name}/package.json`)),
    'dist',
    'index.js',
  );
}

/** The stdio launch of the minimal server (`workMs`: each call answered after a timer of that many ms). */
export function minimalStdio(toolCount = 1, workMs = 0) {
  return {
    command: process.execPath,
    args: [MINIMAL_SERVER, 'stdio', '--tools', String(toolCount), ...workArguments(workMs)],
  };
}

/**
 * Starts a server script in a child process and waits for the `{"url": …}` line it prints once
 * listening on 127.0.0.1. `stop()` ends it and waits for its exit.
 */
export async function startChildServer(script, args = [], options = {}) {
  const child = spawn(process.execPath, [...(options.nodeOptions ?? []), script, ...args], {
    stdio: ['pipe', 'pipe', 'inherit', ...(options.ipc ? ['ipc'] : [])],
    env: { ...process.env, ...options.env },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before listening`)));
    lines.on('line', (line) => {
      try {
        const message = JSON.parse(line);
        if (typeof message.url === 'string') resolve(message.url);
      } catch {
        // Not our line.
      }
    });
  });
  return {
    url,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Starts the minimal server over Streamable HTTP (`workMs` as in {@link minimalStdio}). */
export function startMinimalHttp(toolCount = 1, workMs = 0) {
  return startChildServer(MINIMAL_SERVER, ['http', '--tools', String(toolCount), ...workArguments(workMs)]);
}

/** The minimal server's `--work-ms` option, when there is work. */
export function workArguments(workMs) {
  return workMs > 0 ? ['--work-ms', String(workMs)] : [];
}
