/**
 * What a forwarded call asks of the registry: only the call itself. Without per-caller upstream
 * auth it needs no lookup of its tool (`registry.tool()` describes the tool with a copy of its
 * stats, latency percentiles sorted anew), and a policy's allow/deny rules match the tool by name
 * rather than by listing the catalogue (`registry.tools()`, every tool described) on each call.
 * The registry is a real one (our publisher upstream on loopback), watched through a proxy that
 * counts those two methods; the decisions the policy makes are checked alongside.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createRegistry, type Registry, silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway, type GatewayPolicy } from '../src/index.js';
import { startUpstreamPublisher, type UpstreamPublisher } from './support/upstream-publisher.js';

let upstream: UpstreamPublisher;
let registry: Registry;
const lookups = { tool: 0, tools: 0 };
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  upstream = await startUpstreamPublisher();
  const real = await createRegistry({
    servers: { upstream: { url: upstream.url, type: 'http' } },
    cache: 'memory',
    logger: silentLogger,
  });
  registry = new Proxy(real, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property !== 'tool' && property !== 'tools')
        return typeof value === 'function' ? value.bind(target) : value;
      return (...args: unknown[]) => {
        lookups[property]++;
        return (value as (...args: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  closers.push(() => real.close());
});

afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => {});
  await upstream?.close();
});

async function serve(policy?: GatewayPolicy): Promise<{ gateway: Gateway; client: Client }> {
  const gateway = await createGateway({
    registry,
    ...(policy ? { policy } : {}),
    publisher: { onError: () => {} },
  });
  const { url } = await gateway.listen();
  closers.push(() => gateway.close());
  const client = new Client({ name: 'call-lookups', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  closers.push(() => client.close());
  await client.listTools();
  return { gateway, client };
}

const forecast = (client: Client) =>
  client.callTool({ name: 'upstream__forecast', arguments: { city: 'Oslo' } });

describe('a forwarded call asks the registry for nothing but the call', () => {
  it('without a policy: no tool lookup per call', async () => {
    const { client } = await serve();
    lookups.tool = 0;
    lookups.tools = 0;
    for (let index = 0; index < 3; index++) expect((await forecast(client)).isError).toBeFalsy();
    expect(lookups).toEqual({ tool: 0, tools: 0 });
  });

  it('with allow/deny globs: the rules still decide, without listing the catalogue per call', async () => {
    const { client } = await serve({ allow: ['upstream__*'], deny: ['upstream__rem*'] });
    lookups.tool = 0;
    lookups.tools = 0;
    for (let index = 0; index < 3; index++) expect((await forecast(client)).isError).toBeFalsy();
    const denied = await client.callTool({ name: 'upstream__remember', arguments: { note: 'n' } });
    expect(denied.isError).toBe(true);
    expect((denied.content as { text: string }[])[0]?.text).toContain('denies "upstream__remember"');
    expect(lookups).toEqual({ tool: 0, tools: 0 });
  });
});
