/**
 * Runs a bundled ES-module worker in a real `workerd` (the runtime of Cloudflare Workers, from the
 * registry's `workerd` package). The socket binds 127.0.0.1 port 0; workerd reports the port it
 * got on a control pipe, as Miniflare reads it. No Node compatibility flag is set: the bundle must
 * run on the Workers platform alone. Outbound fetches may reach loopback addresses only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export interface RunningWorker {
  url: string;
  /** Everything workerd wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  close(): Promise<void>;
}

/** A date this workerd release supports; bump with the package. */
const COMPATIBILITY_DATE = '2026-11-01';

function workerdBinary(): string {
  const require = createRequire(import.meta.url);
  // The `workerd` package resolves its platform binary (an optional dependency) itself.
  return (require('workerd') as { default: string }).default;
}

function config(): string {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed "worker.mjs")],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  globalOutbound = "loopback",
);
`;
}

/** Starts workerd on `code` (an ES module with a default `fetch` export). */
export async function startWorkerd(code: string): Promise<RunningWorker> {
  const directory = await mkdtemp(join(tmpdir(), 'toolwire-workerd-'));
  await writeFile(join(directory, 'worker.mjs'), code);
  await writeFile(join(directory, 'config.capnp'), config());
  const child = spawn(workerdBinary(), ['serve', 'config.capnp', '--control-fd=3'], {
    cwd: directory,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cleanUp = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(directory, { recursive: true, force: true });
  };
  try {
    const port = await listeningPort(child, () => output);
    return {
      url: `http://127.0.0.1:${port}`,
      output: () => output,
      close: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** Reads workerd's control pipe until it reports the socket's port, or fails when it exits. */
function listeningPort(child: ChildProcess, output: () => string): Promise<number> {
  const control = child.stdio[3] as Readable;
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: control });
    const onExit = (code: number | null) => {
      lines.close();
      reject(new Error(`workerd exited (code ${code}) before listening:\n${output()}`));
    };
    child.once('exit', onExit);
    child.once('error', reject);
    lines.on('line', (line) => {
      const message = JSON.parse(line) as { event?: string; socket?: string; port?: number };
      if (message.event === 'listen' && message.socket === 'http' && typeof message.port === 'number') {
        child.off('exit', onExit);
        lines.close();
        resolve(message.port);
      }
    });
  });
}
