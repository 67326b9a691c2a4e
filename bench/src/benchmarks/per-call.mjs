// Per-call overhead: the seven contenders of lib/contenders.mjs call `echo` on the minimal server,
// over stdio and over Streamable HTTP, sequentially and with 16 and 256 calls in flight, and
// sequentially on the reference server-everything over stdio (a real SDK server: its `echo`
// validates its input and answers `Echo: <message>`).
// Sequential rows time each call; concurrent rows time a batch of N concurrent calls and report
// the batch time divided by N (time per call at that concurrency; its inverse is throughput).
// Rows are interleaved per iteration (see lib/interleave.mjs), in several blocks that each start
// fresh connections and servers. Every row carries its ratio to every other row of its loop,
// from per-iteration paired samples (lib/stats.mjs: median and 95% interval), the baseline being
// the raw SDK v2 client.
import { tool as langChainTool } from '@langchain/core/tools';
import { asSchema, dynamicTool, jsonSchema } from 'ai';
import { CONTENDERS, connectContender } from '../lib/contenders.mjs';
import { interleave, pause } from '../lib/interleave.mjs';
import { minimalStdio, referenceServer, startMinimalHttp } from '../lib/servers.mjs';
import { pairwiseRatios, summarize } from '../lib/stats.mjs';

/**
 * Iteration counts of a full run, per transport; `scale` shrinks them for the smoke test. Sized by
 * what each row's interval has to decide: sequential stdio rows carry the 1.00× targets against
 * @ai-sdk/mcp (3,000 pairs for an interval of about ±1%); 256-in-flight rows carry 1.10× targets,
 * and their batch ratios spread so widely that 40 pairs left them undecided. Over HTTP a batch of
 * 256 calls of every row takes most of a second, the costliest iteration of the run: sequential
 * HTTP rows (no target) and 16-in-flight rows (decided with room to spare) give up iterations
 * to pay for part of it.
 */
export const FULL = {
  blocks: 4,
  stdio: {
    sequential: { warmup: 300, iterations: 3000 },
    concurrent16: { warmup: 20, iterations: 200 },
    concurrent256: { warmup: 8, iterations: 120 },
  },
  http: {
    sequential: { warmup: 100, iterations: 1000 },
    concurrent16: { warmup: 15, iterations: 150 },
    concurrent256: { warmup: 8, iterations: 120 },
  },
};

/** The concurrency levels of a full run, and the FULL plan each one uses. */
export const CONCURRENCIES = [1, 16, 256];
const MODE_OF = { 1: 'sequential', 16: 'concurrent16', 256: 'concurrent256' };

/**
 * The servers and transports measured: `server` names the server (`minimal`, `everything`),
 * `concurrencies` the levels measured on it (server-everything: sequential calls only).
 */
export const SETUPS = [
  { server: 'minimal', transport: 'stdio', concurrencies: CONCURRENCIES },
  { server: 'minimal', transport: 'http', concurrencies: CONCURRENCIES },
  { server: 'everything', transport: 'stdio', concurrencies: [1] },
];

/** Starts (HTTP) or describes (stdio) a fresh copy of a setup's server: `{ server, stop }`. */
async function startServer(setup) {
  if (setup.server === 'everything') {
    return {
      server: {
        transport: 'stdio',
        name: 'everything',
        command: process.execPath,
        args: [referenceServer('everything'), 'stdio'],
        expect: (message) => `Echo: ${message}`,
      },
      stop: async () => {},
    };
  }
  if (setup.transport === 'http') {
    const http = await startMinimalHttp();
    return { server: { transport: 'http', url: http.url }, stop: () => http.stop() };
  }
  return { server: { transport: 'stdio', ...minimalStdio() }, stop: async () => {} };
}

/**
 * `concurrencies` narrows the levels (a subset of CONCURRENCIES) and `setups` the servers: the
 * smoke test skips 256 in flight, whose thousands of calls per contender say nothing about
 * whether a row is well formed.
 */
export async function run({
  scale = 1,
  transports = ['stdio', 'http'],
  concurrencies = CONCURRENCIES,
  servers = ['minimal', 'everything'],
  log = () => {},
} = {}) {
  const rows = [];
  for (const concurrency of concurrencies) {
    if (!MODE_OF[concurrency])
      throw new Error(`per-call: concurrency ${concurrency} is not one of ${CONCURRENCIES.join(', ')}`);
  }
  // Fresh connections and server processes per block: a row's numbers otherwise carry whatever
  // its own server process's placement on the two cores happened to be for the whole run.
  const blocks = scale >= 1 ? FULL.blocks : 1;
  for (const setup of SETUPS) {
    if (!transports.includes(setup.transport) || !servers.includes(setup.server)) continue;
    const modes = setup.concurrencies
      .filter((concurrency) => concurrencies.includes(concurrency))
      .map((concurrency) => [MODE_OF[concurrency], concurrency]);
    if (modes.length === 0) continue;
    const samples = new Map(modes.map(([mode]) => [mode, new Map(CONTENDERS.map((name) => [name, []]))]));
    for (let block = 0; block < blocks; block++) {
      const { server, stop } = await startServer(setup);
      const contenders = [];
      try {
        // Connected side by side (untimed; each stdio contender starts its own server process);
        // whichever connected is closed below even when another fails.
        const connected = await Promise.allSettled(CONTENDERS.map((name) => connectContender(name, server)));
        for (const outcome of connected) if (outcome.status === 'fulfilled') contenders.push(outcome.value);
        const failed = connected.find((outcome) => outcome.status === 'rejected');
        if (failed) throw failed.reason;
        for (const [mode, concurrency] of modes) {
          const plan = FULL[setup.transport][mode];
          const iterations = Math.max(2, Math.round((plan.iterations * scale) / blocks));
          const warmup = Math.max(1, Math.round((plan.warmup * scale) / blocks));
          log(
            `per-call: ${setup.server} ${setup.transport}, ${concurrency} in flight, block ${block + 1}/${blocks}, ${iterations} iterations`,
          );
          let counter = 1;
          const measured = await interleave({
            rows: contenders,
            iterations,
            warmup,
            measure: async (contender) => {
              if (concurrency === 1) {
                const started = performance.now();
                await contender.call(counter++);
                return performance.now() - started;
              }
              const started = performance.now();
              await Promise.all(Array.from({ length: concurrency }, () => contender.call(counter++)));
              return (performance.now() - started) / concurrency;
            },
          });
          for (const name of CONTENDERS)
            samples
              .get(mode)
              .get(name)
              .push(...measured.get(name));
        }
      } finally {
        await Promise.allSettled(contenders.map((contender) => contender.close()));
        await stop();
        await pause(100);
      }
    }
    for (const [mode, concurrency] of modes) {
      const byRow = samples.get(mode);
      const versus = pairwiseRatios(byRow);
      for (const name of CONTENDERS) {
        const summary = summarize(byRow.get(name));
        const toBaseline = name === CONTENDERS[0] ? undefined : versus[name][CONTENDERS[0]];
        rows.push({
          server: setup.server,
          transport: setup.transport,
          concurrency,
          contender: name,
          medianMs: summary.median,
          p99Ms: summary.p99,
          q1Ms: summary.q1,
          q3Ms: summary.q3,
          samples: summary.count,
          // The median of the per-iteration ratios to the raw SDK v2 client, and its interval.
          ratio: toBaseline ? toBaseline.median : 1,
          spread: toBaseline ?? { median: 1, low: 1, high: 1, count: summary.count, level: 'baseline' },
          versus: versus[name],
          callsPerSecond: 1000 / summary.median,
        });
      }
    }
  }
  return { id: 'per-call', rows, frameworkFloors: await measureFrameworkFloors(scale) };
}

/**
 * What a framework's own tool machinery costs per call, with no MCP at all: a LangChain tool that
 * returns at once, invoked with a ToolCall (callbacks, config, ToolMessage), and an AI SDK tool
 * that returns at once, validated and executed as the AI SDK loop does. These floors are part of
 * every LangChain or AI SDK tool call, whichever library made the tool.
 */
async function measureFrameworkFloors(scale) {
  const schema = { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] };
  const langChain = langChainTool(async ({ message }) => message, {
    name: 'noop',
    description: 'Returns.',
    schema,
  });
  const aiSdk = dynamicTool({ inputSchema: jsonSchema(schema), execute: async (input) => input });
  const aiSchema = asSchema(aiSdk.inputSchema);
  const floors = {
    'LangChain tool.invoke(toolCall), no-op tool': (index) =>
      langChain.invoke({
        type: 'tool_call',
        id: `call_${index}`,
        name: 'noop',
        args: { message: `m${index}` },
      }),
    'AI SDK validate + execute, no-op tool': async (index) => {
      const input = { message: `m${index}` };
      await aiSchema.validate?.(input);
      return aiSdk.execute(input, { toolCallId: `call_${index}`, messages: [] });
    },
  };
  const iterations = Math.max(50, Math.round(5000 * scale));
  let counter = 0;
  const samples = await interleave({
    rows: Object.keys(floors).map((name) => ({ name })),
    iterations,
    warmup: Math.round(iterations / 10),
    measure: async (row) => {
      const started = performance.now();
      await floors[row.name](counter++);
      return performance.now() - started;
    },
  });
  return Object.keys(floors).map((name) => ({ name, ...summarizeMs(samples.get(name)) }));
}

function summarizeMs(samples) {
  const summary = summarize(samples);
  return {
    medianMs: summary.median,
    p99Ms: summary.p99,
    q1Ms: summary.q1,
    q3Ms: summary.q3,
    samples: summary.count,
  };
}
