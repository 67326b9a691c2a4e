// The publisher benchmark's servers side by side, calls/s with 16 calls in flight on one session
// each (interleaved rounds), optionally with a CPU profile of every server process:
//   node bench/src/profile/publisher.mjs --servers toolwire,raw --rounds 20 [--profile /tmp/dir]
// Each server writes its profile on exit (`--cpu-prof`), named CPU.<date>.<pid>…cpuprofile; the
// pids are printed. Summarise with summarize.mjs / inclusive.mjs.
import { parseArgs } from 'node:util';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { interleave } from '../lib/interleave.mjs';
import { startChildServer } from '../lib/servers.mjs';
import { summarize } from '../lib/stats.mjs';

const { values } = parseArgs({
  options: {
    servers: { type: 'string', default: 'raw,toolwire' },
    rounds: { type: 'string', default: '20' },
    calls: { type: 'string', default: '320' },
    profile: { type: 'string' },
  },
});
const script = new URL('../servers/publisher-server.mjs', import.meta.url).pathname;
const kinds = values.servers.split(',');
const rows = [];
for (const kind of kinds) {
  const nodeOptions = [
    '--expose-gc',
    ...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : []),
  ];
  const server = await startChildServer(script, [kind], { ipc: true, nodeOptions });
  const client = new Client({ name: 'toolwire-profile', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(server.url));
  await client.connect(transport);
  console.log(`${kind}: pid ${server.child.pid}`);
  rows.push({ name: kind, server, client, transport });
}
const calls = Number(values.calls);
const samples = await interleave({
  rows,
  iterations: Number(values.rounds),
  warmup: 2,
  measure: async (row) => {
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < calls) {
        next++;
        await row.client.callTool({ name: 'add', arguments: { a: next, b: 1 } });
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    return (calls * 1000) / (performance.now() - started);
  },
});
const base = summarize(samples.get(kinds[0])).median;
for (const kind of kinds) {
  const { median } = summarize(samples.get(kind));
  console.log(`${(median / base).toFixed(3)}×  ${median.toFixed(0)} calls/s  ${kind}`);
}
for (const row of rows) {
  await row.transport.terminateSession().catch(() => {});
  await row.client.close();
  const exited = new Promise((resolve) => row.server.child.once('exit', resolve));
  row.server.child.send('stop');
  await exited;
}
process.exit(0);
