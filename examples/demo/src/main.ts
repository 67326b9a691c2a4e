/**
 * toolwire demo, the main job end to end: publishes local tools (a typed tool, a LangChain tool,
 * an AI SDK tool) as an MCP server on 127.0.0.1, connects one registry to it, to real reference
 * MCP servers (server-everything, server-memory, server-filesystem over stdio) and to a server
 * that fails at start-up; prints the catalogue, shows the failing server isolated, makes one call
 * per server, runs two conversations in two MCP sessions, a LangChain agent turn and an AI SDK
 * agent turn (scripted models by default, a real provider when OPENAI_API_KEY is set), starts a
 * second registry warm and lazy from the schema cache (no server contacted), and prints the stats.
 * The schema cache lives in a temporary directory, removed at the end.
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
import { failingServer, referenceServers } from './servers.ts';
import { aiSDKTurnStep } from './steps/ai-sdk-turn.ts';
import { callsStep } from './steps/calls.ts';
import { catalogueStep } from './steps/catalogue.ts';
import { isolationStep } from './steps/isolation.ts';
import { langChainTurnStep } from './steps/langchain-turn.ts';
import { sessionsStep } from './steps/sessions.ts';
import { statsStep } from './steps/stats.ts';
import { warmStartStep } from './steps/warm-start.ts';
import { startToolbox } from './toolbox.ts';

const steps: DemoStep[] = [
  catalogueStep,
  isolationStep,
  callsStep,
  sessionsStep,
  langChainTurnStep,
  aiSDKTurnStep,
  warmStartStep,
  statsStep,
];
const FAILING_SERVER = 'weather';

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
    const servers = {
      // One MCP session per conversation (the 2025 protocol's sessions carry the state).
      toolbox: { url: toolbox.url, session: 'per-conversation' as const, protocol: 'legacy' },
      ...referenceServers(workDir),
      [FAILING_SERVER]: failingServer(),
    };
    const cacheDirectory = join(workDir, 'schema-cache');
    print(
      `toolwire demo: our publisher at ${toolbox.url} + ${Object.keys(servers).length - 2} reference MCP servers over stdio + one that fails at start-up`,
    );
    const started = performance.now();
    registry = await createRegistry({ servers, cache: 'file', cacheDirectory });
    const coldStartMs = performance.now() - started;
    print(
      `cold start: connected in ${Math.round(coldStartMs)} ms (in parallel), catalogue cached in a temporary directory`,
    );
    const context: DemoContext = {
      registry,
      servers,
      failingServer: FAILING_SERVER,
      cacheDirectory,
      coldStartMs,
      workDir,
      print,
      check,
    };
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
