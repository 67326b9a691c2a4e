// CPU-profile summary: where the time goes in two runs, each profiled with `node --cpu-prof` in a
// process of its own (so the profile holds only that side's work), summarized as the top
// self-time frames (lib/cpu-profile.mjs):
//   - the client: `registry.callTool` on the minimal server over stdio, 256 calls in flight
//     (src/cpu-profile/registry-calls.mjs), as in the per-call benchmark;
//   - the server: `@toolwire/publisher` (src/servers/publisher-server.mjs, stateful) serving calls
//     per second, 16 in flight, driven by the raw SDK v2 client from this process, as in the
//     publisher benchmark.
// Profiling slows the code down: these runs are for the shares of time, not for speed.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { summarizeProfile } from '../lib/cpu-profile.mjs';
import { startChildServer } from '../lib/servers.mjs';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const REGISTRY_SCRIPT = fileURLToPath(new URL('../cpu-profile/registry-calls.mjs', import.meta.url));
const PUBLISHER_SCRIPT = fileURLToPath(new URL('../servers/publisher-server.mjs', import.meta.url));

export const FULL = { registryBatches: 200, publisherCalls: 20_000, inFlight: 16 };

/** The profiled runs, in the order the page lists them. */
export const PROFILES = [
  {
    id: 'registry-256',
    name: 'registry.callTool, stdio, 256 in flight (client process)',
  },
  {
    id: 'publisher-throughput',
    name: '@toolwire/publisher, calls per second, 16 in flight (server process)',
  },
];

export async function run({ scale = 1, log = () => {}, top = 10 } = {}) {
  const directory = mkdtempSync(join(tmpdir(), 'toolwire-bench-cpuprof-'));
  const profiles = [];
  try {
    const batches = Math.max(2, Math.round(FULL.registryBatches * scale));
    log(`cpu-profile: registry.callTool, ${batches} batches of 256 over stdio, under --cpu-prof`);
    const registryDirectory = join(directory, 'registry');
    await runToExit(process.execPath, [
      '--cpu-prof',
      `--cpu-prof-dir=${registryDirectory}`,
      REGISTRY_SCRIPT,
      String(batches),
    ]);
    profiles.push({
      ...PROFILES[0],
      work: `${batches * 256} calls`,
      ...summarizeProfile(onlyProfile(registryDirectory), { top, root: ROOT }),
    });

    const calls = Math.max(64, Math.round(FULL.publisherCalls * scale));
    log(`cpu-profile: @toolwire/publisher serving ${calls} calls, under --cpu-prof`);
    const publisherDirectory = join(directory, 'publisher');
    await drivePublisher(publisherDirectory, calls);
    profiles.push({
      ...PROFILES[1],
      work: `${calls} calls`,
      ...summarizeProfile(onlyProfile(publisherDirectory), { top, root: ROOT }),
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return { id: 'cpu-profile', profiles };
}

/** Starts the publisher under --cpu-prof, drives `calls` calls through it, and stops it (writing the profile). */
async function drivePublisher(profileDirectory, calls) {
  const server = await startChildServer(PUBLISHER_SCRIPT, ['toolwire'], {
    ipc: true,
    nodeOptions: ['--cpu-prof', `--cpu-prof-dir=${profileDirectory}`],
  });
  const client = new Client({ name: 'toolwire-bench', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(server.url));
  try {
    await client.connect(transport);
    let next = 0;
    await Promise.all(
      Array.from({ length: FULL.inFlight }, async () => {
        while (next < calls) {
          next++;
          const a = next;
          const result = await client.callTool({ name: 'add', arguments: { a, b: 1 } });
          if (result.content?.[0]?.text !== String(a + 1)) throw new Error('publisher: wrong sum');
        }
      }),
    );
  } finally {
    await transport.terminateSession().catch(() => {});
    await client.close();
    // 'stop' makes the server exit on its own (process.exit), which writes the profile; a signal would not.
    const exited = new Promise((resolve) => {
      if (server.child.exitCode !== null) resolve();
      server.child.once('exit', resolve);
      setTimeout(resolve, 15_000).unref();
    });
    server.child.send('stop');
    await exited;
    await server.stop();
  }
}

function runToExit(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.at(-2)} exited with ${code} under --cpu-prof`)),
    );
  });
}

/** The one .cpuprofile a profiled process wrote into `directory`. */
function onlyProfile(directory) {
  const files = readdirSync(directory).filter((name) => name.endsWith('.cpuprofile'));
  if (files.length !== 1)
    throw new Error(`expected one .cpuprofile in ${directory}, found ${files.length}: ${files.join(', ')}`);
  return join(directory, files[0]);
}
