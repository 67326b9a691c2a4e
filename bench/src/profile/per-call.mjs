// One contender of the per-call benchmark, alone in this process, for a CPU profile of the
// measured calls only (start-up and warm-up are left out):
//   node bench/src/profile/per-call.mjs --profile /tmp/registry.cpuprofile \
//     --contender 'toolwire registry.callTool' --transport stdio --concurrency 256 --batches 200
// (`--interval 50` samples every 50 µs, for sequential calls that take a few hundred.)
// Or several contenders interleaved (no profile), to compare ratios quickly:
//   node bench/src/profile/per-call.mjs --contender 'raw SDK v2 client,toolwire registry.callTool' ...
// Prints the median time per call of each contender and its ratio to the first one.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { CONTENDERS, connectContender } from '../lib/contenders.mjs';
import { interleave } from '../lib/interleave.mjs';
import { minimalStdio, startMinimalHttp } from '../lib/servers.mjs';
import { summarize } from '../lib/stats.mjs';

const { values } = parseArgs({
  options: {
    contender: { type: 'string', default: CONTENDERS[2] },
    transport: { type: 'string', default: 'stdio' },
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
const http = values.transport === 'http' ? await startMinimalHttp() : undefined;
const server = http ? { transport: 'http', url: http.url } : { transport: 'stdio', ...minimalStdio() };
const contenders = [];
for (const name of names) contenders.push(await connectContender(name, server));
let counter = 1;
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
  measure: async (contender) => {
    const started = performance.now();
    if (concurrency === 1) await contender.call(counter++);
    else await Promise.all(Array.from({ length: concurrency }, () => contender.call(counter++)));
    return (performance.now() - started) / concurrency;
  },
});
if (session) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(values.profile, JSON.stringify(profile));
  session.disconnect();
}
const base = summarize(samples.get(names[0])).median;
for (const name of names) {
  const { median, count } = summarize(samples.get(name));
  console.log(`${(median / base).toFixed(3)}×  ${(median * 1000).toFixed(1)} µs/call  n=${count}  ${name}`);
}
await Promise.allSettled(contenders.map((contender) => contender.close()));
await http?.stop();
process.exit(0);
