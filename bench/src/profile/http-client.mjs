// The HTTP client leg alone (issue #20): sequential `echo` calls to the minimal Streamable HTTP
// server, interleaved, from `registry.callTool` on core's default path (Node's `http` module,
// packages/core/src/transports/node-http-fetch.ts) and on the global `fetch` (undici, what core
// used before; `fetch: globalThis.fetch` still selects it), the raw SDK v2 client and
// `@ai-sdk/mcp`. Each row reports the median wall time per call and this process's CPU time per
// call (user + system, `process.cpuUsage`), which moves far less than wall time on a busy
// machine; ratios are to the first row.
//   node bench/src/profile/http-client.mjs --rounds 30 --calls 100
import { parseArgs } from 'node:util';
import { createRegistry, silentLogger } from '@toolwire/core';
import { connectContender } from '../lib/contenders.mjs';
import { interleave } from '../lib/interleave.mjs';
import { startMinimalHttp } from '../lib/servers.mjs';
import { summarize } from '../lib/stats.mjs';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '30' }, calls: { type: 'string', default: '100' } },
});
const http = await startMinimalHttp();
const server = { transport: 'http', url: http.url, name: 'minimal' };

async function registryRow(name, fetch) {
  const registry = await createRegistry({
    servers: { minimal: { url: http.url, transport: 'streamable-http' } },
    cache: 'none',
    logger: silentLogger,
    ...(fetch ? { fetch } : {}),
  });
  return {
    name,
    call: (index) => registry.callTool('minimal__echo', { message: `m${index}` }),
    close: () => registry.close(),
  };
}

const rows = [
  { ...(await connectContender('raw SDK v2 client', server)), name: 'raw SDK v2 client' },
  await registryRow('registry.callTool, global fetch (undici)', globalThis.fetch),
  await registryRow('registry.callTool, default (node:http)'),
  { ...(await connectContender('@ai-sdk/mcp tool', server)), name: '@ai-sdk/mcp tool' },
];
const cpu = new Map(rows.map((row) => [row.name, []]));
const calls = Number(values.calls);
let counter = 1;
const wall = await interleave({
  rows,
  iterations: Number(values.rounds),
  warmup: 3,
  measure: async (row, round) => {
    const before = process.cpuUsage();
    const started = performance.now();
    for (let index = 0; index < calls; index++) await row.call(counter++);
    const elapsed = ((performance.now() - started) * 1000) / calls;
    const used = process.cpuUsage(before);
    if (round >= 0) cpu.get(row.name).push((used.user + used.system) / calls);
    return elapsed;
  },
});
const base = rows[0].name;
const wallBase = summarize(wall.get(base)).median;
const cpuBase = summarize(cpu.get(base)).median;
for (const row of rows) {
  const w = summarize(wall.get(row.name)).median;
  const c = summarize(cpu.get(row.name)).median;
  console.log(
    `${row.name.padEnd(42)} wall ${w.toFixed(0).padStart(5)} µs (${(w / wallBase).toFixed(2)}×)   client CPU ${c.toFixed(0).padStart(4)} µs (${(c / cpuBase).toFixed(2)}×)`,
  );
}
await Promise.allSettled(rows.map((row) => row.close()));
await http.stop();
process.exit(0);
