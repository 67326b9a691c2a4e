/**
 * toolwire demo, the main job end to end: publishes three local tools (a typed tool, a LangChain
 * tool, an AI SDK tool) as an MCP server on 127.0.0.1, connects one registry to it and to real
 * reference MCP servers (server-everything, server-memory, server-filesystem over stdio), prints
 * the catalogue, makes one call per server, runs a LangChain agent turn and an AI SDK agent turn
 * (scripted models by default, a real provider when OPENAI_API_KEY is set), and prints the stats.
 * Every result is checked; exits 1 when anything is wrong, so CI runs it as a test.
 *
 *   pnpm demo            # from the repository root (builds the packages first)
 *   node src/main.ts --quiet   # only failures and the verdict
 *
 * Steps run in order; each gets the registry and records failed checks.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry, type Registry } from '@toolwire/core';
import type { DemoContext, DemoStep } from './demo-context.ts';
import { referenceServers } from './servers.ts';
import { aiSDKTurnStep } from './steps/ai-sdk-turn.ts';
import { callsStep } from './steps/calls.ts';
import { catalogueStep } from './steps/catalogue.ts';
import { langChainTurnStep } from './steps/langchain-turn.ts';
import { statsStep } from './steps/stats.ts';
import { startToolbox } from './toolbox.ts';

const steps: DemoStep[] = [catalogueStep, callsStep, langChainTurnStep, aiSDKTurnStep, statsStep];

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
  const toolbox = await startToolbox();
  try {
    const servers = { toolbox: { url: toolbox.url }, ...referenceServers(workDir) };
    print(
      `toolwire demo: our publisher at ${toolbox.url} + ${Object.keys(servers).length - 1} reference MCP servers over stdio`,
    );
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
    await toolbox.close();
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
