// CI's smoke run of the benchmarks: every benchmark with tiny iteration counts (and small server
// counts), checked for well-formed rows: every contender present, finite positive times, the
// baseline's ratio exactly 1, and a report that renders. No timing is asserted: CI machines are
// shared, and only `pnpm bench` on a quiet machine says anything about speed. The per-test
// timeouts only guard against a hang: the work is small enough to take seconds on a quiet machine,
// and a busy one must not fail it.
// The benchmarks run side by side, each in a process of its own (test/support/run-isolated.mjs),
// all started when this file loads: most of a benchmark's smoke run is waiting for server
// processes to start, which overlaps well. Each test then checks its benchmark's rows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROFILES } from '../src/benchmarks/cpu-profile.mjs';
import { ROWS as GATEWAY_ROWS } from '../src/benchmarks/gateway.mjs';
import { SIDES } from '../src/benchmarks/memory.mjs';
import { SETUPS } from '../src/benchmarks/per-call.mjs';
import { SERVERS as PUBLISHER_SERVERS } from '../src/benchmarks/publisher.mjs';
import { FLEETS } from '../src/benchmarks/publisher-fleet.mjs';
import { MEASURES, CONTENDERS as SCHEMA_CONTENDERS } from '../src/benchmarks/schema.mjs';
import { ROWS as START_UP_ROWS } from '../src/benchmarks/start-up.mjs';
import { CONTENDERS } from '../src/lib/contenders.mjs';
import { describeMachine } from '../src/lib/machine.mjs';
import { renderReport } from '../src/lib/report.mjs';
import { pairedRatio, verdict } from '../src/lib/stats.mjs';
import { checkTargets } from '../src/lib/targets.mjs';
import { runIsolated } from './support/run-isolated.mjs';

const results = {};

/** Each benchmark's smoke run, started at once; a failure surfaces in its own test. */
const running = {
  // One process per server and transport (the longest smoke run otherwise), rows joined in order.
  'per-call': Promise.all(
    SETUPS.map((setup) =>
      runIsolated('per-call.mjs', {
        scale: 0.002,
        concurrencies: [1, 16],
        servers: [setup.server],
        transports: [setup.transport],
      }),
    ),
  ).then((parts) => ({ ...parts[0], rows: parts.flatMap((part) => part.rows) })),
  gateway: runIsolated('gateway.mjs', { scale: 0.005 }),
  'cpu-profile': runIsolated('cpu-profile.mjs', { scale: 0.005 }),
  'start-up': runIsolated('start-up.mjs', { scale: 0.01, counts: [1] }),
  // No memory warm-up round: each round waits out the servers' 5 s idle connections (the run's
  // longest wait), and the measured round still checks every row.
  publisher: runIsolated('publisher.mjs', { scale: 0.01, memoryWarmup: 0 }),
  'publisher-fleet': runIsolated('publisher-fleet.mjs', { scale: 0.01 }),
  schema: runIsolated('schema.mjs', { scale: 0.05 }),
  memory: runIsolated('memory.mjs', { scale: 0.2, servers: 10, toolsPerServer: 5 }),
};
for (const promise of Object.values(running)) promise.catch(() => {}); // reported by its test

async function resultOf(id) {
  results[id] = await running[id];
  return results[id];
}

function assertTime(value, where) {
  assert.ok(Number.isFinite(value) && value > 0, `${where}: expected a positive time, got ${value}`);
}

const HANG_GUARD = { timeout: 900_000 };

test('per-call: every contender, server, transport and concurrency has a row', HANG_GUARD, async () => {
  const result = await resultOf('per-call');
  for (const setup of SETUPS) {
    for (const concurrency of setup.concurrencies.filter((level) => level !== 256)) {
      const where = (contender) => `${contender} ${setup.server} ${setup.transport} ×${concurrency}`;
      for (const contender of CONTENDERS) {
        const row = result.rows.find(
          (candidate) =>
            candidate.server === setup.server &&
            candidate.transport === setup.transport &&
            candidate.concurrency === concurrency &&
            candidate.contender === contender,
        );
        assert.ok(row, `missing ${where(contender)}`);
        assertTime(row.medianMs, `${where(contender)} median`);
        assertTime(row.p99Ms, `${where(contender)} p99`);
        assert.ok(row.p99Ms >= row.medianMs, 'p99 below the median');
        assert.ok(row.q1Ms <= row.medianMs && row.medianMs <= row.q3Ms, `${where(contender)}: IQR`);
        assert.ok(row.samples >= 2);
        assert.ok(row.spread.low <= row.spread.median && row.spread.median <= row.spread.high);
        if (contender === CONTENDERS[0]) assert.equal(row.ratio, 1);
        else assert.ok(Number.isFinite(row.ratio) && row.ratio > 0);
        // Paired with every other row of its loop, for the fastest-peer column and the targets.
        assert.equal(Object.keys(row.versus).length, CONTENDERS.length - 1);
      }
    }
  }
  assert.equal(result.frameworkFloors.length, 2);
  for (const floor of result.frameworkFloors) assertTime(floor.medianMs, floor.name);
});

test(
  'gateway: direct, through the gateway (stdio, HTTP and server-everything upstream; with and without work per call), the hop alone and the floor',
  HANG_GUARD,
  async () => {
    const result = await resultOf('gateway');
    assert.deepEqual(
      result.rows.map((row) => row.name),
      GATEWAY_ROWS.map((row) => row.name),
    );
    assert.ok(
      result.rows.some((row) => row.path === 'hop'),
      'the downstream hop row',
    );
    assert.ok(
      result.rows.some((row) => row.upstream === 'everything' && row.path === 'gateway'),
      'the realistic upstream (server-everything) row',
    );
    for (const upstream of ['stdio', 'http']) {
      for (const path of ['direct', 'gateway']) {
        assert.ok(
          result.rows.some((row) => row.upstream === upstream && row.workMs > 0 && row.path === path),
          `the ${path} row with an upstream doing work (${upstream})`,
        );
      }
    }
    for (const row of result.rows) {
      assertTime(row.medianMs, row.name);
      assert.ok(typeof row.hops === 'string' && row.hops.includes('→'), `${row.name}: names its hops`);
      if (row.path === 'direct') assert.equal(row.ratio, 1);
      if (row.path !== 'gateway') continue;
      for (const key of ['spread', 'addedSpread', 'ownWorkSpread', 'floorSpread']) {
        assert.ok(row[key].count >= 2 && Number.isFinite(row[key].high), `${row.name}: ${key}`);
      }
    }
  },
);

test('cpu-profile: top self-time frames of the registry and publisher runs', HANG_GUARD, async () => {
  const result = await resultOf('cpu-profile');
  assert.deepEqual(
    result.profiles.map((profile) => profile.id),
    PROFILES.map((profile) => profile.id),
  );
  for (const profile of result.profiles) {
    assertTime(profile.busyMs, `${profile.id} busy time`);
    // Start-up is counted apart: a process always loads modules before its first call.
    assertTime(profile.loadingMs, `${profile.id} module loading`);
    assert.ok(profile.frames.length > 0 && profile.frames.length <= 10, `${profile.id}: frames`);
    for (const frame of profile.frames) {
      assert.ok(frame.functionName && frame.file, `${profile.id}: a frame without a name`);
      assert.ok(frame.percent > 0 && frame.percent <= 100, `${profile.id}: ${frame.percent}%`);
    }
  }
});

test('verdicts come from the interval of the paired ratios, not from one median', () => {
  const baseline = Array.from({ length: 40 }, () => 1);
  const around = (centre, wobble) => baseline.map((_, index) => centre + ((index % 5) - 2) * wobble);
  assert.equal(verdict(pairedRatio(around(0.9, 0.01), baseline), 1), 'met');
  assert.equal(verdict(pairedRatio(around(1.2, 0.01), baseline), 1), 'missed');
  assert.equal(verdict(pairedRatio(around(1, 0.05), baseline), 1), 'inconclusive');
  assert.equal(verdict(pairedRatio(around(1.2, 0.01), baseline), 1.1, 'at least'), 'met');
  // Too few pairs for a confidence interval: the range of the pairs decides.
  const few = pairedRatio([0.9, 1.05], [1, 1]);
  assert.equal(few.level, 'range');
  assert.equal(verdict(few, 1), 'inconclusive');
  assert.equal(verdict(pairedRatio([1.5, 1.6], [1, 1]), 1), 'inconclusive', 'two pairs decide nothing');
});

test('start-up: every row for each server count, all tools listed', HANG_GUARD, async () => {
  const result = await resultOf('start-up');
  for (const servers of [1]) {
    for (const contender of START_UP_ROWS) {
      const row = result.rows.find(
        (candidate) => candidate.servers === servers && candidate.contender === contender,
      );
      assert.ok(row, `missing ${contender} for ${servers} servers`);
      assertTime(row.medianMs, `${contender} (${servers})`);
      if (contender === START_UP_ROWS[0]) assert.equal(row.ratio, 1);
    }
  }
});

test(
  'publisher: calls per second, new-session latency and memory, stateful and stateless',
  HANG_GUARD,
  async () => {
    const result = await resultOf('publisher');
    assert.deepEqual(
      result.rows.map((row) => row.server),
      PUBLISHER_SERVERS,
    );
    for (const row of result.rows) {
      assertTime(row.callsPerSecond, `${row.server} calls per second`);
      assertTime(row.sessionMedianMs, `${row.server} new session`);
      assert.ok(
        Number.isFinite(row.heapPerSessionKB),
        `${row.server}: heap per session ${row.heapPerSessionKB}`,
      );
    }
    assert.equal(result.rows[0].callsPerSecondRatio, 1);
    assert.equal(result.rows[0].sessionRatio, 1);
    // Like with like: stateless rows are paired with the raw SDK v2 server stateless.
    for (const row of result.rows) {
      if (row.server === row.baseline) continue;
      assert.equal(row.stateless, row.baseline.endsWith(', stateless'), `${row.server}: baseline`);
      assert.ok(Number.isFinite(row.callsPerSecondSpread.high), `${row.server}: calls/s spread`);
      assert.ok(Number.isFinite(row.sessionSpread.high), `${row.server}: session spread`);
    }
  },
);

test(
  'publisher fleet: calls per second through HAProxy, for 1 and 3 instances',
  HANG_GUARD,
  async (context) => {
    // Needs HAProxy and Redis: fails in CI without them, skips loudly elsewhere.
    const result = await resultOf('publisher-fleet');
    if (result.skipped) {
      context.skip(result.skipped);
      return;
    }
    assert.deepEqual(
      result.rows.map((row) => row.fleet),
      FLEETS.map((fleet) => fleet.name),
    );
    for (const row of result.rows) assertTime(row.callsPerSecond, `${row.fleet} calls per second`);
    assert.equal(result.rows[0].callsPerSecondRatio, 1);
  },
);

test('schema: compile and validate rows for both validators, corpus checked', HANG_GUARD, async () => {
  const result = await resultOf('schema');
  assert.ok(result.corpus.reference >= 30, 'the reference corpus is missing schemas');
  assert.ok(result.corpus.hard >= 10, 'the hard cases are missing');
  for (const measure of MEASURES) {
    for (const contender of SCHEMA_CONTENDERS) {
      const row = result.rows.find(
        (candidate) => candidate.measure === measure && candidate.contender === contender,
      );
      assert.ok(row, `missing ${measure} for ${contender}`);
      assertTime(row.medianMs, `${measure} ${contender}`);
    }
  }
  const toolwire = result.correctness.find((entry) => entry.contender === 'toolwire JSONSchemaValidator');
  assert.deepEqual(toolwire.compileFailures, []);
  assert.deepEqual(toolwire.wrongVerdicts, []);
});

test('memory: every side measured in its own process', HANG_GUARD, async () => {
  const result = await resultOf('memory');
  assert.deepEqual(
    result.rows.map((row) => row.side),
    SIDES,
  );
  for (const row of result.rows) assert.ok(row.rssMB > 10, `${row.side}: RSS ${row.rssMB} MB`);
  assert.equal(result.rows[0].addedRssMB, 0);
  assert.equal(result.rows[1].tools, 50);
});

test('the report renders every section from these results', () => {
  const targets = checkTargets(results);
  assert.ok(targets.length >= 20);
  for (const target of targets)
    assert.ok(['met', 'missed', 'inconclusive', 'pending'].includes(target.verdict), target.text);
  // Measured in the smoke run (no 256 in flight, one server count): these have a verdict.
  for (const id of [
    'per-call:everything:toolwire registry.callTool:vs-ai-sdk',
    'gateway:stdio',
    'gateway:http',
    'gateway-work:stdio',
    'gateway-work:http',
  ])
    assert.notEqual(targets.find((target) => target.id === id)?.verdict, 'pending', id);
  const { markdown, svg } = renderReport({
    machine: describeMachine(),
    results,
    targets,
    history: [],
    options: { scale: 0.002 },
  });
  for (const heading of [
    '## Machine',
    '## Targets',
    '## 1. Per-call overhead',
    '## 2. Start-up',
    '## 3. Publisher',
    '## 4. Schema work',
    '## 5. Memory',
    '## 6. Gateway overhead',
    'the downstream hop alone',
    "The gateway's own work per call",
    'What the rows with work show',
    'ms of work per call',
    '## 7. CPU profile summary',
    '### Lazy, cached, no server contacted',
    'fastest peer',
  ]) {
    assert.ok(markdown.includes(heading), `missing ${heading}`);
  }
  assert.ok(!markdown.includes('NaN'), 'the report shows NaN');
  assert.match(svg, /^<svg [^>]*>/);
  assert.ok(svg.trim().endsWith('</svg>'));
});
