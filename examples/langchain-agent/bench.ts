/**
 * Per-call overhead of a toolwire LangChain tool against `@langchain/mcp-adapters` and the raw
 * MCP SDK client, on the same server (`server-everything`'s `echo`, one stdio process each),
 * in one run. Calls are interleaved round-robin so machine noise hits all three alike; the
 * report is the median and p95 of each, and each adapter's median overhead over the raw client.
 * Runnable by hand (no assertions on speed):
 *
 *   pnpm --filter @toolwire/example-langchain-agent bench            # 500 rounds
 *   ROUNDS=2000 pnpm --filter @toolwire/example-langchain-agent bench
 */
import { createRequire } from 'node:module';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { MultiServerMCPClient } from '@langchain/mcp-adapters';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { createRegistry } from '@toolwire/core';
import { toLangChainTool } from '@toolwire/langchain';

const require = createRequire(import.meta.url);
const everything = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
const rounds = Number(process.env.ROUNDS ?? 500);
const warmup = 50;

type Contender = { name: string; call: (index: number) => Promise<unknown>; close: () => Promise<unknown> };

async function rawClient(): Promise<Contender> {
  const client = new Client({ name: 'bench-raw', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [everything, 'stdio'] }));
  return {
    name: 'raw SDK client (callTool)',
    call: (index) => client.callTool({ name: 'echo', arguments: { message: `m${index}` } }),
    close: () => client.close(),
  };
}

async function toolwire(): Promise<Contender> {
  const registry = await createRegistry({
    mcpServers: { everything: { command: process.execPath, args: [everything, 'stdio'] } },
  });
  const tool = toLangChainTool(registry, 'everything__echo');
  return {
    name: '@toolwire/langchain (tool.invoke)',
    call: (index) =>
      tool.invoke({ type: 'tool_call', id: `c${index}`, name: tool.name, args: { message: `m${index}` } }),
    close: () => registry.close(),
  };
}

async function mcpAdapters(): Promise<Contender> {
  const client = new MultiServerMCPClient({
    mcpServers: {
      everything: { transport: 'stdio', command: process.execPath, args: [everything, 'stdio'] },
    },
  });
  const tools: StructuredToolInterface[] = await client.getTools();
  const tool = tools.find((candidate) => candidate.name.endsWith('echo'));
  if (!tool) throw new Error(`no echo tool among ${tools.map((candidate) => candidate.name).join(', ')}`);
  return {
    name: '@langchain/mcp-adapters (tool.invoke)',
    call: (index) =>
      tool.invoke({ type: 'tool_call', id: `c${index}`, name: tool.name, args: { message: `m${index}` } }),
    close: () => client.close(),
  };
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

const contenders = [await rawClient(), await toolwire(), await mcpAdapters()];
try {
  for (let index = 0; index < warmup; index++)
    for (const contender of contenders) await contender.call(index);
  const samples = contenders.map(() => [] as number[]);
  for (let index = 0; index < rounds; index++) {
    for (const [position, contender] of contenders.entries()) {
      const started = performance.now();
      await contender.call(index);
      samples[position]!.push(performance.now() - started);
    }
  }
  const medians = samples.map((list) =>
    percentile(
      list.sort((a, b) => a - b),
      0.5,
    ),
  );
  const raw = medians[0]!;
  console.log(`per-call latency over ${rounds} interleaved rounds (ms), server-everything echo over stdio`);
  for (const [position, contender] of contenders.entries()) {
    const list = samples[position]!;
    const overhead = position === 0 ? '' : `  overhead vs raw: ${(medians[position]! - raw).toFixed(3)} ms`;
    console.log(
      `${contender.name.padEnd(40)} median ${medians[position]!.toFixed(3)}  p95 ${percentile(list, 0.95).toFixed(3)}${overhead}`,
    );
  }
} finally {
  for (const contender of contenders) await contender.close();
}
