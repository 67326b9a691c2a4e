// One contender of the per-call benchmark, alone in this process, for a CPU profile of the
// measured calls only (start-up and warm-up are left out):
//   node bench/src/profile/per-call.mjs --profile /tmp/registry.cpuprofile \
//     --contender 'toolwire registry.callTool' --transport stdio --concurrency 256 --batches 200
// (`--interval 50` samples every 50 µs, for sequential calls that take a few hundred.)
// Or several contenders interleaved (no profile), to compare ratios quickly:
//   node bench/src/profile/per-call.mjs --contender 'raw SDK v2 client,toolwire registry.callTool' ...
// `--server everything` calls the reference server-everything's `echo` over stdio instead of the
// minimal server (a real SDK server; sequential calls are what the benchmark measures there).
// Prints the median time per call of each contender and its ratio to the first one.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { CONTENDERS, connectContender } from '../lib/contenders.mjs';
import { interleave } from '../lib/interleave.mjs';
import { minimalStdio, referenceServer, startMinimalHttp } from '../lib/servers.mjs';
import { pairedRatio, summarize } from '../lib/stats.mjs';

const { values } = parseArgs({
  options: {
    contender: { type: 'string', default: CONTENDERS[2] },
    transport: { type: 'string', default: 'stdio' },
    server: { type: 'string', default: 'minimal' },
    concurrency: { type: 'string', default: '256' },
    batches: { type: 'string', default: '40' },
    warmup: { type: 'string', default: '5' },
    profile: { type: 'string' },
    // Microseconds between samples; V8's default (1000) sees little of a 150 µs sequential call.
    interval: { type: 'string', default: '1000' },
  },
});
const names = values.contender.split(',').map((name) => name.trim());
for (const name of names) if (!CONTENDERS.includes(name)) throw new Error(`unknown contender ${name}`);
const concurrency = Number(values.concurrency);
if (!['minimal', 'everything'].includes(values.server)) throw new Error(`unknown server ${values.server}`);
if (values.server === 'everything' && values.transport !== 'stdio')
  throw new Error('server-everything: stdio only');
const http = values.transport === 'http' ? await startMinimalHttp() : undefined;
const server =
  values.server === 'everything'
    ? {
        transport: 'stdio',
        name: 'everything',
        command: process.execPath,
        args: [referenceServer('everything'), 'stdio'],
        expect: (message) => `Echo: ${message}`,
      }
    : http
      ? { transport: 'http', url: http.url }
      : { transport: 'stdio', ...minimalStdio() };
const contenders = [];
// Each stdio contender's own server process (the children that appeared while it connected), for
// the server's CPU time per call: a server may do more for one client than for another.
const serverPids = new Map();
for (const name of names) {
  const before = new Set(children());
  contenders.push(await connectContender(name, server));
  serverPids.set(
    name,
    children().filter((pid) => !before.has(pid)),
  );
}
let counter = 1;
// This process's CPU time per call (user + system): steadier than wall time on a busy machine,
// and only the client's own work (each server runs in its own process).
const cpu = new Map(names.map((name) => [name, []]));
let serverStart;
const session = values.profile ? new Session() : undefined;
const samples = await interleave({
  rows: contenders,
  iterations: Number(values.batches),
  warmup: Number(values.warmup),
  between: async (_row, round) => {
    if (session && round === -1) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: Number(values.interval) });
      await session.post('Profiler.start');
    }
  },
  measure: async (contender, round) => {
    if (round === 0 && !serverStart) serverStart = serverCpu();
    const usage = process.cpuUsage();
    const started = performance.now();
    if (concurrency === 1) await contender.call(counter++);
    else await Promise.all(Array.from({ length: concurrency }, () => contender.call(counter++)));
    const elapsed = (performance.now() - started) / concurrency;
    const { user, system } = process.cpuUsage(usage);
    if (round >= 0) cpu.get(contender.name).push((user + system) / 1000 / concurrency);
    return elapsed;
  },
});
const serverUsed = serverCpu();
if (session) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(values.profile, JSON.stringify(profile));
  session.disconnect();
}
// Ratios to the first contender from the per-iteration pairs (median and 95% interval).
const interval = ({ median, low, high }) => `${median.toFixed(3)}× (${low.toFixed(2)}–${high.toFixed(2)})`;
for (const name of names) {
  const { median, count } = summarize(samples.get(name));
  const cpuMedian = summarize(cpu.get(name)).median;
  console.log(
    `wall ${interval(pairedRatio(samples.get(name), samples.get(names[0])))} ${(median * 1000).toFixed(1)} µs  ` +
      `cpu ${interval(pairedRatio(cpu.get(name), cpu.get(names[0])))} ${(cpuMedian * 1000).toFixed(1)} µs  ` +
      `server cpu ${((serverUsed.get(name) - serverStart.get(name)) / (count * concurrency)).toFixed(0)} µs  n=${count}  ${name}`,
  );
}
await Promise.allSettled(contenders.map((contender) => contender.close()));
await http?.stop();
process.exit(0);

/** This process's children now (Linux /proc). */
function children() {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (statFields(entry)[1] === String(process.pid)) found.push(entry);
    } catch {} // gone meanwhile
  }
  return found;
}

/** User + system CPU time of each contender's server processes so far, in µs (10 ms ticks). */
function serverCpu() {
  const used = new Map();
  for (const [name, pids] of serverPids) {
    let total = 0;
    for (const pid of pids) {
      const fields = statFields(pid);
      total += (Number(fields[11]) + Number(fields[12])) * 10_000;
    }
    used.set(name, total);
  }
  return used;
}

/** The fields of /proc/PID/stat after the command name (state is [0], the parent's pid [1]). */
function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}
