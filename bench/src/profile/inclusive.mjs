// Inclusive (total) time of the frames matching a pattern in a V8 CPU profile, as shares of the
// sampled time, counting each sample once even when the frame recurs on its stack:
//   node bench/src/profile/inclusive.mjs /tmp/x.cpuprofile 'packages/core' [--top 25]
// Lists the matching functions with the most time below them: where toolwire's own code spends.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '25' } },
  allowPositionals: true,
});
const [file, pattern = ''] = positionals;
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const matcher = new RegExp(pattern);
const totals = new Map();
let total = 0;
profile.samples.forEach((id, index) => {
  const time = profile.timeDeltas[index] ?? 0;
  total += time;
  const seen = new Set();
  for (let current = id; current !== undefined; current = parent.get(current)) {
    const frame = byId.get(current).callFrame;
    const key = `${frame.functionName || '(anonymous)'}  ${short(frame.url)}:${frame.lineNumber + 1}`;
    if (seen.has(key) || !matcher.test(`${frame.functionName} ${frame.url}`)) continue;
    seen.add(key);
    totals.set(key, (totals.get(key) ?? 0) + time);
  }
});
for (const [key, time] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top)))
  console.log(`${((100 * time) / total).toFixed(1).padStart(5)}%  ${key}`);

function short(url) {
  const modules = url.lastIndexOf('node_modules/');
  if (modules !== -1) return url.slice(modules + 'node_modules/'.length);
  const packages = url.indexOf('/packages/');
  return packages === -1 ? url.replace(/^file:\/\//, '') : url.slice(packages + 1);
}
