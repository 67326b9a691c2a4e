#!/usr/bin/env node
/**
 * Runs every client scenario of the official MCP conformance suite against `client.mjs` (our
 * client on `@toolwire/core`), one CLI run per scenario, and compares the outcome with the
 * expected-failures baseline (`expected-failures.json`, each entry with its reason).
 *
 * Exit code 1 when a scenario fails that the baseline does not list, when a baselined scenario
 * passes (the baseline is stale: remove the entry), or when the suite lists a scenario we never
 * ran. Options: `--scenario <name>` (repeatable) runs only those; `--verbose` prints the CLI's
 * output for every scenario, not only for failures.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const cli = join(
  dirname(require.resolve('@modelcontextprotocol/conformance/package.json')),
  'dist',
  'index.js',
);
const clientCommand = `node ${join(here, 'client.mjs')}`;
/** Scenarios whose checks measure timing run alone, so the other runs do not skew them. */
const timingSensitive = new Set(['sse-retry']);
const CONCURRENCY = 3;
const SCENARIO_TIMEOUT_MS = 60_000;

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const only = args.flatMap((arg, index) => (arg === '--scenario' ? [args[index + 1]] : []));

const baseline = new Map(
  JSON.parse(await readFile(join(here, 'expected-failures.json'), 'utf8')).map((entry) => [
    entry.scenario,
    entry.reason,
  ]),
);

const listed = await listClientScenarios();
for (const name of baseline.keys()) {
  if (!listed.includes(name)) fail(`expected-failures.json lists "${name}", which the suite does not have`);
}
for (const name of only) {
  if (!listed.includes(name)) fail(`unknown scenario "${name}"; the suite has: ${listed.join(', ')}`);
}
const selected = only.length > 0 ? only : listed;

const outputRoot = await mkdtemp(join(tmpdir(), 'toolwire-conformance-'));
const results = [];
try {
  for (const name of selected.filter((scenario) => timingSensitive.has(scenario))) {
    results.push(await runScenario(name));
  }
  const queue = selected.filter((scenario) => !timingSensitive.has(scenario));
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        results.push(await runScenario(name));
      }
    }),
  );
} finally {
  await rm(outputRoot, { recursive: true, force: true });
}

results.sort((left, right) => selected.indexOf(left.name) - selected.indexOf(right.name));
let problems = 0;
console.log('\nMCP conformance, client scenarios (@toolwire/core):');
for (const result of results) {
  const reason = baseline.get(result.name);
  let line;
  if (result.passed && reason === undefined) line = `  pass      ${result.name}`;
  else if (!result.passed && reason !== undefined) line = `  expected  ${result.name} (${reason})`;
  else if (result.passed) {
    problems++;
    line = `  STALE     ${result.name}: passes now; remove it from expected-failures.json`;
  } else {
    problems++;
    line = `  FAIL      ${result.name}${result.summary ? `: ${result.summary}` : ''}`;
  }
  console.log(line);
  if ((verbose || (!result.passed && reason === undefined)) && result.output) {
    console.log(indent(result.output));
  }
}
const passed = results.filter((result) => result.passed).length;
console.log(
  `\n${passed}/${results.length} passed, ${results.length - passed} failed (${baseline.size} expected)`,
);
if (problems > 0) fail(`${problems} scenario(s) did not match the baseline`);

async function runScenario(name) {
  const outputDir = join(outputRoot, name.replaceAll('/', '_'));
  const { exitCode, output } = await run(process.execPath, [
    cli,
    'client',
    '--command',
    clientCommand,
    '--scenario',
    name,
    '--timeout',
    String(SCENARIO_TIMEOUT_MS),
    '--output-dir',
    outputDir,
  ]);
  const checks = await readChecks(outputDir);
  const failed = checks.filter((check) => check.status === 'FAILURE' || check.status === 'WARNING');
  const summary = failed.map((check) => `${check.id}: ${check.errorMessage ?? check.description}`).join('; ');
  return { name, passed: exitCode === 0, summary, output };
}

async function readChecks(outputDir) {
  try {
    const [runDir] = await readdir(outputDir);
    if (!runDir) return [];
    return JSON.parse(await readFile(join(outputDir, runDir, 'checks.json'), 'utf8'));
  } catch {
    return [];
  }
}

async function listClientScenarios() {
  const { exitCode, output } = await run(process.execPath, [cli, 'list']);
  if (exitCode !== 0) fail(`conformance list failed:\n${output}`);
  const section = output.split(/Client scenarios[^\n]*\n/)[1] ?? '';
  return [...section.matchAll(/^\s+-\s+(\S+)/gm)].map((match) => match[1]);
}

function run(command, commandArgs) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('close', (code) => resolve({ exitCode: code ?? 1, output }));
    child.on('error', (error) => resolve({ exitCode: 1, output: `${output}\n${error.message}` }));
  });
}

function indent(text) {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
}

function fail(message) {
  console.error(`\n${message}`);
  process.exit(1);
}
