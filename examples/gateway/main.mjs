#!/usr/bin/env node
// Example: two teams' MCP servers (here: two publishers on 127.0.0.1) behind one gateway, with a
// prefix per server and one tool held back; a client sees one endpoint. Then the same upstreams
// in search mode, as a client whose context cannot hold a big catalogue would use them.
// Self-checking: exits non-zero when a result is not what it should be.
import assert from 'node:assert/strict';
import { createRegistry, silentLogger } from '@toolwire/core';
import { createGateway } from '@toolwire/gateway';
import { createPublisher, defineTool } from '@toolwire/publisher';

// 1. The upstreams: a weather service (with an output schema) and a finance service.
const weather = createPublisher({
  name: 'weather',
  version: '1.0.0',
  tools: [
    defineTool({
      name: 'get_forecast',
      description: 'The weather forecast for a city.',
      inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      outputSchema: {
        type: 'object',
        properties: { city: { type: 'string' }, celsius: { type: 'number' } },
        required: ['city', 'celsius'],
      },
      execute: ({ city }) => ({ city, celsius: 19 }),
    }),
  ],
});
const finance = createPublisher({
  name: 'finance',
  version: '1.0.0',
  tools: [
    defineTool({
      name: 'invoice_total',
      description: 'Adds up invoice amounts.',
      inputSchema: {
        type: 'object',
        properties: { amounts: { type: 'array', items: { type: 'number' } } },
        required: ['amounts'],
      },
      execute: ({ amounts }) => String(amounts.reduce((sum, amount) => sum + amount, 0)),
    }),
    defineTool({
      name: 'delete_ledger',
      description: 'Deletes the whole ledger.',
      execute: () => 'deleted',
    }),
  ],
});
const weatherURL = (await weather.listen()).url;
const financeURL = (await finance.listen()).url;
const upstreams = {
  servers: { weather: { url: weatherURL, type: 'http' }, finance: { url: financeURL, type: 'http' } },
  cache: 'memory',
  logger: silentLogger,
};

// 2. One gateway: prefixes per server, the destructive tool held back.
const gateway = await createGateway({
  name: 'team-gateway',
  upstreams,
  naming: { prefixes: { weather: 'wx_', finance: 'fin_' } },
  expose: { exclude: ['finance__delete_ledger'] },
});
const { url } = await gateway.listen();

// 3. A client of the gateway (any MCP client works; here @toolwire/core's registry).
const client = await createRegistry({
  servers: { gateway: { url, type: 'http' } },
  cache: 'memory',
  logger: silentLogger,
});
assert.deepEqual(
  client
    .tools()
    .map((tool) => tool.serverToolName)
    .sort(),
  ['fin_invoice_total', 'wx_get_forecast'],
);
const forecast = await client.callTool('gateway__wx_get_forecast', { city: 'Oslo' });
assert.deepEqual(forecast.structuredContent, { city: 'Oslo', celsius: 19 });
const total = await client.callTool('gateway__fin_invoice_total', { amounts: [120, 80.5] });
assert.equal(total.text, '200.5');
console.log(
  `gateway at ${url}: ${client.tools().length} tools; forecast ${JSON.stringify(forecast.structuredContent)}, total ${total.text}`,
);
await client.close();
await gateway.close();

// 4. Search mode: two tools, whatever the size of the catalogue.
const searching = await createGateway({
  upstreams,
  mode: 'search',
  expose: { exclude: ['finance__delete_ledger'] },
});
const searchURL = (await searching.listen()).url;
const searchClient = await createRegistry({
  servers: { gateway: { url: searchURL, type: 'http' } },
  cache: 'memory',
  logger: silentLogger,
});
assert.deepEqual(
  searchClient
    .tools()
    .map((tool) => tool.serverToolName)
    .sort(),
  ['call_tool', 'search_tools'],
);
const found = await searchClient.callTool('gateway__search_tools', { query: 'weather forecast for a city' });
assert.equal(found.structuredContent.found[0], 'weather__get_forecast');
const called = await searchClient.callTool('gateway__call_tool', {
  name: 'weather__get_forecast',
  arguments: { city: 'Lima' },
});
assert.deepEqual(called.structuredContent, { city: 'Lima', celsius: 19 });
const refused = await searchClient.callTool('gateway__call_tool', {
  name: 'finance__delete_ledger',
  arguments: {},
});
assert.equal(refused.isError, true);
console.log(
  `search mode: found ${found.structuredContent.found.join(', ')}; held-back tools stay out of reach`,
);
await searchClient.close();
await searching.close();

await weather.close();
await finance.close();
