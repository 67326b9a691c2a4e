// Gateway overhead (issue #20): one `echo` call through `@toolwire/gateway` (its Streamable HTTP
// endpoint on 127.0.0.1, src/servers/gateway-server.mjs, in a process of its own) against the
// same call made straight to the upstream, the minimal server, with the upstream reached over
// stdio and over Streamable HTTP. Every row is the raw SDK v2 client making sequential calls:
//   - direct, stdio: the client spawns the minimal server itself;
//   - gateway, stdio upstream: the client calls the gateway, which spawned the minimal server;
//   - direct, HTTP: the client calls a minimal HTTP server;
//   - gateway, HTTP upstream: the client calls the gateway, which calls its own minimal HTTP server;
//   - direct and through the gateway (stdio upstream) to the reference server-everything's `echo`,
//     a real SDK server: an upstream that does the work any SDK server does per call;
//   - the same four minimal-server rows with an upstream that does work per call: the server
//     answers each call after a timer of WORK_MS (as one waiting for an API would), so these rows
//     show the ratio a deployment whose tools do real work gets;
//   - the downstream hop alone: the client calls `@toolwire/publisher` serving the same echo
//     itself over Streamable HTTP (src/servers/echo-publisher-server.mjs), what any HTTP server in
//     front of the client adds.
// A gateway call is two hops where the direct call is one, so with an upstream that does no work
// its ratio cannot approach 1: each gateway row also reports the time it adds per call (paired
// with its direct row) and the gateway's own work, the added time less the hop (paired, per
// iteration: gateway − direct − hop), and the floor: the ratio a gateway doing no work of its own
// would reach, (direct + hop) / direct, paired. All rows interleave; fresh servers and
// connections per block, as in per-call.
import { connectContender } from '../lib/contenders.mjs';
import { interleave, pause } from '../lib/interleave.mjs';
import { minimalStdio, referenceServer, startChildServer, startMinimalHttp } from '../lib/servers.mjs';
import { medianInterval, pairedDifference, pairedRatio, summarize } from '../lib/stats.mjs';

const SCRIPT = new URL('../servers/gateway-server.mjs', import.meta.url).pathname;
const HOP_SCRIPT = new URL('../servers/echo-publisher-server.mjs', import.meta.url).pathname;
const CLIENT = 'raw SDK v2 client';

/** Milliseconds the upstream of the work rows waits before it answers each call. */
export const WORK_MS = 10;

export const FULL = { blocks: 2, warmup: 200, iterations: 2000 };

/**
 * The rows: `{ name, upstream, workMs, path, hops }`; `hops` names the transport of every hop a
 * call takes (`path: 'hop'` is the downstream hop alone, with no upstream). A gateway row pairs
 * with the direct row of the same `upstream` and `workMs`.
 */
export const ROWS = [
  { name: 'direct, stdio', upstream: 'stdio', workMs: 0, path: 'direct', hops: 'client →stdio→ server' },
  {
    name: 'through the gateway, stdio upstream',
    upstream: 'stdio',
    workMs: 0,
    path: 'gateway',
    hops: 'client →HTTP→ gateway →stdio→ server',
  },
  {
    name: 'direct, Streamable HTTP',
    upstream: 'http',
    workMs: 0,
    path: 'direct',
    hops: 'client →HTTP→ server',
  },
  {
    name: 'through the gateway, Streamable HTTP upstream',
    upstream: 'http',
    workMs: 0,
    path: 'gateway',
    hops: 'client →HTTP→ gateway →HTTP→ server',
  },
  {
    name: 'direct, server-everything (stdio)',
    upstream: 'everything',
    workMs: 0,
    path: 'direct',
    hops: 'client →stdio→ server-everything',
  },
  {
    name: 'through the gateway, server-everything upstream (stdio)',
    upstream: 'everything',
    workMs: 0,
    path: 'gateway',
    hops: 'client →HTTP→ gateway →stdio→ server-everything',
  },
  {
    name: `direct, stdio, ${WORK_MS} ms of work per call`,
    upstream: 'stdio',
    workMs: WORK_MS,
    path: 'direct',
    hops: 'client →stdio→ server',
  },
  {
    name: `through the gateway, stdio upstream, ${WORK_MS} ms of work per call`,
    upstream: 'stdio',
    workMs: WORK_MS,
    path: 'gateway',
    hops: 'client →HTTP→ gateway →stdio→ server',
  },
  {
    name: `direct, Streamable HTTP, ${WORK_MS} ms of work per call`,
    upstream: 'http',
    workMs: WORK_MS,
    path: 'direct',
    hops: 'client →HTTP→ server',
  },
  {
    name: `through the gateway, Streamable HTTP upstream, ${WORK_MS} ms of work per call`,
    upstream: 'http',
    workMs: WORK_MS,
    path: 'gateway',
    hops: 'client →HTTP→ gateway →HTTP→ server',
  },
  {
    name: 'the downstream hop alone: @toolwire/publisher serving the echo itself',
    upstream: 'none',
    workMs: 0,
    path: 'hop',
    hops: 'client →HTTP→ publisher (no upstream)',
  },
];

/**
 * `Promise.all` that waits for every promise to settle before it rejects, so whatever did start
 * is tracked (and stopped in `finally`) when another start fails.
 */
async function settleAll(promises) {
  const outcomes = await Promise.allSettled(promises);
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  return outcomes.map((outcome) => outcome.value);
}

/** The row of `path` for an upstream and its work (`undefined` when there is none). */
export function findRow(rows, { upstream, workMs = 0, path }) {
  return rows.find((row) => row.upstream === upstream && (row.workMs ?? 0) === workMs && row.path === path);
}

export async function run({ scale = 1, log = () => {} } = {}) {
  const blocks = scale >= 1 ? FULL.blocks : 1;
  const iterations = Math.max(2, Math.round((FULL.iterations * scale) / blocks));
  const warmup = Math.max(1, Math.round((FULL.warmup * scale) / blocks));
  const samples = new Map(ROWS.map((row) => [row.name, []]));
  for (let block = 0; block < blocks; block++) {
    const processes = [];
    const connected = [];
    try {
      // Each direct HTTP row and each gateway's HTTP upstream get a minimal server of their own.
      const track = async (promise) => {
        const server = await promise;
        processes.push(server);
        return server;
      };
      // Servers start side by side (nothing is timed yet): most of a block's set-up is Node
      // loading modules in each new process, which overlaps well. A gateway with an HTTP upstream
      // starts once that upstream listens.
      const [
        directHttp,
        directHttpWork,
        stdioGateway,
        everythingGateway,
        stdioWorkGateway,
        hop,
        httpGateway,
        httpWorkGateway,
      ] = await settleAll([
        track(startMinimalHttp()),
        track(startMinimalHttp(1, WORK_MS)),
        track(startChildServer(SCRIPT, ['stdio'])),
        track(startChildServer(SCRIPT, ['everything'])),
        track(startChildServer(SCRIPT, ['stdio', '--work-ms', String(WORK_MS)])),
        track(startChildServer(HOP_SCRIPT)),
        track(startMinimalHttp()).then((upstream) => track(startChildServer(SCRIPT, ['http', upstream.url]))),
        track(startMinimalHttp(1, WORK_MS)).then((upstream) =>
          track(startChildServer(SCRIPT, ['http', upstream.url])),
        ),
      ]);
      const everything = {
        name: 'everything',
        tool: 'echo',
        expect: (message) => `Echo: ${message}`,
      };
      const throughGateway = (gateway, tool = 'minimal__echo') => ({
        transport: 'http',
        url: gateway.url,
        tool,
      });
      /** Each row's server, by upstream, work and path. */
      const serverOf = (row) => {
        const work = row.workMs > 0;
        if (row.path === 'hop') return throughGateway(hop);
        if (row.upstream === 'everything') {
          return row.path === 'direct'
            ? {
                ...everything,
                transport: 'stdio',
                command: process.execPath,
                args: [referenceServer('everything'), 'stdio'],
              }
            : { ...everything, ...throughGateway(everythingGateway, 'everything__echo') };
        }
        if (row.upstream === 'stdio') {
          return row.path === 'direct'
            ? { transport: 'stdio', ...minimalStdio(1, row.workMs) }
            : throughGateway(work ? stdioWorkGateway : stdioGateway);
        }
        return row.path === 'direct'
          ? { transport: 'http', url: (work ? directHttpWork : directHttp).url }
          : throughGateway(work ? httpWorkGateway : httpGateway);
      };
      // Connected side by side too, each kept in `connected` as soon as it is (closed in `finally`
      // even when another fails), then put in the rows' order.
      await settleAll(
        ROWS.map(async (row) => {
          connected.push({ ...(await connectContender(CLIENT, serverOf(row))), name: row.name });
        }),
      );
      connected.sort(
        (a, b) => ROWS.findIndex((row) => row.name === a.name) - ROWS.findIndex((row) => row.name === b.name),
      );
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
    const direct = findRow(ROWS, { upstream: row.upstream, workMs: row.workMs, path: 'direct' });
    const directSamples = direct ? samples.get(direct.name) : undefined;
    const spread = row.path === 'gateway' ? pairedRatio(own, directSamples) : undefined;
    return {
      name: row.name,
      upstream: row.upstream,
      workMs: row.workMs,
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
