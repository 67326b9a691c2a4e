// Publisher: the same `add` tool served by @toolwire/publisher, by the raw SDK v2 server and by
// FastMCP (src/servers/publisher-server.mjs), each stateful and stateless, each in its own process
// on 127.0.0.1, measured with the raw SDK v2 client (2025 era, which all serve), in three
// interleaved loops:
//   - calls per second on one session, 16 calls in flight;
//   - new-session latency: connect (initialize + initialized) and the first tools/list;
//   - memory per idle session: the server's live heap (after GC, read over IPC, without machine
//     code) before and after opening a batch of sessions that then stay idle (each with the SDK
//     client's standalone GET stream open), divided by the batch size (RSS moves in pages and
//     with GC, too coarse for a per-session figure). Each reading waits for the previous batch's
//     idle connections to close and for every GET stream of its own batch to be answered.
// Ratios compare like with like: stateful rows to the raw SDK v2 server, stateless rows to the
// raw SDK v2 server stateless, from per-iteration pairs (median and 95% interval).
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { interleave, pause } from '../lib/interleave.mjs';
import { startChildServer } from '../lib/servers.mjs';
import { pairedRatio, summarize } from '../lib/stats.mjs';

export const SERVERS = [
  'raw SDK v2 server',
  '@toolwire/publisher',
  'FastMCP',
  'raw SDK v2 server, stateless',
  '@toolwire/publisher, stateless',
  'FastMCP, stateless',
];
const KINDS = {
  'raw SDK v2 server': 'raw',
  '@toolwire/publisher': 'toolwire',
  FastMCP: 'fastmcp',
  'raw SDK v2 server, stateless': 'raw-stateless',
  '@toolwire/publisher, stateless': 'toolwire-stateless',
  'FastMCP, stateless': 'fastmcp-stateless',
};
/** The row each row is compared with: the raw SDK v2 server in the same mode. */
export const BASELINE_OF = (name) => (name.endsWith(', stateless') ? SERVERS[3] : SERVERS[0]);
const SCRIPT = new URL('../servers/publisher-server.mjs', import.meta.url).pathname;

export const FULL = {
  throughput: { iterations: 20, warmup: 2, calls: 320, inFlight: 16 },
  sessions: { iterations: 40, warmup: 4 },
  // 12 batches (6 is the fewest with a 95% interval): per-session heap is the noisiest figure here.
  memory: { iterations: 12, warmup: 1, sessions: 100 },
};
/** The longest the memory loop waits for a batch's GET streams (a server that never answers one). */
const STREAM_WAIT_MS = 5_000;
/**
 * The longest it waits for the previous batch's idle connections to be closed: the servers keep
 * idle connections 5 s (Node's default; the publisher is told so in `publisher-server.mjs`).
 */
const CONNECTIONS_WAIT_MS = 6_000;

/**
 * A raw SDK v2 client session. The client opens its standalone GET stream after the handshake
 * without waiting for it: `streamAnswered` settles once the server has answered that GET (a
 * stateful server's stream is then open; a stateless one refuses it).
 */
async function connect(url) {
  const client = new Client({ name: 'toolwire-bench', version: '1.0.0' });
  let answered;
  const streamAnswered = new Promise((resolve) => {
    answered = resolve;
  });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    fetch: async (input, init) => {
      const isStream = init?.method === 'GET';
      try {
        return await fetch(input, init);
      } finally {
        if (isStream) answered();
      }
    },
  });
  await client.connect(transport);
  return {
    client,
    streamAnswered,
    async close() {
      await transport.terminateSession().catch(() => {});
      await client.close();
    },
  };
}

/** Asks the server process `question` over IPC ('memory' or 'sockets') and resolves its answer. */
function ask(child, question) {
  return new Promise((resolve) => {
    child.once('message', (message) => resolve(message[question]));
    child.send(question);
  });
}

const askMemory = (child) => ask(child, 'memory');

/**
 * The server's memory once it holds no more connections than `fewest` (or after
 * `CONNECTIONS_WAIT_MS`): a batch's idle connections outlive its sessions by the keep-alive, and a
 * reading that still counts them, then sees them reused or closed, skewed its batch by up to a
 * third (December 2026). The wait polls the connection count alone: a reading forces three full
 * GCs, and polling with readings cost the smoke run about as much CPU as all its other loops.
 */
async function memoryWithoutIdleConnections(child, fewest) {
  const deadline = performance.now() + CONNECTIONS_WAIT_MS;
  while ((await ask(child, 'sockets')) > fewest && performance.now() <= deadline) await pause(250);
  return askMemory(child);
}

/**
 * `memoryWarmup` overrides the memory loop's thrown-away rounds (the smoke test sets 0: each round
 * waits out every server's idle connections, and its rows need no accuracy).
 */
export async function run({ scale = 1, memoryWarmup = FULL.memory.warmup, log = () => {} } = {}) {
  const servers = {};
  const clients = {};
  try {
    // Started side by side (each loads its own modules, which is most of a server's start-up);
    // whatever started is stopped below even when another fails.
    const started = await Promise.allSettled(
      SERVERS.map(async (name) => {
        servers[name] = await startChildServer(SCRIPT, [KINDS[name]], {
          ipc: true,
          nodeOptions: ['--expose-gc'],
        });
      }),
    );
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    for (const name of SERVERS) {
      clients[name] = await connect(servers[name].url);
      const result = await clients[name].client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
      if (result.content?.[0]?.text !== '5')
        throw new Error(`${name}: add(2, 3) returned ${JSON.stringify(result)}`);
    }
    const rows = SERVERS.map((name) => ({ name }));

    const plan = FULL.throughput;
    const calls = Math.max(32, Math.round(plan.calls * scale));
    log(
      `publisher: calls per second, ${Math.max(2, Math.round(plan.iterations * scale))} iterations of ${calls} calls`,
    );
    let counter = 0;
    const throughput = await interleave({
      rows,
      iterations: Math.max(2, Math.round(plan.iterations * scale)),
      warmup: Math.max(1, Math.round(plan.warmup * scale)),
      measure: async (row) => {
        const { client } = clients[row.name];
        let next = 0;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: plan.inFlight }, async () => {
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

    const sessionPlan = FULL.sessions;
    log('publisher: new-session latency');
    const sessions = await interleave({
      rows,
      iterations: Math.max(2, Math.round(sessionPlan.iterations * scale)),
      warmup: Math.max(1, Math.round(sessionPlan.warmup * scale)),
      measure: async (row) => {
        const started = performance.now();
        const session = await connect(servers[row.name].url);
        await session.client.listTools();
        const elapsed = performance.now() - started;
        await session.close();
        return elapsed;
      },
    });

    const memoryPlan = FULL.memory;
    const batch = Math.max(5, Math.round(memoryPlan.sessions * scale));
    log(`publisher: memory per idle session (${batch} sessions a batch)`);
    // What each server holds with no batch open: the long-lived client's connections only.
    await pause(CONNECTIONS_WAIT_MS);
    const fewestSockets = new Map();
    for (const name of SERVERS) fewestSockets.set(name, (await askMemory(servers[name].child)).sockets);
    const memory = await interleave({
      rows,
      iterations: Math.max(1, Math.round(memoryPlan.iterations * scale)),
      // The first batch also pays for code compiled on first use (both kinds of server): thrown away.
      warmup: memoryWarmup,
      measure: async (row) => {
        const child = servers[row.name].child;
        const before = await memoryWithoutIdleConnections(child, fewestSockets.get(row.name));
        fewestSockets.set(row.name, Math.min(fewestSockets.get(row.name), before.sockets));
        // Opened together: a server that makes each new session wait (FastMCP) still fits the run.
        const opened = await Promise.all(Array.from({ length: batch }, () => connect(servers[row.name].url)));
        // Read once every session's GET stream is open: a busy machine answers the last GETs of a
        // batch hundreds of ms after the handshakes, and a fixed pause missed a varying share of them.
        await Promise.race([
          Promise.all(opened.map((session) => session.streamAnswered)),
          pause(STREAM_WAIT_MS),
        ]);
        await pause(50);
        const after = await askMemory(child);
        await Promise.all(opened.map((session) => session.close()));
        const objects = (memory) => memory.heapUsed - memory.codeBytes;
        return (objects(after) - objects(before)) / batch;
      },
    });

    return {
      id: 'publisher',
      sessionsPerBatch: batch,
      callsPerIteration: calls,
      inFlight: plan.inFlight,
      rows: SERVERS.map((name) => {
        const baseline = BASELINE_OF(name);
        const isBaseline = baseline === name;
        const callsPerSecond = summarize(throughput.get(name));
        const session = summarize(sessions.get(name));
        const heap = summarize(memory.get(name));
        const paired = (samples) =>
          isBaseline ? undefined : pairedRatio(samples.get(name), samples.get(baseline));
        const callsPerSecondSpread = paired(throughput);
        const sessionSpread = paired(sessions);
        // A stateless server keeps nothing per session: its heap "per session" is noise around 0.
        const heapSpread = name.endsWith(', stateless') ? undefined : paired(memory);
        return {
          server: name,
          stateless: name.endsWith(', stateless'),
          baseline,
          callsPerSecond: callsPerSecond.median,
          callsPerSecondQ1: callsPerSecond.q1,
          callsPerSecondQ3: callsPerSecond.q3,
          callsPerSecondRatio: callsPerSecondSpread ? callsPerSecondSpread.median : 1,
          callsPerSecondSpread,
          sessionMedianMs: session.median,
          sessionP99Ms: session.p99,
          sessionQ1Ms: session.q1,
          sessionQ3Ms: session.q3,
          sessionRatio: sessionSpread ? sessionSpread.median : 1,
          sessionSpread,
          heapPerSessionKB: heap.median / 1024,
          heapQ1KB: heap.q1 / 1024,
          heapQ3KB: heap.q3 / 1024,
          heapRatio: heapSpread
            ? heapSpread.median
            : name === baseline && !name.endsWith(', stateless')
              ? 1
              : Number.NaN,
          heapSpread,
          samples: { throughput: callsPerSecond.count, sessions: session.count, memory: heap.count },
        };
      }),
    };
  } finally {
    await Promise.allSettled(Object.values(clients).map((session) => session.close()));
    await Promise.allSettled(
      Object.values(servers).map(async (server) => {
        server.child.send('stop');
        await server.stop();
      }),
    );
  }
}
