/**
 * Search mode over a catalogue too big for a client's context: 28 generated servers (276 tools)
 * behind one gateway that serves only `search_tools` and `call_tool`. A client finds the tool a
 * written query means and calls it, with its own schema checked, through the SDK v2 client.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type CatalogueServers,
  catalogueToolCount,
  startCatalogueServers,
} from '../../core/test/support/index.js';
import { createGateway, type Gateway } from '../src/index.js';

let catalogue: CatalogueServers;
let gateway: Gateway;
let client: Client;

beforeAll(async () => {
  catalogue = await startCatalogueServers();
  gateway = await createGateway({
    upstreams: { mcpServers: catalogue.entries(), cache: 'memory', logger: silentLogger },
    mode: 'search',
    upstreamSessions: 'shared',
    publisher: { onError: () => {} },
  });
  const { url } = await gateway.listen();
  client = new Client({ name: 'huge-catalogue-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
});

afterAll(async () => {
  await client?.close();
  await gateway?.close();
  await catalogue?.stop();
});

it('serves two tools for hundreds, finds the one a query means, and calls it', async () => {
  expect(gateway.registry.tools().length).toBe(catalogueToolCount);
  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name).sort()).toEqual(['call_tool', 'search_tools']);

  const search = await client.callTool({
    name: 'search_tools',
    arguments: { query: 'what will the weather be like in Oslo this weekend' },
  });
  const output = search.structuredContent as {
    found: string[];
    tools: { name: string; required: string[] }[];
  };
  // The registry's own ranking (core's search tests hold it to the top three).
  expect(output.found.slice(0, 3)).toContain('weather__get_forecast');
  expect(output.tools.find((tool) => tool.name === 'weather__get_forecast')?.required).toEqual(['city']);

  const called = await client.callTool({
    name: 'call_tool',
    arguments: { name: 'weather__get_forecast', arguments: { city: 'Oslo', days: 2 } },
  });
  expect(called.isError).toBeFalsy();
  expect(called.structuredContent).toEqual({
    server: 'weather',
    tool: 'get_forecast',
    arguments: { city: 'Oslo', days: 2 },
  });

  const outOfRange = await client.callTool({
    name: 'call_tool',
    arguments: { name: 'weather__get_forecast', arguments: { city: 'Oslo', days: 99 } },
  });
  expect(outOfRange.isError).toBe(true);
  expect(JSON.stringify(outOfRange.content)).toMatch(/days/);
});
