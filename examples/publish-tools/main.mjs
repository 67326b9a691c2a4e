#!/usr/bin/env node
// Example: publish the tools an agent team already has (a LangChain tool, an AI SDK tool set and
// a typed `defineTool` function) as one MCP server on 127.0.0.1, expose only the chosen ones,
// and use them from another process's point of view through @toolwire/core's registry.
// Self-checking: exits non-zero when a result is not what it should be.
import assert from 'node:assert/strict';
import { tool as langChainTool } from '@langchain/core/tools';
import { createRegistry, silentLogger } from '@toolwire/core';
import { createPublisher, defineTool } from '@toolwire/publisher';
import { tool as aiTool, jsonSchema } from 'ai';
import { z } from 'zod';

// 1. Tools written for agents, in three styles.
const convert = langChainTool(async ({ celsius }) => `${((celsius * 9) / 5 + 32).toFixed(1)} °F`, {
  name: 'celsius_to_fahrenheit',
  description: 'Converts a temperature.',
  schema: z.object({ celsius: z.number() }),
});

const aiTools = {
  word_count: aiTool({
    description: 'Counts the words in a text.',
    inputSchema: jsonSchema({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] }),
    execute: async ({ text }) => ({ words: text.trim().split(/\s+/).filter(Boolean).length }),
  }),
  internal_admin: aiTool({
    description: 'Never published: not selected.',
    inputSchema: z.object({}),
    execute: async () => 'secret',
  }),
};

const invoice = defineTool({
  name: 'invoice_total',
  description: 'Adds up invoice lines.',
  inputSchema: z.object({
    lines: z.array(z.object({ amount: z.number().nonnegative(), quantity: z.number().int().min(1) })).min(1),
  }),
  outputSchema: z.object({ total: z.number() }),
  async execute({ lines }, context) {
    await context.reportProgress({ progress: lines.length, total: lines.length });
    return { total: lines.reduce((sum, line) => sum + line.amount * line.quantity, 0) };
  },
});

// 2. Publish only the chosen tools; rename one for clients.
const publisher = createPublisher({
  name: 'finance-tools',
  version: '1.0.0',
  instructions: 'Tools for quick finance and text chores.',
  tools: [convert, aiTools, invoice],
  exclude: ['internal_*'],
  rename: { celsius_to_fahrenheit: 'to_fahrenheit' },
});
const { url } = await publisher.listen(); // 127.0.0.1, a free port, Host/Origin checks on
console.log(`published at ${url}`);

// 3. Any MCP client can use them; here: the toolwire registry.
const registry = await createRegistry({
  servers: { finance: { url, toolPrefix: false } },
  // A free port each run: a file cache would gain an entry per run and never be read again.
  cache: 'memory',
  logger: silentLogger,
});
try {
  const names = registry
    .tools()
    .map((tool) => tool.name)
    .sort();
  assert.deepEqual(names, ['invoice_total', 'to_fahrenheit', 'word_count']);

  assert.equal((await registry.callTool('to_fahrenheit', { celsius: 100 })).text, '212.0 °F');
  assert.equal(
    (await registry.callTool('word_count', { text: 'publish once, use anywhere' })).text,
    '{"words":4}',
  );

  const total = await registry.callTool('invoice_total', {
    lines: [
      { amount: 9.5, quantity: 2 },
      { amount: 1, quantity: 3 },
    ],
  });
  assert.deepEqual(total.structuredContent, { total: 22 });

  // Invalid arguments are refused before the tool runs: an isError result naming the path, which
  // the model can read and correct (MCP 2025-11-25, SEP-1303).
  const invalid = await registry.callTool(
    'invoice_total',
    { lines: [{ amount: -1, quantity: 1 }] },
    { validate: false },
  );
  assert.equal(invalid.isError, true);
  assert.match(invalid.text, /lines\[0\]\.amount/);
  // The same handler also serves web runtimes: fetch(Request) → Response.
  const health = await publisher.fetch(new Request(new URL('/health', url)));
  assert.equal(health.status, 200);

  console.log('publish-tools example: all checks passed');
} finally {
  await registry.close();
  await publisher.close();
}
