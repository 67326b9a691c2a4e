/**
 * LangSmith tracing switched on in the environment reaches toolwire tool runs, also when it is
 * switched on while the process runs (a run without handlers skips LangChain's callback set-up,
 * and the environment is read again within `ENVIRONMENT_RECHECK_MS`). The runs go to a stand-in
 * LangSmith API on loopback; the tool calls a real stdio MCP server.
 *
 * Isolated (vitest.config.ts): LangChain's LangSmith client is a process-wide singleton that
 * reads its endpoint once, and `awaitAllCallbacks()` in any other file creates it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { awaitAllCallbacks } from '@langchain/core/callbacks/promises';
import type { ToolMessage } from '@langchain/core/messages';
import { createRegistry, type Registry } from '@toolwire/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toLangChainTool } from '../src/index.js';
import { ENVIRONMENT_RECHECK_MS } from '../src/run-callbacks.js';
import { adapterServer } from './support/servers.js';

const variables = ['LANGSMITH_TRACING', 'LANGSMITH_ENDPOINT', 'LANGSMITH_API_KEY'] as const;
const saved = new Map(variables.map((name) => [name, process.env[name]]));
const received: string[] = [];
let langSmith: Server;
let registry: Registry;

beforeAll(async () => {
  // A stand-in LangSmith API: answers every request with `{}` and keeps its body.
  langSmith = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      response.setHeader('content-type', 'application/json');
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => langSmith.listen(0, '127.0.0.1', resolve));
  process.env.LANGSMITH_ENDPOINT = `http://127.0.0.1:${(langSmith.address() as AddressInfo).port}`;
  process.env.LANGSMITH_API_KEY = 'test-key';
  delete process.env.LANGSMITH_TRACING;
  registry = await createRegistry({ mcpServers: { fixture: adapterServer() } });
}, 60_000);

afterAll(async () => {
  await registry?.close();
  for (const name of variables) {
    const value = saved.get(name);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  langSmith.closeAllConnections();
  await new Promise((resolve) => langSmith.close(resolve));
});

function toolCall(city: string) {
  return { type: 'tool_call' as const, id: `call_${city}`, name: 'fixture__structured_only', args: { city } };
}

it('traces tool runs once LANGSMITH_TRACING is set, also while the process runs', async () => {
  const tool = toLangChainTool(registry, 'fixture__structured_only');
  await tool.invoke(toolCall('Hamar'));
  process.env.LANGSMITH_TRACING = 'true';
  await new Promise((resolve) => setTimeout(resolve, ENVIRONMENT_RECHECK_MS + 50));
  const message: ToolMessage = await tool.invoke(toolCall('Molde'));
  expect(message.tool_call_id).toBe('call_Molde');
  await awaitAllCallbacks(); // sends LangChain's pending trace batches
  await expect
    .poll(() => received.some((body) => body.includes('call_Molde')), { timeout: 10_000 })
    .toBe(true);
  const traced = received.join('\n');
  expect(traced).toContain('fixture__structured_only');
  expect(traced).not.toContain('call_Hamar');
});
