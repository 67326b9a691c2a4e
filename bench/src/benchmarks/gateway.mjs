// Gateway overhead (issue #20): one `echo` call through `@toolwire/gateway` (its Streamable HTTP
// endpoint on 127.0.0.1, src/servers/gateway-server.mjs, in a process of its own) against the
// same call made straight to the upstream, the minimal server, with the upstream reached over
// stdio and over Streamable HTTP. Every row is the raw SDK v2 client making sequential calls:
//   - direct, stdio: the client spawns the minimal server itself;
//   - gateway, stdio upstream: the client calls the gateway, which spawned the minimal server;
//   - direct, HTTP: the client calls a minimal HTTP server;
//   - gateway, HTTP upstream: the client calls the gateway, which calls its own minimal HTTP server;
//   - the downstream hop alone: the client calls `@toolwire/publisher` serving the same echo
//     itself over Streamable HTTP (src/servers/echo-publisher-server.mjs), what any HTTP server in
//     front of the client adds;
//   - direct and through the gateway (stdio upstream) to the reference server-everything's `echo`,
//     a real SDK server: an upstream that does the work any SDK server does per call.
// A gateway call is two hops where the direct call is one, so with an upstream that does no work
// its ratio cannot approach 1: each gateway row also reports the time it adds per call (paired
// with its direct row) and the gateway's own work, the added time less the hop (paired, per
// iteration: gateway − direct − hop), and the floor: the ratio a gateway doing no work of its own
// would reach, (direct + hop) / direct, paired. The seven rows interleave; fresh servers and
// connections per block, as in per-call.
import { connectContender } from '../lib/contenders.mjs';
import { interleave, pause } from '../lib/interleave.mjs';
import { minimalStdio, referenceServer, startChildServer, startMinimalHttp } from '../lib/servers.mjs';
import { medianInterval, pairedDifference, pairedRatio, summarize } from '../lib/stats.mjs';

const SCRIPT = new URL('../servers/gateway-server.mjs', import.meta.url).pathname;
const HOP_SCRIPT = new URL('../servers/echo-publisher-server.mjs', import.meta.url).pathname;
const CLIENT = 'raw SDK v2 client';

export const FULL = { blocks: 2, warmup: 200, iterations: 2000 };

/**
 * The rows: `{ name, upstream, path, hops }`; `hops` names the transport of every hop a call
 * takes (`path: 'hop'` is the downstream hop alone, with no upstream).
 */
export const ROWS = [
  { name: 'direct, stdio', upstream: 'stdio', path: 'direct', hops: 'client →stdio→ server' },
  {
    name: 'through the gateway, stdio upstream',
    upstream: 'stdio',
    path: 'gateway',
    hops: 'client →HTTP→ gateway →stdio→ server',
  },
  { name: 'direct, Streamable HTTP', upstream: 'http', path: 'direct', hops: 'client →HTTP→ server' },
  {
    name: 'through the gateway, Streamable HTTP upstream',
    upstream: 'http',
    path: 'gateway',
    hops: 'client →HTTP→ gateway →HTTP→ server',
  },
  {
    name: 'direct, server-everything (stdio)',
    upstream: 'everything',
    path: 'direct',
    hops: 'client →stdio→ server-everything',
  },
  {
    name: 'through the gateway, server-everything upstream (stdio)',
    upstream: 'everything',
    path: 'gateway',
    hops: 'client →HTTP→ gateway →stdio→ server-everything',
  },
  {
    name: 'the downstream hop alone: @toolwire/publisher serving the echo itself',
    upstream: 'none',
    path: 'hop',
    hops: 'client →HTTP→ publisher (no upstream)',
  },
];

export async function run({ scale = 1, log = () => {} } = {}) {
  const blocks = scale >= 1 ? FULL.blocks : 1;
  const iterations = Math.max(2, Math.round((FULL.iterations * scale) / blocks));
  const warmup = Math.max(1, Math.round((FULL.warmup * scale) / blocks));
  const samples = new Map(ROWS.map((row) => [row.name, []]));
  for (let block = 0; block < blocks; block++) {
    const processes = [];
    const connected = [];
    try {
      // The direct HTTP row and the gateway's HTTP upstream each get their own minimal server.
      const directHttp = await startMinimalHttp();
      processes.push(directHttp);
      const upstreamHttp = await startMinimalHttp();
      processes.push(upstreamHttp);
      const stdioGateway = await startChildServer(SCRIPT, ['stdio']);
      processes.push(stdioGateway);
      const httpGateway = await startChildServer(SCRIPT, ['http', upstreamHttp.url]);
      processes.push(httpGateway);
      const everythingGateway = await startChildServer(SCRIPT, ['everything']);
      processes.push(everythingGateway);
      const hop = await startChildServer(HOP_SCRIPT);
      processes.push(hop);
      const everything = {
        name: 'everything',
        tool: 'echo',
        expect: (message) => `Echo: ${message}`,
      };
      const servers = {
        [ROWS[0].name]: { transport: 'stdio', ...minimalStdio() },
        [ROWS[1].name]: { transport: 'http', url: stdioGateway.url, tool: 'minimal__echo' },
        [ROWS[2].name]: { transport: 'http', url: directHttp.url },
        [ROWS[3].name]: { transport: 'http', url: httpGateway.url, tool: 'minimal__echo' },
        [ROWS[4].name]: {
          ...everything,
          transport: 'stdio',
          command: process.execPath,
          args: [referenceServer('everything'), 'stdio'],
        },
        [ROWS[5].name]: {
          ...everything,
          transport: 'http',
          url: everythingGateway.url,
          tool: 'everything__echo',
        },
        [ROWS[6].name]: { transport: 'http', url: hop.url, tool: 'minimal__echo' },
      };
      for (const row of ROWS) {
        const contender = await connectContender(CLIENT, servers[row.name]);
        connected.push({ ...contender, name: row.name });
      }
      log(`gateway: block ${block + 1}/${blocks}, ${iterations} iterations`);
      let counter = 1;
      const measured = await interleave({
        rows: connected,
        iterations,
        warmup,
        measure: async (row) => {
          const started = performance.now();
          await row.call(counter++);
          return performance.now() - started;
        },
      });
      for (const row of ROWS) samples.get(row.name).push(...measured.get(row.name));
    } finally {
      await Promise.allSettled(connected.map((contender) => contender.close()));
      await Promise.allSettled(processes.map((process) => process.stop()));
      await pause(100);
    }
  }
  const hopRow = ROWS.find((row) => row.path === 'hop');
  const hopSamples = samples.get(hopRow.name);
  const rows = ROWS.map((row) => {
    const summary = summarize(samples.get(row.name));
    const own = samples.get(row.name);
    const direct = ROWS.find((other) => other.upstream === row.upstream && other.path === 'direct');
    const directSamples = direct ? samples.get(direct.name) : undefined;
    const spread = row.path === 'gateway' ? pairedRatio(own, directSamples) : undefined;
    return {
      name: row.name,
      upstream: row.upstream,
      path: row.path,
      hops: row.hops,
      medianMs: summary.median,
      p99Ms: summary.p99,
      q1Ms: summary.q1,
      q3Ms: summary.q3,
      samples: summary.count,
      // The hop row has no direct row of its own: no ratio.
      ...(row.path === 'hop' ? {} : { ratio: spread ? spread.median : 1 }),
      ...(spread
        ? {
            spread,
            /** Milliseconds a call through the gateway adds to the direct call (paired). */
            addedSpread: pairedDifference(own, directSamples),
            /** The added time less the downstream hop's whole call (paired): the gateway's own work. */
            ownWorkSpread: gatewayOwnWork(own, directSamples, hopSamples),
            /** (direct + hop) / direct, paired: the ratio of a gateway that did no work of its own. */
            floorSpread: pairedRatio(
              directSamples.map((value, index) => value + (hopSamples[index] ?? Number.NaN)),
              directSamples,
            ),
          }
        : {}),
      ...(direct ? { directMedianMs: summarize(directSamples).median } : {}),
    };
  });
  return { id: 'gateway', client: CLIENT, rows };
}

/** Per iteration, gateway − direct − hop (ms), as a median with its interval. */
function gatewayOwnWork(gateway, direct, hop) {
  const length = Math.min(gateway.length, direct.length, hop.length);
  const values = [];
  for (let index = 0; index < length; index++) values.push(gateway[index] - direct[index] - hop[index]);
  return medianInterval(values);
}
