// Top self-time frames of a V8 CPU profile (`node --cpu-prof`), as shares of the sampled time:
//   node bench/src/profile/summarize.mjs /tmp/prof/CPU.*.cpuprofile [--top 25]
// Frames are grouped by function, file (node_modules package or workspace path) and line, so a
// summary compares across runs on a busy machine: shares, not absolute times.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '25' }, by: { type: 'string', default: 'frame' } },
  allowPositionals: true,
});
for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const hits = new Map();
  const deltas = profile.timeDeltas;
  for (let index = 0; index < profile.samples.length; index++) {
    const id = profile.samples[index];
    hits.set(id, (hits.get(id) ?? 0) + (deltas[index] ?? 0));
  }
  const total = [...hits.values()].reduce((sum, value) => sum + value, 0);
  const grouped = new Map();
  for (const [id, time] of hits) {
    const frame = byId.get(id).callFrame;
    const key = values.by === 'package' ? where(frame.url) : label(frame);
    grouped.set(key, (grouped.get(key) ?? 0) + time);
  }
  const top = [...grouped].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
  console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
  for (const [key, time] of top) console.log(`${((100 * time) / total).toFixed(1).padStart(5)}%  ${key}`);
}

function label(frame) {
  return `${frame.functionName || '(anonymous)'}  ${where(frame.url)}:${frame.lineNumber + 1}`;
}

function where(url) {
  if (!url) return '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    return `${name}/${rest.slice(rest[0].startsWith('@') ? 2 : 1).join('/')}`;
  }
  const packages = url.indexOf('/packages/');
  return packages === -1 ? url.replace(/^file:\/\//, '') : url.slice(packages + 1);
}
