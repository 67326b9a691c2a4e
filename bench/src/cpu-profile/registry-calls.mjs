// The client side profiled by the cpu-profile benchmark: `registry.callTool` on the minimal server
// over stdio, 256 calls in flight, as in the per-call benchmark, in a process of its own that
// run-all starts under `--cpu-prof` (the profile is written when this process exits).
//
//   node --cpu-prof --cpu-prof-dir=DIR registry-calls.mjs <batches>
import { connectContender } from '../lib/contenders.mjs';
import { minimalStdio } from '../lib/servers.mjs';

const batches = Math.max(1, Number(process.argv[2] ?? 40));
const inFlight = 256;
const contender = await connectContender('toolwire registry.callTool', {
  transport: 'stdio',
  ...minimalStdio(),
});
let counter = 1;
for (let batch = 0; batch < batches; batch++) {
  await Promise.all(Array.from({ length: inFlight }, () => contender.call(counter++)));
}
await contender.close();
process.stdout.write(`${JSON.stringify({ calls: batches * inFlight })}\n`);
