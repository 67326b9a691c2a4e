#!/usr/bin/env node
// Starts the publisher fixture on 127.0.0.1 (a free port) and a gateway whose only upstream is
// a second copy of that fixture (other free ports), runs the official conformance suite's server scenarios
// against both targets (in parallel), and exits non-zero on any unexpected failure:
//   1. @modelcontextprotocol/conformance 0.1.16, every server scenario (`--suite all`);
//   2. the 0.2.0-alpha.12 prerelease, the scenarios the 2026-07-28 revision requires.
// The fixture's expected failures (and reasons) are in expected-failures.2026-07-28.yaml (0.1.16
// has none); the gateway's are the fixture's plus those in expected-failures.gateway.*.yaml, so
// the gateway cannot lose a scenario the fixture passes without an entry saying why. Suite 0.1.16
// counts a scenario's SHOULD warnings as failures once it is given a baseline, so its baseline is
// checked here (from its summary) rather than by the suite.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { bundle } from '../conformance-client/bundle-entries.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const cliOf = (name) => join(dirname(require.resolve(`${name}/package.json`)), 'dist', 'index.js');
const started = performance.now();

const outputDir = mkdtempSync(join(tmpdir(), 'toolwire-conformance-'));
/**
 * One-file builds (../conformance-client/bundle-entries.mjs) of the two suites' CLIs and of the
 * server scripts: module loading was most of each process's CPU; the code is the same.
 */
const bundled = (entry, name) => bundle(entry, join(outputDir, 'bundles', name));
const [stableCli, nextCli, fixtureScript, gatewayScript] = await Promise.all([
  bundled(cliOf('@modelcontextprotocol/conformance'), 'cli-0.1.16.mjs'),
  bundled(cliOf('@modelcontextprotocol/conformance-next'), 'cli-next.mjs'),
  bundled(join(here, 'fixture-server.mjs'), 'fixture-server.mjs'),
  bundled(join(here, 'gateway-server.mjs'), 'gateway-server.mjs'),
]);

/** Starts a server script that prints {"url": …} as its first stdout line; resolves that URL. */
const startServer = (label, script, args = []) => {
  const child = spawn(process.execPath, [script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start within 30 s`)), 30_000);
    child.once('exit', (code) => reject(new Error(`${label} exited early (${code})`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line).url);
    });
  });
  return { child, url };
};

/**
 * The scenario names of an expected-failures file. The files here keep to one shape (`server:`
 * then `  - name` lines, or `server: []`), which this reads without a YAML parser.
 */
const expectedFailures = (file) => {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      const entry = /^\s+-\s+([\w./-]+)\s*(#.*)?$/.exec(line);
      return entry ? [entry[1]] : [];
    });
};

/** A baseline file holding the scenarios of `files` together (the suite takes one file). */
const baseline = (name, files) => {
  const names = [...new Set(files.flatMap(expectedFailures))];
  const file = join(outputDir, `${name}.yaml`);
  writeFileSync(
    file,
    names.length === 0 ? 'server: []\n' : `server:\n${names.map((n) => `  - ${n}\n`).join('')}`,
  );
  return file;
};

/** Runs one suite against one target; resolves its exit code and the lines worth keeping. */
const runSuite = (target, url, label, cli, args) =>
  new Promise((resolve) => {
    const lines = [`\n### ${target}: ${label}`];
    const child = spawn(
      process.execPath,
      [cli, 'server', '--url', url, '-o', join(outputDir, `${target}-${label}`), ...args],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    // Keep the summary, drop the per-scenario progress lines.
    let summary = false;
    const failedScenarios = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('SUMMARY')) summary = true;
      const failure = summary && /^✗ ([\w./-]+):/.exec(line);
      if (failure) failedScenarios.push(failure[1]);
      // The suite's own total counts checks of expected-failure scenarios as failed; reword it so
      // log readers (and CI summaries) do not take it for this run's verdict.
      const total = /^Total: (\d+) passed, (\d+) failed/.exec(line);
      if (total) lines.push(`checks: ${total[1]} succeeded, ${total[2]} did not (see the verdict below)`);
      else if (summary || /unexpected|stale|expected/i.test(line)) lines.push(line);
    });
    child.on('exit', (code) => resolve({ code: code ?? 1, lines, failedScenarios }));
  });

/** Suite 0.1.16 without a baseline, compared here with `expected` (scenario names). */
const runStable = async (target, url, expected) => {
  const run = await runSuite(target, url, '0.1.16', stableCli, ['--suite', 'all']);
  const unexpected = run.failedScenarios.filter((name) => !expected.includes(name));
  const stale = expected.filter((name) => !run.failedScenarios.includes(name));
  if (expected.length > 0) run.lines.push(`expected failures: ${expected.join(', ')}`);
  if (unexpected.length > 0) run.lines.push(`unexpected failures: ${unexpected.join(', ')}`);
  if (stale.length > 0) run.lines.push(`stale expected failures (these pass now): ${stale.join(', ')}`);
  // A failed scenario the baseline names makes the suite exit non-zero: the verdict is ours.
  const passed = unexpected.length === 0 && stale.length === 0 && (run.code === 0 || expected.length > 0);
  return { ...run, code: passed ? 0 : 1 };
};

/** Both suites, one after the other, against one target; prints its log in one piece at the end. */
const runTarget = async (target, url, baselines) => {
  const stable = await runStable(target, url, baselines.stable);
  const next = await runSuite(target, url, '0.2.0-alpha.12 (2026-07-28)', nextCli, [
    '--requirements',
    '2026-07-28',
    '--expected-failures',
    baselines.next,
  ]);
  console.log([...stable.lines, ...next.lines].join('\n'));
  return {
    passed: stable.code === 0 && next.code === 0,
    failed: [...stable.failedScenarios, ...next.failedScenarios],
  };
};

const fixture = startServer('fixture', fixtureScript);
// The gateway's upstream is a fixture of its own: both suites run at once, and scenarios change
// the fixture's lists at run time (test_trigger_tool_change), which on a shared fixture raced the
// other suite's tools-list scenario (three consecutive lists must show the same tools).
const upstream = startServer('upstream', fixtureScript);
let gateway;
let failed = false;
try {
  const fixtureURL = await fixture.url;
  gateway = startServer('gateway', gatewayScript, [await upstream.url]);
  const gatewayURL = await gateway.url;
  console.log(`fixture: ${fixtureURL}\ngateway (upstream: a second copy of the fixture): ${gatewayURL}`);
  const fixtureNext = join(here, 'expected-failures.2026-07-28.yaml');
  const results = await Promise.all([
    runTarget('fixture', fixtureURL, {
      stable: [],
      next: fixtureNext,
    }),
    runTarget('gateway', gatewayURL, {
      stable: expectedFailures(join(here, 'expected-failures.gateway.0.1.16.yaml')),
      next: baseline('gateway-2026-07-28', [
        fixtureNext,
        join(here, 'expected-failures.gateway.2026-07-28.yaml'),
      ]),
    }),
  ]);
  failed = results.some((result) => !result.passed);
  // The suite scores only the scenarios a revision requires (not the Tasks extension's, say):
  // every scenario the fixture passes must pass through the gateway, or be in its baseline. (Stale
  // entries are the suites' to find: 0.1.16's in runStable, 0.2.0's by the suite itself, which
  // also counts a scenario with warnings as failed.)
  const [alone, through] = results;
  const gatewayBaseline = [
    ...expectedFailures(join(here, 'expected-failures.gateway.0.1.16.yaml')),
    ...expectedFailures(join(here, 'expected-failures.gateway.2026-07-28.yaml')),
  ];
  const lost = through.failed.filter(
    (name) => !alone.failed.includes(name) && !gatewayBaseline.includes(name),
  );
  if (lost.length > 0) {
    console.log(`\ngateway lost what the fixture passes alone: ${[...new Set(lost)].join(', ')}`);
    failed = true;
  }
} catch (error) {
  console.error(error);
  failed = true;
} finally {
  gateway?.child.kill('SIGTERM');
  fixture.child.kill('SIGTERM');
  upstream.child.kill('SIGTERM');
  rmSync(outputDir, { recursive: true, force: true });
}
const seconds = ((performance.now() - started) / 1000).toFixed(0);
console.log(
  failed
    ? `\nconformance: FAILED (${seconds} s)`
    : `\nconformance: all scenarios as expected, fixture and gateway (${seconds} s)`,
);
process.exit(failed ? 1 : 0);
