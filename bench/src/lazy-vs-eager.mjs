// Benchmark (not a test): how long until an agent has its tool catalogue, for N real stdio
// servers (the reference memory server). Compares an eager start with a cold cache (spawn and
// handshake every server) with a lazy start from a warm file cache (no process spawned), and
// adds the lazy registry's first call (which spawns only that call's server). Medians of
// BENCH_ROUNDS runs; all rows measured in the same process, side by side.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRegistry, silentLogger } from '@toolwire/core';

const require = createRequire(import.meta.url);
const memoryServer = join(
  dirname(require.resolve('@modelcontextprotocol/server-memory/package.json')),
  'dist',
  'index.js',
);
const counts = (process.env.BENCH_SERVERS ?? '1,5,10').split(',').map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const workDirectory = mkdtempSync(join(tmpdir(), 'toolwire-bench-'));

function servers(count) {
  const entries = {};
  for (let index = 0; index < count; index++) {
    entries[`memory${index}`] = {
      command: process.execPath,
      args: [memoryServer],
      env: { MEMORY_FILE_PATH: join(workDirectory, `memory${index}.jsonl`) },
    };
  }
  return entries;
}

async function timed(action) {
  const started = performance.now();
  const value = await action();
  return { ms: performance.now() - started, value };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const rows = [];
try {
  for (const count of counts) {
    const config = servers(count);
    const eager = [];
    const lazy = [];
    const lazyFirstCall = [];
    let tools = 0;
    for (let round = 0; round < rounds; round++) {
      const cacheDirectory = join(workDirectory, `cache-${count}-${round}`);
      // Eager, cold cache: every server is spawned and listed before createRegistry resolves.
      const cold = await timed(() =>
        createRegistry({ servers: config, cache: 'file', cacheDirectory, logger: silentLogger }),
      );
      eager.push(cold.ms);
      tools = cold.value.tools().length;
      if (cold.value.servers().some((server) => server.status !== 'active')) {
        throw new Error('a server failed to start; the numbers would be meaningless');
      }
      await cold.value.close();
      // Lazy, warm cache (written by the eager run): the catalogue without spawning anything.
      const warm = await timed(() =>
        createRegistry({
          servers: config,
          cache: 'file',
          cacheDirectory,
          loading: 'lazy',
          logger: silentLogger,
        }),
      );
      lazy.push(warm.ms);
      if (warm.value.tools().length !== tools)
        throw new Error('the warm catalogue differs from the live one');
      const first = await timed(() => warm.value.callTool('memory0__read_graph', {}));
      lazyFirstCall.push(warm.ms + first.ms);
      await warm.value.close();
    }
    rows.push({
      servers: count,
      tools,
      eagerColdMs: median(eager),
      lazyWarmMs: median(lazy),
      lazyWarmFirstCallMs: median(lazyFirstCall),
    });
  }
} finally {
  rmSync(workDirectory, { recursive: true, force: true });
}

const format = (ms) => `${ms.toFixed(1)} ms`;
console.log(`lazy warm start vs eager cold start (${rounds} rounds, median; stdio server-memory)`);
console.log('');
console.log(
  '| servers | tools | eager, cold cache | lazy, warm cache | speed-up | lazy: start + first call |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) {
  console.log(
    `| ${row.servers} | ${row.tools} | ${format(row.eagerColdMs)} | ${format(row.lazyWarmMs)} | ${(row.eagerColdMs / row.lazyWarmMs).toFixed(0)}× | ${format(row.lazyWarmFirstCallMs)} |`,
  );
}
console.log('');
console.log(JSON.stringify({ benchmark: 'lazy-vs-eager', rounds, rows }));
