/**
 * Per-call overhead of a tool call through `@toolwire/ai-sdk`, next to `@ai-sdk/mcp` and the raw
 * MCP SDK client, against the same server (the reference `server-everything`, tool `echo`, one
 * stdio process per client) in one run. Rounds are interleaved so machine noise hits all
 * clients alike; the report gives median and p95 per call and the ratio to the raw client.
 * Not part of CI (no timing assertions on a shared machine): run it by hand.
 *
 *   pnpm --filter @toolwire/example-ai-sdk-agent bench [-- --calls 400 --rounds 5]
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createMCPClient } from '@ai-sdk/mcp';
import { Experimental_StdioMCPTransport } from '@ai-sdk/mcp/mcp-stdio';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { toAISDKTools } from '@toolwire/ai-sdk';
import { createRegistry, silentLogger } from '@toolwire/core';

const { values } = parseArgs({
  options: { calls: { type: 'string', default: '300' }, rounds: { type: 'string', default: '5' } },
});
const callsPerRound = Number(values.calls);
const rounds = Number(values.rounds);

const serverPath = join(
  dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/package.json')),
  'dist',
  'index.js',
);
const server = { command: process.execPath, args: [serverPath, 'stdio'] };
const input = { message: 'benchmark' };
const executionOptions = { toolCallId: 'bench', messages: [], context: {} };

type Call = () => Promise<unknown>;

// 1. The raw MCP SDK client (v2, what toolwire builds on).
const rawClient = new Client({ name: 'bench-raw', version: '1.0.0' });
await rawClient.connect(new StdioClientTransport({ ...server, stderr: 'ignore' }));
const rawCall: Call = () => rawClient.callTool({ name: 'echo', arguments: input });

// 2. @ai-sdk/mcp: one client per server, its tool set's execute.
const aiSdkClient = await createMCPClient({
  transport: new Experimental_StdioMCPTransport({ ...server, stderr: 'ignore' }),
});
const aiSdkTools = await aiSdkClient.tools();
const aiSdkEcho = aiSdkTools.echo!;
const aiSdkCall: Call = async () => aiSdkEcho.execute!(input, executionOptions);

// 3. toolwire: the registry's tool set (validation against the server's schema included).
const registry = await createRegistry({
  mcpServers: { everything: { ...server, stderr: 'ignore' } },
  logger: silentLogger,
});
const toolwireEcho = toAISDKTools(registry).everything__echo!;
const toolwireCall: Call = async () => toolwireEcho.execute!(input, executionOptions);

// 4. toolwire's registry alone, to separate the adapter from core.
const registryCall: Call = () => registry.callTool('everything__echo', input);

const contenders: [string, Call][] = [
  ['raw MCP SDK client', rawCall],
  ['@ai-sdk/mcp tool', aiSdkCall],
  ['toolwire registry.callTool', registryCall],
  ['@toolwire/ai-sdk tool', toolwireCall],
];
const samples = new Map<string, number[]>(contenders.map(([name]) => [name, []]));

try {
  for (const [, call] of contenders) for (let index = 0; index < 100; index++) await call(); // warm-up
  for (let round = 0; round < rounds; round++) {
    // Rotate the order each round so no client always runs first.
    const order = contenders.map((_, index) => contenders[(index + round) % contenders.length]!);
    for (const [name, call] of order) {
      const times = samples.get(name)!;
      for (let index = 0; index < callsPerRound; index++) {
        const started = performance.now();
        await call();
        times.push(performance.now() - started);
      }
    }
  }
} finally {
  await Promise.allSettled([rawClient.close(), aiSdkClient.close(), registry.close()]);
}

const percentile = (sorted: number[], fraction: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
const baseline = percentile(
  [...samples.get('raw MCP SDK client')!].sort((a, b) => a - b),
  0.5,
);
console.log(
  `echo on server-everything (stdio), ${rounds} rounds × ${callsPerRound} calls each, Node ${process.version}`,
);
console.log(['client'.padEnd(28), 'median ms', '   p95 ms', 'median vs raw'].join('  '));
for (const [name] of contenders) {
  const sorted = [...samples.get(name)!].sort((a, b) => a - b);
  const median = percentile(sorted, 0.5);
  console.log(
    [
      name.padEnd(28),
      median.toFixed(3).padStart(9),
      percentile(sorted, 0.95).toFixed(3).padStart(9),
      `${(median / baseline).toFixed(2)}×`.padStart(13),
    ].join('  '),
  );
}
