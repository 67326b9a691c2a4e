/**
 * toolwire demo: connects one registry to real MCP servers (server-everything, server-memory,
 * server-filesystem over stdio), prints the catalogue, makes one call per server and checks
 * every result. Exits 1 when anything is wrong, so CI runs it as a test.
 *
 *   pnpm demo            # from the repository root (builds the packages first)
 *   node src/main.ts --quiet   # only failures and the verdict
 *
 * Steps run in order; later issues add theirs (a LangChain turn, an AI SDK turn, a publisher).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry, type Registry } from '@toolwire/core';
import type { DemoContext, DemoStep } from './demo-context.ts';
import { referenceServers } from './servers.ts';
import { callsStep } from './steps/calls.ts';
import { catalogueStep } from './steps/catalogue.ts';

const steps: DemoStep[] = [catalogueStep, callsStep];

const quiet = process.argv.includes('--quiet');
const DEMO_TIMEOUT_MS = 120_000;

async function main(): Promise<number> {
  const failures: string[] = [];
  const print = (line = '') => {
    if (!quiet) console.log(line);
  };
  const check = (condition: boolean, message: string) => {
    if (!condition) failures.push(message);
    return condition;
  };

  const workDir = await mkdtemp(join(tmpdir(), 'toolwire-demo-'));
  let registry: Registry | undefined;
  try {
    const servers = referenceServers(workDir);
    print(`toolwire demo: ${Object.keys(servers).length} MCP servers over stdio`);
    const started = performance.now();
    registry = await createRegistry({ servers });
    print(`connected in ${Math.round(performance.now() - started)} ms (in parallel)`);
    const context: DemoContext = { registry, workDir, print, check };
    for (const step of steps) {
      print();
      print(`== ${step.title}`);
      try {
        await step.run(context);
      } catch (error) {
        check(false, `step "${step.title}" threw: ${error instanceof Error ? error.stack : String(error)}`);
      }
    }
  } finally {
    await registry?.close();
    await rm(workDir, { recursive: true, force: true });
  }

  console.log();
  if (failures.length > 0) {
    console.error(`demo FAILED (${failures.length}):`);
    for (const failure of failures) console.error(`  ✗ ${failure}`);
    return 1;
  }
  console.log('demo passed: every check succeeded');
  return 0;
}

const watchdog = setTimeout(() => {
  console.error(`demo FAILED: still running after ${DEMO_TIMEOUT_MS / 1000} s`);
  process.exit(1);
}, DEMO_TIMEOUT_MS);
watchdog.unref();

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('demo FAILED:', error);
    process.exitCode = 1;
  },
);
