// `pnpm bench`: runs every benchmark in turn (each in this one process, rows interleaved inside
// it), then rewrites docs/benchmarks.md and docs/benchmarks.svg from the results. Each full run's
// results are also kept in bench/results/ (not committed), so the page can show how the target
// ratios moved over the last runs on this machine.
//
//   BENCH_SCALE=0.2 pnpm bench          fewer iterations (the page says so)
//   BENCH_ONLY=per-call,schema pnpm bench   some benchmarks only (the page is then not rewritten)
//   BENCH_RENDER_ONLY=1 node src/run-all.mjs   rewrite the page from the newest saved run, measuring nothing
//   BENCH_PAGE_DIR=/tmp/x BENCH_SCALE=0.05 pnpm bench   a dry run: the page goes to /tmp/x, docs/ untouched
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCHMARKS } from './benchmarks/index.mjs';
import { describeMachine } from './lib/machine.mjs';
import { CHART_FILE, renderReport } from './lib/report.mjs';
import { checkTargets } from './lib/targets.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pageDirectory = process.env.BENCH_PAGE_DIR ?? join(root, 'docs');
const resultsDirectory = fileURLToPath(new URL('../results/', import.meta.url));
const scale = Number(process.env.BENCH_SCALE ?? 1);
const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : undefined;
const log = (message) => console.log(`[bench] ${message}`);

// The SDK v2 HTTP client adds an abort listener to one long-lived signal per request (undici
// drops them only when the requests are collected), so thousands of calls on one session trip
// Node's MaxListenersExceededWarning once per request: print each kind of warning once.
const warnings = new Map();
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  const seen = warnings.get(warning.name) ?? 0;
  warnings.set(warning.name, seen + 1);
  if (seen === 0)
    console.warn(`[bench] ${warning.name}: ${warning.message} (further ones counted, not shown)`);
});

if (process.env.BENCH_RENDER_ONLY) {
  // Rewrites the page from the newest saved full run (after editing the report's text).
  const history = loadHistory();
  if (history.length === 0) throw new Error('no saved run in bench/results/: run pnpm bench first');
  const [latest] = history;
  const targets = checkTargets(latest.results);
  writePage({ ...latest, targets }, [{ ...latest, targets }, ...history.slice(1)]);
  process.exit(0);
}

const machine = describeMachine();
log(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAverage.join('/')}`);
const results = {};
// One benchmark that fails (a server that did not start on a busy machine) does not lose the
// others: the page names it, and its targets stay pending.
const failures = [];
for (const benchmark of BENCHMARKS) {
  if (only && !only.includes(benchmark.id)) continue;
  const started = performance.now();
  try {
    results[benchmark.id] = await benchmark.run({ scale, log });
    log(`${benchmark.id} done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } catch (error) {
    failures.push({ id: benchmark.id, message: error instanceof Error ? error.message : String(error) });
    log(
      `${benchmark.id} FAILED after ${((performance.now() - started) / 1000).toFixed(0)} s: ${error?.stack ?? error}`,
    );
  }
}
for (const [name, seen] of warnings) if (seen > 1) log(`${name}: ${seen} in all`);
const targets = checkTargets(results);
for (const target of targets) {
  log(
    `${target.verdict === 'met' ? 'met         ' : target.verdict.toUpperCase().padEnd(12)} ${target.text}: ${target.measured}`,
  );
}

if (only) {
  log('BENCH_ONLY is set: docs/benchmarks.md is left as it is');
  console.log(JSON.stringify({ machine, results, failures }, null, 2));
} else {
  const run = { machine, scale, date: machine.date, results, targets, failures };
  // Only full runs on the real page are kept for the page's run-to-run variation.
  writePage(run, scale === 1 && !process.env.BENCH_PAGE_DIR ? saveAndLoadHistory(run) : [run]);
}
process.exit(failures.length > 0 ? 1 : 0);

/** The repository formats Markdown with Biome (tables padded): format the page as `pnpm test` checks it. */
function formatWithBiome(file) {
  const biome = join(root, 'node_modules', '.bin', 'biome');
  const outcome = spawnSync(biome, ['format', '--write', file], { encoding: 'utf8' });
  if (outcome.status !== 0)
    log(`could not format ${file} with Biome: ${outcome.error?.message ?? outcome.stderr}`);
}

/** Writes docs/benchmarks.md and the chart for a run (`{ machine, scale, results, targets }`). */
function writePage(run, history) {
  const { markdown, svg } = renderReport({
    machine: run.machine,
    results: run.results,
    targets: run.targets,
    history,
    options: { scale: run.scale, failures: run.failures ?? [] },
  });
  mkdirSync(pageDirectory, { recursive: true });
  writeFileSync(join(pageDirectory, 'benchmarks.md'), markdown);
  writeFileSync(join(pageDirectory, CHART_FILE), svg);
  formatWithBiome(join(pageDirectory, 'benchmarks.md'));
  log(`wrote ${join(pageDirectory, 'benchmarks.md')} and ${CHART_FILE}`);
}

/** Keeps this run and returns the last five full runs, newest first. */
function saveAndLoadHistory(run) {
  mkdirSync(resultsDirectory, { recursive: true });
  writeFileSync(join(resultsDirectory, `run-${run.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(run));
  return loadHistory();
}

/** The last five saved full runs, newest first. */
function loadHistory() {
  if (!existsSync(resultsDirectory)) return [];
  return readdirSync(resultsDirectory)
    .filter((name) => name.startsWith('run-') && name.endsWith('.json'))
    .sort()
    .reverse()
    .slice(0, 5)
    .map((name) => JSON.parse(readFileSync(join(resultsDirectory, name), 'utf8')));
}
