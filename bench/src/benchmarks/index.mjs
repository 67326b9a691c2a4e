// Every benchmark `pnpm bench` runs, in order. Each module exports `run({ scale, log })`, which
// resolves with `{ id, rows, … }`; `scale` (0..1] shrinks its iteration counts (the smoke test
// runs them all with a tiny scale).
import * as cpuProfile from './cpu-profile.mjs';
import * as gateway from './gateway.mjs';
import * as memory from './memory.mjs';
import * as perCall from './per-call.mjs';
import * as publisher from './publisher.mjs';
import * as publisherFleet from './publisher-fleet.mjs';
import * as schema from './schema.mjs';
import * as startUp from './start-up.mjs';

export const BENCHMARKS = [
  { id: 'per-call', run: perCall.run },
  { id: 'start-up', run: startUp.run },
  { id: 'publisher', run: publisher.run },
  { id: 'publisher-fleet', run: publisherFleet.run },
  { id: 'schema', run: schema.run },
  { id: 'memory', run: memory.run },
  { id: 'gateway', run: gateway.run },
  { id: 'cpu-profile', run: cpuProfile.run },
];
