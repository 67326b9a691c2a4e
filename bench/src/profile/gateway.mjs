// Where a gateway call's time goes, in the gateway process: the gateway benchmark's servers
// (src/servers/gateway-server.mjs with a stdio or HTTP upstream, and the hop alone,
// src/servers/echo-publisher-server.mjs) driven by the raw SDK v2 client with sequential `echo`
// calls, interleaved, each server process's CPU time per call read from /proc (user + system,
// Linux only): on a busy machine CPU time per call moves far less than wall time, and the
// gateway's own CPU work is its row less the hop's.
//   node bench/src/profile/gateway.mjs --rows direct,stdio,http,http-undici,hop --rounds 20 --calls 200 [--profile DIR]
// Row `direct` is the minimal HTTP server called straight (the bare `node:http` floor the hop is
// compared with). Row `http-undici` is the HTTP upstream with the registry on the global `fetch`
// (undici) rather than core's default on Node (node:http): the two client paths side by side.
// With --profile every server process writes a CPU profile on exit (`--cpu-prof`, sampled every
// --interval µs, default 100: a sequential call lasts a few hundred µs), named
// CPU.<date>.<pid>…cpuprofile; the pids are printed. Summarise with summarize.mjs / inclusive.mjs.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { interleave } from '../lib/interleave.mjs';
import { MINIMAL_SERVER, startChildServer, startMinimalHttp } from '../lib/servers.mjs';
import { summarize } from '../lib/stats.mjs';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: 'direct,stdio,http,hop' },
    rounds: { type: 'string', default: '20' },
    calls: { type: 'string', default: '200' },
    profile: { type: 'string' },
    interval: { type: 'string', default: '100' },
  },
});
const gatewayScript = new URL('../servers/gateway-server.mjs', import.meta.url).pathname;
const hopScript = new URL('../servers/echo-publisher-server.mjs', import.meta.url).pathname;
const nodeOptions = values.profile
  ? ['--cpu-prof', '--cpu-prof-interval', values.interval, `--cpu-prof-dir=${values.profile}`]
  : [];
const upstreams = [];
const rows = [];
for (const kind of values.rows.split(',')) {
  let server;
  if (kind === 'hop') server = await startChildServer(hopScript, [], { nodeOptions });
  else if (kind === 'direct') server = await startChildServer(MINIMAL_SERVER, ['http'], { nodeOptions });
  else if (kind === 'http' || kind === 'http-undici') {
    const upstream = await startMinimalHttp();
    upstreams.push(upstream);
    const fetchOption = kind === 'http-undici' ? ['--fetch', 'global'] : [];
    server = await startChildServer(gatewayScript, ['http', upstream.url, ...fetchOption], { nodeOptions });
  } else server = await startChildServer(gatewayScript, [kind], { nodeOptions });
  const client = new Client({ name: 'toolwire-profile', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(server.url));
  await client.connect(transport);
  const tool = kind === 'everything' ? 'everything__echo' : kind === 'direct' ? 'echo' : 'minimal__echo';
  console.log(`${kind}: pid ${server.child.pid}`);
  rows.push({ name: kind, server, client, transport, tool, cpu: [] });
}
const calls = Number(values.calls);
const wall = await interleave({
  rows,
  iterations: Number(values.rounds),
  warmup: 2,
  measure: async (row) => {
    const cpuBefore = cpuMicros(row.server.child.pid);
    const started = performance.now();
    for (let index = 0; index < calls; index++) {
      await row.client.callTool({ name: row.tool, arguments: { message: `m${index}` } });
    }
    const elapsed = performance.now() - started;
    row.cpu.push((cpuMicros(row.server.child.pid) - cpuBefore) / calls);
    return (elapsed * 1000) / calls;
  },
});
const direct = wall.has('direct') ? summarize(wall.get('direct')).median : undefined;
for (const row of rows) {
  // The warm-up rounds measured CPU too: keep the timed rounds only.
  const cpu = summarize(row.cpu.slice(-Number(values.rounds))).median;
  const time = summarize(wall.get(row.name)).median;
  const ratio = direct === undefined ? '' : `  ${(time / direct).toFixed(2)}× direct`;
  console.log(
    `${row.name.padEnd(12)} ${time.toFixed(0).padStart(6)} µs/call wall  ${cpu.toFixed(0).padStart(5)} µs/call server CPU${ratio}`,
  );
}
for (const row of rows) {
  await row.transport.terminateSession().catch(() => {});
  await row.client.close();
  await row.server.stop();
}
for (const upstream of upstreams) await upstream.stop();
process.exit(0);

/** User + system CPU time of a process so far, in µs (Linux /proc, clock ticks of 10 ms). */
function cpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the command name and state.
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}
