#!/usr/bin/env node
// Benchmark (`pnpm bench` at the repository root runs it after the other benchmarks):
// tool calls per second and new-session latency over Streamable HTTP for the same `add` tool
// served three ways, side by side in one run, all on 127.0.0.1:
//   - @toolwire/publisher (stateful sessions, default security checks on),
//   - the raw SDK v2 server (McpServer + Node Streamable HTTP transport, one per session),
//   - FastMCP (httpStream).
// The client is the official SDK v1 client for all three (2025 protocol era, the one all three
// serve). Numbers depend on the machine; compare the columns, not the absolute values.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/server';
import { createPublisher, defineTool } from '@toolwire/publisher';
import { FastMCP } from 'fastmcp';
import { z } from 'zod';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 30);
const CALLS = Number(process.env.BENCH_CALLS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
// Rounds interleave the three servers so a noisy neighbour hits all of them alike; medians are reported.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const addSchema = z.object({ a: z.number(), b: z.number() });

async function startToolwire() {
  const publisher = createPublisher({
    name: 'bench',
    version: '1.0.0',
    tools: [
      defineTool({
        name: 'add',
        description: 'Adds.',
        inputSchema: addSchema,
        execute: ({ a, b }) => String(a + b),
      }),
    ],
    onError: () => {},
  });
  const { url } = await publisher.listen();
  return { url, stop: () => publisher.close({ drainMs: 100 }) };
}

async function startRawSDK() {
  const sessions = new Map();
  const server = createServer(async (request, response) => {
    const sessionId = request.headers['mcp-session-id'];
    let transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (!transport) {
      if (sessionId) {
        response.writeHead(404).end();
        return;
      }
      transport = new NodeStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => sessions.set(id, transport),
        onsessionclosed: (id) => sessions.delete(id),
      });
      const mcp = new McpServer({ name: 'bench-raw', version: '1.0.0' });
      mcp.registerTool('add', { description: 'Adds.', inputSchema: addSchema }, async ({ a, b }) => ({
        content: [{ type: 'text', text: String(a + b) }],
      }));
      await mcp.connect(transport);
    }
    await transport.handleRequest(request, response);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/mcp`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function startFastMCP() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = probe.address().port;
  await new Promise((resolve) => probe.close(resolve));
  const server = new FastMCP({ name: 'bench-fastmcp', version: '1.0.0' });
  server.addTool({
    name: 'add',
    description: 'Adds.',
    parameters: addSchema,
    execute: async ({ a, b }) => String(a + b),
  });
  await server.start({
    transportType: 'httpStream',
    httpStream: { port, host: '127.0.0.1', endpoint: '/mcp' },
  });
  return { url: `http://127.0.0.1:${port}/mcp`, stop: () => server.stop() };
}

async function connect(url) {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return { client, transport };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function measure(name, start) {
  const server = await start();
  try {
    // Warm-up.
    const warm = await connect(server.url);
    for (let index = 0; index < 20; index++)
      await warm.client.callTool({ name: 'add', arguments: { a: index, b: 1 } });
    await warm.transport.terminateSession().catch(() => {});
    await warm.client.close();

    // New-session latency: initialize + initialized + first tools/list, then terminate.
    const latencies = [];
    for (let index = 0; index < SESSIONS; index++) {
      const started = performance.now();
      const { client, transport } = await connect(server.url);
      await client.listTools();
      latencies.push(performance.now() - started);
      await transport.terminateSession().catch(() => {});
      await client.close();
    }
    latencies.sort((a, b) => a - b);

    // Tool calls per second on one session, CONCURRENCY calls in flight.
    const { client, transport } = await connect(server.url);
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CALLS) {
          const index = next++;
          const result = await client.callTool({ name: 'add', arguments: { a: index, b: 1 } });
          if (result.content[0].text !== String(index + 1)) throw new Error(`${name}: wrong result`);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    await transport.terminateSession().catch(() => {});
    await client.close();
    return {
      name,
      callsPerSecond: CALLS / seconds,
      sessionMedianMs: percentile(latencies, 50),
      sessionP95Ms: percentile(latencies, 95),
    };
  } finally {
    await server.stop();
  }
}

const servers = [
  ['@toolwire/publisher', startToolwire],
  ['raw SDK v2 server', startRawSDK],
  ['FastMCP', startFastMCP],
];
const runs = new Map(servers.map(([name]) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, start] of servers) runs.get(name).push(await measure(name, start));
}
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = servers.map(([name]) => {
  const measured = runs.get(name);
  return {
    name,
    callsPerSecond: median(measured.map((run) => run.callsPerSecond)),
    sessionMedianMs: median(measured.map((run) => run.sessionMedianMs)),
    sessionP95Ms: median(measured.map((run) => run.sessionP95Ms)),
  };
});
const baseline = results.find((result) => result.name === 'raw SDK v2 server');
console.log(
  `\n${ROUNDS} rounds × (${SESSIONS} new sessions, ${CALLS} calls with ${CONCURRENCY} in flight), Streamable HTTP on 127.0.0.1; medians\n`,
);
console.log('server                 calls/s   vs raw   new session median   p95');
for (const result of results) {
  console.log(
    `${result.name.padEnd(22)} ${result.callsPerSecond.toFixed(0).padStart(7)}   ${(result.callsPerSecond / baseline.callsPerSecond).toFixed(2).padStart(5)}x   ${result.sessionMedianMs.toFixed(1).padStart(14)} ms   ${result.sessionP95Ms.toFixed(1).padStart(6)} ms`,
  );
}
process.exit(0);
