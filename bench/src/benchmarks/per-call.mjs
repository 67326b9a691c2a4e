// Per-call overhead: the seven contenders of lib/contenders.mjs call `echo` on the minimal server,
// over stdio and over Streamable HTTP, sequentially and with 16 and 256 calls in flight.
// Sequential rows time each call; concurrent rows time a batch of N concurrent calls and report
// the batch time divided by N (time per call at that concurrency; its inverse is throughput).
// Rows are interleaved per iteration (see lib/interleave.mjs), in several blocks that each start
// fresh connections and servers; ratios are to the raw SDK v2 client.
import { tool as langChainTool } from '@langchain/core/tools';
import { asSchema, dynamicTool, jsonSchema } from 'ai';
import { CONTENDERS, connectContender } from '../lib/contenders.mjs';
import { interleave, pause } from '../lib/interleave.mjs';
import { minimalStdio, startMinimalHttp } from '../lib/servers.mjs';
import { ratio, summarize } from '../lib/stats.mjs';

/** Iteration counts of a full run; `scale` shrinks them for the smoke test. */
export const FULL = {
  blocks: 4,
  sequential: { warmup: 300, iterations: 3000 },
  concurrent16: { warmup: 30, iterations: 300 },
  concurrent256: { warmup: 5, iterations: 40 },
};

/** The concurrency levels of a full run, and the FULL plan each one uses. */
export const CONCURRENCIES = [1, 16, 256];
const MODE_OF = { 1: 'sequential', 16: 'concurrent16', 256: 'concurrent256' };

/**
 * `concurrencies` narrows the levels (a subset of CONCURRENCIES): the smoke test skips 256 in
 * flight, whose thousands of calls per contender say nothing about whether a row is well formed.
 */
export async function run({
  scale = 1,
  transports = ['stdio', 'http'],
  concurrencies = CONCURRENCIES,
  log = () => {},
} = {}) {
  const rows = [];
  const modes = concurrencies.map((concurrency) => {
    const mode = MODE_OF[concurrency];
    if (!mode)
      throw new Error(`per-call: concurrency ${concurrency} is not one of ${CONCURRENCIES.join(', ')}`);
    return [mode, concurrency];
  });
  // Fresh connections and server processes per block: a row's numbers otherwise carry whatever
  // its own server process's placement on the two cores happened to be for the whole run.
  const blocks = scale >= 1 ? FULL.blocks : 1;
  for (const transport of transports) {
    const samples = new Map(modes.map(([mode]) => [mode, new Map(CONTENDERS.map((name) => [name, []]))]));
    for (let block = 0; block < blocks; block++) {
      const http = transport === 'http' ? await startMinimalHttp() : undefined;
      const server = http ? { transport: 'http', url: http.url } : { transport: 'stdio', ...minimalStdio() };
      const contenders = [];
      try {
        for (const name of CONTENDERS) contenders.push(await connectContender(name, server));
        for (const [mode, concurrency] of modes) {
          const plan = FULL[mode];
          const iterations = Math.max(2, Math.round((plan.iterations * scale) / blocks));
          const warmup = Math.max(1, Math.round((plan.warmup * scale) / blocks));
          log(
            `per-call: ${transport}, ${concurrency} in flight, block ${block + 1}/${blocks}, ${iterations} iterations`,
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
        await http?.stop();
        await pause(100);
      }
    }
    for (const [mode, concurrency] of modes) {
      const baseline = summarize(samples.get(mode).get(CONTENDERS[0]));
      for (const name of CONTENDERS) {
        const summary = summarize(samples.get(mode).get(name));
        rows.push({
          transport,
          concurrency,
          contender: name,
          medianMs: summary.median,
          p99Ms: summary.p99,
          samples: summary.count,
          ratio: ratio(summary.median, baseline.median),
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
  return { medianMs: summary.median, p99Ms: summary.p99, samples: summary.count };
}
