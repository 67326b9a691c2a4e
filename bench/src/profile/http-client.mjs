// The HTTP client leg alone (issue #20): sequential `echo` calls to the minimal Streamable HTTP
// server from `registry.callTool` on core's default path on Node (`node:http`,
// packages/core/src/transports/node-http-fetch.ts) and on the global `fetch` (undici, what core
// used before; `fetch: globalThis.fetch` still selects it), the raw SDK v2 client and
// `@ai-sdk/mcp`. Each row runs in a process of its own per block (blocks interleaved, one server
// for all), so that garbage collection and undici's deferred clean-up land on the row that caused
// them; it reports the median over blocks of the wall time per call and of the process's CPU time
// per call (user + system), which moves far less than wall time on a busy machine. Ratios are to
// the first row.
//   node bench/src/profile/http-client.mjs --blocks 6 --calls 1000
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRegistry, silentLogger } from '@toolwire/core';
import { connectContender } from '../lib/contenders.mjs';
import { startMinimalHttp } from '../lib/servers.mjs';
import { summarize } from '../lib/stats.mjs';

const { values } = parseArgs({
  options: {
    blocks: { type: 'string', default: '6' },
    calls: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '200' },
    rows: { type: 'string', default: 'raw,undici,node,ai-sdk' },
    child: { type: 'string' },
    url: { type: 'string' },
  },
});

const ROWS = {
  raw: 'raw SDK v2 client',
  undici: 'registry.callTool, global fetch (undici)',
  node: 'registry.callTool, default (node:http)',
  'ai-sdk': '@ai-sdk/mcp tool',
};

if (values.child) {
  const url = values.url;
  const server = { transport: 'http', url, name: 'minimal' };
  let row;
  if (values.child === 'raw') row = await connectContender('raw SDK v2 client', server);
  else if (values.child === 'ai-sdk') row = await connectContender('@ai-sdk/mcp tool', server);
  else {
    const registry = await createRegistry({
      servers: { minimal: { url, transport: 'streamable-http' } },
      cache: 'none',
      logger: silentLogger,
      ...(values.child === 'undici' ? { fetch: globalThis.fetch } : {}),
    });
    row = {
      call: (index) => registry.callTool('minimal__echo', { message: `m${index}` }),
      close: () => registry.close(),
    };
  }
  for (let index = 0; index < Number(values.warmup); index++) await row.call(index);
  const calls = Number(values.calls);
  const before = process.cpuUsage();
  const started = performance.now();
  for (let index = 0; index < calls; index++) await row.call(index);
  const wall = ((performance.now() - started) * 1000) / calls;
  const used = process.cpuUsage(before);
  process.stdout.write(`${JSON.stringify({ wall, cpu: (used.user + used.system) / calls })}\n`);
  await row.close();
  process.exit(0);
}

const http = await startMinimalHttp();
const names = values.rows.split(',');
const samples = new Map(names.map((name) => [name, { wall: [], cpu: [] }]));
const script = fileURLToPath(import.meta.url);
for (let block = 0; block < Number(values.blocks); block++) {
  // Rotated, so no row always follows the same one.
  for (let step = 0; step < names.length; step++) {
    const name = names[(block + step) % names.length];
    const output = execFileSync(
      process.execPath,
      [script, '--child', name, '--url', http.url, '--calls', values.calls, '--warmup', values.warmup],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const { wall, cpu } = JSON.parse(output.trim().split('\n').at(-1));
    samples.get(name).wall.push(wall);
    samples.get(name).cpu.push(cpu);
  }
}
const base = samples.get(names[0]);
const wallBase = summarize(base.wall).median;
const cpuBase = summarize(base.cpu).median;
for (const name of names) {
  const wall = summarize(samples.get(name).wall).median;
  const cpu = summarize(samples.get(name).cpu).median;
  console.log(
    `${(ROWS[name] ?? name).padEnd(42)} wall ${wall.toFixed(0).padStart(5)} µs (${(wall / wallBase).toFixed(2)}×)   CPU ${cpu.toFixed(0).padStart(4)} µs (${(cpu / cpuBase).toFixed(2)}×)`,
  );
}
await http.stop();
process.exit(0);
