// Publisher fleet: calls per second through a load balancer. The fleet of tests/fleet (publisher
// instances in processes of their own, `createRedisStore` on the local Redis, HAProxy round robin
// without stickiness) with 1 and with 3 instances, both started side by side and measured in
// interleaved loops by the raw SDK v2 client on one 2025-era session, 16 calls in flight. With
// 3 instances every call may land on an instance that has to rebuild the session once, and each
// call's events and notices go through Redis. Ratios are to the 1-instance fleet.
// Needs HAProxy and Redis: without them the rows are left out (the page says so).
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startFleet } from '../../../tests/fleet/support/fleet.mjs';
import { fleetAvailable } from '../../../tests/fleet/support/requirements.mjs';
import { interleave } from '../lib/interleave.mjs';
import { pairedRatio, ratio, summarize } from '../lib/stats.mjs';

export const FLEETS = [
  { name: '1 instance', instances: 1 },
  { name: '3 instances', instances: 3 },
];

export const FULL = { iterations: 20, warmup: 2, calls: 320, inFlight: 16 };

export async function run({ scale = 1, log = () => {} } = {}) {
  if (!(await fleetAvailable())) {
    return { id: 'publisher-fleet', skipped: 'HAProxy or Redis is not available on this machine', rows: [] };
  }
  const fleets = {};
  const clients = {};
  try {
    // The fleets start side by side; whatever started is stopped below even when another fails.
    const started = await Promise.allSettled(
      FLEETS.map(async ({ name, instances }) => {
        fleets[name] = await startFleet({ instances });
      }),
    );
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    for (const { name } of FLEETS) {
      const client = new Client(
        { name: 'toolwire-bench', version: '1.0.0' },
        { versionNegotiation: { mode: 'legacy' } },
      );
      const transport = new StreamableHTTPClientTransport(new URL(fleets[name].url));
      await client.connect(transport);
      clients[name] = { client, transport };
      const result = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
      if (result.content?.[0]?.text !== '5')
        throw new Error(`${name}: add(2, 3) returned ${JSON.stringify(result)}`);
    }
    const calls = Math.max(32, Math.round(FULL.calls * scale));
    const iterations = Math.max(2, Math.round(FULL.iterations * scale));
    log(`publisher fleet: calls per second through HAProxy, ${iterations} iterations of ${calls} calls`);
    let counter = 0;
    const samples = await interleave({
      rows: FLEETS.map(({ name }) => ({ name })),
      iterations,
      warmup: Math.max(1, Math.round(FULL.warmup * scale)),
      measure: async (row) => {
        const { client } = clients[row.name];
        let next = 0;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: FULL.inFlight }, async () => {
            while (next < calls) {
              next++;
              const a = counter++;
              const result = await client.callTool({ name: 'add', arguments: { a, b: 1 } });
              if (result.content?.[0]?.text !== String(a + 1)) throw new Error(`${row.name}: wrong sum`);
            }
          }),
        );
        return calls / ((performance.now() - started) / 1000);
      },
    });
    const baseline = summarize(samples.get(FLEETS[0].name)).median;
    return {
      id: 'publisher-fleet',
      callsPerIteration: calls,
      inFlight: FULL.inFlight,
      rows: FLEETS.map(({ name, instances }) => {
        const summary = summarize(samples.get(name));
        return {
          fleet: name,
          instances,
          callsPerSecond: summary.median,
          callsPerSecondRatio: ratio(summary.median, baseline),
          callsPerSecondQ1: summary.q1,
          callsPerSecondQ3: summary.q3,
          // Paired per round with the 1-instance fleet (median, 95% interval).
          callsPerSecondSpread:
            name === FLEETS[0].name ? undefined : pairedRatio(samples.get(name), samples.get(FLEETS[0].name)),
          samples: summary.count,
        };
      }),
    };
  } finally {
    await Promise.allSettled(
      Object.values(clients).map(async ({ client, transport }) => {
        await transport.terminateSession().catch(() => {});
        await client.close();
      }),
    );
    await Promise.allSettled(Object.values(fleets).map((fleet) => fleet.close()));
  }
}
