/**
 * The gateway re-publishes a registry end to end over real peers: upstreams are our publisher on
 * loopback HTTP, server-everything and the stdio fixture; downstream clients are the official SDK
 * v2 and v1 clients and a @toolwire/core registry. Schemas and structured content arrive
 * unchanged; progress, logs and cancellation travel with the call; an upstream's new tool reaches
 * the downstream client as `list_changed`; naming and exposure select what is served.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createRegistry, silentLogger, ToolwireError } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everythingStdio, fixtureStdio, waitFor } from '../../core/test/support/index.js';
import { createGateway, type Gateway } from '../src/index.js';
import {
  FORECAST_OUTPUT_SCHEMA,
  startUpstreamPublisher,
  type UpstreamPublisher,
} from './support/upstream-publisher.js';

let upstream: UpstreamPublisher;
let gateway: Gateway;
let url: string;
const clients: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  upstream = await startUpstreamPublisher();
  gateway = await createGateway({
    upstreams: {
      servers: {
        upstream: { url: upstream.url, type: 'http' },
        everything: everythingStdio(),
        fixture: fixtureStdio({ name: 'fixture' }),
      },
      cache: 'memory',
      logger: silentLogger,
    },
    upstreamSessions: 'shared',
    publisher: { onError: () => {} },
  });
  ({ url } = await gateway.listen());
});

afterAll(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => {});
  await gateway?.close();
  await upstream?.close();
});

async function connectV2(options: ConstructorParameters<typeof Client>[1] = {}): Promise<Client> {
  const client = new Client({ name: 'gateway-test', version: '1.0.0' }, options);
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  clients.push(client);
  return client;
}

describe('re-publishing a registry', () => {
  it("serves the upstreams' resources under their own URIs and forwards reads (SDK v2)", async () => {
    const client = await connectV2();
    const { resources } = await client.listResources();
    const uris = resources.map((resource) => resource.uri);
    const upstreamResources = await gateway.registry.listResources();
    expect(upstreamResources.length).toBeGreaterThan(1);
    expect(uris.sort()).toEqual(upstreamResources.map((resource) => resource.uri).sort());
    expect(resources.find((resource) => resource.uri === 'memo://note')).toMatchObject({
      name: 'note',
      mimeType: 'text/plain',
      description: 'The note of this MCP session.',
    });
    const fromEverything = upstreamResources.find((resource) => resource.server === 'everything');
    expect(fromEverything).toBeDefined();
    const through = await client.readResource({ uri: fromEverything?.uri ?? '' });
    const direct = await gateway.registry.readResource('everything', fromEverything?.uri ?? '');
    expect(through.contents).toEqual(direct.contents);
  });

  it('serves every upstream tool with its schemas unchanged, and structured content unchanged (SDK v2)', async () => {
    const direct = new Client({ name: 'direct', version: '1.0.0' });
    await direct.connect(new StreamableHTTPClientTransport(new URL(upstream.url)));
    clients.push(direct);
    const upstreamForecast = (await direct.listTools()).tools.find((tool) => tool.name === 'forecast');

    const client = await connectV2();
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining(['upstream__forecast', 'everything__echo', 'fixture__sleep']),
    );
    const forecast = tools.find((tool) => tool.name === 'upstream__forecast');
    expect(forecast?.inputSchema).toEqual(upstreamForecast?.inputSchema);
    expect(forecast?.outputSchema).toEqual(FORECAST_OUTPUT_SCHEMA);
    expect(forecast?.annotations).toEqual(upstreamForecast?.annotations);
    expect(forecast?.title).toBe('Forecast');

    const result = await client.callTool({ name: 'upstream__forecast', arguments: { city: 'Oslo' } });
    expect(result.structuredContent).toEqual({ city: 'Oslo', celsius: 21.5 });
    expect(result.isError).toBeFalsy();
    const echo = await client.callTool({ name: 'everything__echo', arguments: { message: 'hi' } });
    expect(JSON.stringify(echo.content)).toContain('hi');
    // A tool with an output schema may still fail: the error result passes without structured content.
    const failed = await client.callTool({ name: 'upstream__forecast', arguments: { city: 'Atlantis' } });
    expect(failed).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: 'No forecast for Atlantis.' }],
    });
    expect(failed.structuredContent).toBeUndefined();
  });

  it('serves SDK v1 clients, and passes tool errors on as isError results', async () => {
    const client = new ClientV1({ name: 'gateway-test-v1', version: '1.0.0' });
    await client.connect(new TransportV1(new URL(url)));
    clients.push(client);
    const { tools } = await client.listTools();
    expect(tools.find((tool) => tool.name === 'upstream__forecast')?.outputSchema).toEqual(
      FORECAST_OUTPUT_SCHEMA,
    );
    const result = await client.callTool({ name: 'upstream__forecast', arguments: { city: 'Rome' } });
    expect(result.structuredContent).toEqual({ city: 'Rome', celsius: 21.5 });
    const failed = await client.callTool({ name: 'fixture__fail', arguments: { reason: 'no luck' } });
    expect(failed.isError).toBe(true);
    expect(failed.content).toEqual([{ type: 'text', text: 'no luck' }]);
    const invalid = await client.callTool({ name: 'upstream__forecast', arguments: { city: 42 } });
    expect(invalid.isError).toBe(true);
  });

  it('forwards progress and log notifications to the downstream client, before the result', async () => {
    const client = await connectV2();
    const logs: unknown[] = [];
    client.setNotificationHandler('notifications/message', (notification) => {
      logs.push(notification.params.data);
    });
    const progress: { progress: number; total?: number | undefined; message?: string | undefined }[] = [];
    const result = await client.callTool(
      { name: 'upstream__chatty', arguments: {} },
      { onprogress: (update) => progress.push(update) },
    );
    expect(result.content).toEqual([{ type: 'text', text: 'chatty done' }]);
    expect(progress).toEqual([
      { progress: 1, total: 2, message: 'half' },
      { progress: 2, total: 2 },
    ]);
    expect(logs).toEqual([{ note: 'halfway' }]);
  });

  it('cancels the upstream call when the downstream client cancels', async () => {
    const client = await connectV2();
    const before = upstream.cancelled.length;
    const started = upstream.waitStarted();
    const controller = new AbortController();
    const call = client.callTool({ name: 'upstream__wait', arguments: {} }, { signal: controller.signal });
    await started;
    controller.abort();
    await expect(call).rejects.toThrow();
    await waitFor(() => upstream.cancelled.length > before, { message: 'the upstream call to be cancelled' });
  });

  it('tells downstream clients when an upstream adds a tool (list_changed)', async () => {
    const seen: string[][] = [];
    const client = await connectV2({
      listChanged: {
        tools: {
          debounceMs: 0,
          onChanged: (_error, tools) => tools && seen.push(tools.map((tool) => tool.name)),
        },
      },
    });
    // The client's stream for server messages opens after connect: add tools until one is heard.
    let heard: string | undefined;
    for (let attempt = 0; heard === undefined; attempt++) {
      if (attempt === 50) throw new Error('the client never heard a list change');
      const name = `late_${attempt}`;
      await client.callTool({ name: 'fixture__add_tool', arguments: { name } });
      await waitFor(() => gateway.upstreamOf(`fixture__${name}`), {
        message: `fixture__${name} to be served`,
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (seen.some((names) => names.includes(`fixture__${name}`))) heard = `fixture__${name}`;
    }
    const result = await client.callTool({ name: heard, arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: `${heard.replace('fixture__', '')} ran` }]);
  });

  it("serves the upstreams' prompts and forwards prompts/get", async () => {
    const client = await connectV2();
    const { prompts } = await client.listPrompts();
    const greeting = prompts.find((prompt) => prompt.name === 'upstream__greeting');
    expect(greeting).toMatchObject({
      title: 'Greeting',
      description: 'Greets someone.',
      arguments: [{ name: 'who', description: 'Who to greet', required: true }],
    });
    const result = await client.getPrompt({ name: 'upstream__greeting', arguments: { who: 'Ada' } });
    expect(result.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Say hello to Ada.' } }]);
    expect(result.description).toBe('A greeting');
  });

  it('serves @toolwire/core as a downstream client', async () => {
    const downstream = await createRegistry({
      servers: { gateway: { url, type: 'http' } },
      cache: 'memory',
      logger: silentLogger,
    });
    clients.push(downstream);
    const tool = downstream.tool('gateway__upstream__forecast');
    expect(tool?.outputSchema).toEqual(FORECAST_OUTPUT_SCHEMA);
    const result = await downstream.callTool('gateway__upstream__forecast', { city: 'Lima' });
    expect(result.structuredContent).toEqual({ city: 'Lima', celsius: 21.5 });
  });
});

describe('failure isolation', () => {
  it('keeps serving the other upstreams when one crashes mid-call', async () => {
    const client = await connectV2();
    const crashed = await client.callTool({ name: 'fixture__crash', arguments: {} });
    expect(crashed.isError).toBe(true);
    const forecast = await client.callTool({ name: 'upstream__forecast', arguments: { city: 'Bergen' } });
    expect(forecast.structuredContent).toEqual({ city: 'Bergen', celsius: 21.5 });
    const echo = await client.callTool({ name: 'everything__echo', arguments: { message: 'still here' } });
    expect(JSON.stringify(echo.content)).toContain('still here');
  });
});

describe('search mode', () => {
  it('serves only search_tools and call_tool, which find and call the exposed tools', async () => {
    const search = await createGateway({
      registry: gateway.registry,
      mode: 'search',
      expose: { exclude: ['upstream__wait'] },
      upstreamSessions: 'shared',
    });
    const listening = await search.listen();
    const client = new Client({ name: 'search-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(listening.url)));
    clients.push(client);
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual([
      'call_tool',
      'search_tools',
    ]);

    const found = await client.callTool({
      name: 'search_tools',
      arguments: { query: 'weather forecast for a city' },
    });
    expect((found.structuredContent as { found: string[] }).found[0]).toBe('upstream__forecast');
    const called = await client.callTool({
      name: 'call_tool',
      arguments: { name: 'upstream__forecast', arguments: { city: 'Oslo' } },
    });
    expect(called.structuredContent).toEqual({ city: 'Oslo', celsius: 21.5 });

    const invalid = await client.callTool({
      name: 'call_tool',
      arguments: { name: 'upstream__forecast', arguments: { city: 7 } },
    });
    expect(invalid.isError).toBe(true);
    expect(JSON.stringify(invalid.content)).toMatch(/city/);
    const hidden = await client.callTool({
      name: 'call_tool',
      arguments: { name: 'upstream__wait', arguments: {} },
    });
    expect(hidden.isError).toBe(true);
    expect(JSON.stringify(hidden.content)).toMatch(/No tool named \\"upstream__wait\\"/);
    const excludedFromSearch = await client.callTool({
      name: 'search_tools',
      arguments: { query: 'wait until cancelled' },
    });
    expect((excludedFromSearch.structuredContent as { found: string[] }).found).not.toContain(
      'upstream__wait',
    );
    await search.close();
  });
});

describe('naming and exposure', () => {
  it('serves the selected tools under per-server prefixes, over a registry it does not own', async () => {
    const second = await createGateway({
      registry: gateway.registry,
      expose: { include: ['upstream__*', 'everything__echo'], exclude: ['upstream__wait'] },
      naming: { prefixes: { upstream: 'up_' } },
    });
    const names = (await second.tools()).map((tool) => tool.name).sort();
    expect(names).toEqual(['everything_echo', 'up_chatty', 'up_forecast', 'up_recall', 'up_remember']);
    expect(second.upstreamOf('up_forecast')).toBe('upstream__forecast');
    await second.close();
    // The registry was given, so it stays open for its owner.
    expect(gateway.registry.server('upstream')?.status).not.toBe('disabled');
    expect((await gateway.registry.callTool('upstream__recall', {})).isError).toBe(false);
  });

  it('leaves out a tool whose name collides, reports it, and serves the others', async () => {
    const errors: Error[] = [];
    const original = await createGateway({
      registry: gateway.registry,
      expose: { include: ['everything__echo', 'fixture__echo', 'upstream__forecast'] },
      naming: 'original',
      publisher: { onError: (error) => errors.push(error) },
    });
    const names = (await original.tools()).map((tool) => tool.name).sort();
    expect(names).toEqual(['echo', 'forecast']);
    expect(errors).toHaveLength(1);
    expect(ToolwireError.isInstance(errors[0]) && errors[0].code).toBe('CONFIG_INVALID');
    expect(errors[0]?.message).toMatch(/__echo" is not served/);
    await original.close();
  });

  it('refuses options it cannot read with CONFIG_INVALID', async () => {
    await expect(createGateway({} as never)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(
      createGateway({ registry: gateway.registry, mode: 'everything' as never }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/mode/) });
    await expect(createGateway({ registry: gateway.registry, naming: 42 as never })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/naming/),
    });
  });
});

describe('upstreams switched off and on', () => {
  it('stops serving a disabled server’s tools and serves them again once it is enabled', async () => {
    const client = await connectV2();
    const served = async () => (await client.listTools()).tools.map((tool) => tool.name);
    expect(await served()).toContain('everything__echo');
    await gateway.registry.disableServer('everything');
    await waitFor(async () => !(await served()).includes('everything__echo'), {
      message: 'everything__echo to be withdrawn',
    });
    expect(await served()).toContain('upstream__forecast');
    gateway.registry.enableServer('everything');
    await waitFor(async () => (await served()).includes('everything__echo'), {
      message: 'everything__echo to be served again',
    });
    const echo = await client.callTool({ name: 'everything__echo', arguments: { message: 'back' } });
    expect(JSON.stringify(echo.content)).toContain('back');
  });
});
