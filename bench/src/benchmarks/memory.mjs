// Memory: what a large catalogue costs a process. A registry holding 100 servers × 50 tools (the
// corpus's real tool schemas and descriptions, taken in turn) is loaded lazily from a prefilled
// file cache, so no server runs, and compared with an empty registry; also with the whole
// catalogue turned into LangChain tools and into AI SDK tools. Every side is measured in a fresh
// child process after forced GC (clean RSS), sides interleaved, median of the runs.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistry, silentLogger } from '@toolwire/core';
import { interleave } from '../lib/interleave.mjs';
import { MINIMAL_SERVER, startChildServer } from '../lib/servers.mjs';
import { median, pairedDifference, summarize } from '../lib/stats.mjs';

export const SIDES = ['empty', 'catalogue', 'catalogue+langchain', 'catalogue+ai-sdk'];
export const FULL = { iterations: 6, servers: 100, toolsPerServer: 50 }; // 6 runs: the fewest with a 95% interval

const CHILD = fileURLToPath(new URL('./memory-child.mjs', import.meta.url));
const CORPUS = fileURLToPath(new URL('../../corpus/reference-tools.json', import.meta.url));

export async function run({
  scale = 1,
  log = () => {},
  servers = FULL.servers,
  toolsPerServer = FULL.toolsPerServer,
} = {}) {
  const iterations = Math.max(1, Math.round(FULL.iterations * scale));
  const cacheDirectory = mkdtempSync(join(tmpdir(), 'toolwire-bench-memory-'));
  try {
    // Prefill the cache once, from live servers, exactly as an earlier run of the app would.
    const server = await startChildServer(MINIMAL_SERVER, [
      'http',
      '--tools',
      String(toolsPerServer),
      '--corpus',
      CORPUS,
    ]);
    const definitions = {};
    for (let index = 0; index < servers; index++) {
      definitions[`server${String(index).padStart(3, '0')}`] = {
        url: server.url,
        transport: 'streamable-http',
      };
    }
    try {
      const seed = await createRegistry({
        servers: definitions,
        cache: 'file',
        cacheDirectory,
        logger: silentLogger,
      });
      const listed = seed.tools().length;
      await seed.close();
      if (listed !== servers * toolsPerServer) throw new Error(`prefill listed ${listed} tools`);
    } finally {
      await server.stop();
    }
    log(`memory: ${servers} servers × ${toolsPerServer} tools, ${iterations} runs per side`);
    const config = JSON.stringify({ servers: definitions, cacheDirectory });
    const results = await interleave({
      rows: SIDES.map((name) => ({ name })),
      iterations,
      warmup: 0,
      measure: async (row) => {
        const report = await runChild(row.name, config);
        const expected = row.name === 'empty' ? 0 : servers * toolsPerServer;
        if (report.tools !== expected || report.connections !== 0) {
          throw new Error(`memory ${row.name}: ${report.tools} tools, ${report.connections} connections`);
        }
        return [report];
      },
    });
    const summary = (side, key) => median(results.get(side).map((report) => report[key]));
    const emptyRss = summary('empty', 'rss');
    const emptyHeap = summary('empty', 'heapUsed');
    const values = (side, key) => results.get(side).map((report) => report[key] / 2 ** 20);
    const rows = SIDES.map((side) => ({
      side,
      rssQ1MB: summarize(values(side, 'rss')).q1,
      rssQ3MB: summarize(values(side, 'rss')).q3,
      // Per-run pairs with the empty registry measured in the same iteration (median, 95% interval).
      addedRssSpread:
        side === 'empty' ? undefined : pairedDifference(values(side, 'rss'), values('empty', 'rss')),
      tools: side === 'empty' ? 0 : servers * toolsPerServer,
      rssMB: summary(side, 'rss') / 2 ** 20,
      heapUsedMB: summary(side, 'heapUsed') / 2 ** 20,
      addedRssMB: (summary(side, 'rss') - emptyRss) / 2 ** 20,
      addedHeapMB: (summary(side, 'heapUsed') - emptyHeap) / 2 ** 20,
      samples: results.get(side).length,
    }));
    return { id: 'memory', servers, toolsPerServer, rows };
  } finally {
    rmSync(cacheDirectory, { recursive: true, force: true });
  }
}

function runChild(side, config) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', CHILD, side, config], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`memory child (${side}) exited with ${code}`));
      try {
        resolve(JSON.parse(output.trim().split('\n').at(-1)));
      } catch (error) {
        reject(error);
      }
    });
  });
}
