/**
 * An upstream's resource-list changes reach the downstream client: the upstream (our publisher on
 * loopback, whose tools add and remove resources at run time) announces
 * `notifications/resources/list_changed`, the gateway serves the new resources and templates and
 * the official SDK v2 client downstream hears `notifications/resources/list_changed`, lists and
 * reads them through the gateway; a removed resource is gone. A reload to other upstreams serves
 * theirs instead, and tells the client too.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../core/test/support/index.js';
import {
  createPublisher,
  defineResource,
  defineTool,
  type ListeningPublisher,
  type Publisher,
} from '../../publisher/src/index.js';
import { createGateway, type Gateway } from '../src/index.js';

const memo = (uri: string) =>
  defineResource({ uri, name: uri, mimeType: 'text/plain', read: () => `read ${uri}` });

/** Our publisher whose tools change its resources (it tells its clients `resources/list_changed`). */
async function changingUpstream(
  name: string,
  first: string,
): Promise<{ publisher: Publisher; url: string; close(): Promise<void> }> {
  let publisher: Publisher | undefined;
  publisher = createPublisher({
    name,
    version: '1.0.0',
    onError: () => {},
    resources: [memo(first)],
    tools: [
      defineTool({
        name: 'add_resource',
        description: 'Publishes memo://<name> and the template memo://<name>/{id}.',
        inputSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        async execute(args: { name: string }) {
          await publisher?.addResources([
            memo(`memo://${args.name}`),
            defineResource({
              uri: `memo://${args.name}/{id}`,
              template: true,
              name: `${args.name}-item`,
              read: (_uri, variables) => `item ${String(variables.id)}`,
            }),
          ]);
          return 'added';
        },
      }),
      defineTool({
        name: 'remove_resource',
        description: 'Stops publishing a resource by URI.',
        inputSchema: { type: 'object', properties: { uri: { type: 'string' } }, required: ['uri'] },
        async execute(args: { uri: string }) {
          await publisher?.removeResources([args.uri]);
          return 'removed';
        },
      }),
    ],
  });
  const listening: ListeningPublisher = await publisher.listen();
  return { publisher, url: listening.url, close: () => listening.close() };
}

let first: Awaited<ReturnType<typeof changingUpstream>>;
let second: Awaited<ReturnType<typeof changingUpstream>>;
let gateway: Gateway;
let client: Client;
let heard = 0;

beforeAll(async () => {
  first = await changingUpstream('first-upstream', 'memo://first');
  second = await changingUpstream('second-upstream', 'memo://other');
  gateway = await createGateway({
    upstreams: { servers: { changing: { url: first.url } }, cache: 'memory', logger: silentLogger },
    publisher: { onError: () => {} },
  });
  const { url } = await gateway.listen();
  client = new Client(
    { name: 'gateway-test', version: '1.0.0' },
    { listChanged: { resources: { autoRefresh: false, debounceMs: 0, onChanged: () => heard++ } } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
});

afterAll(async () => {
  await client?.close().catch(() => {});
  await gateway?.close();
  await first?.close();
  await second?.close();
});

const resourceURIs = async () =>
  (await client.listResources()).resources.map((resource) => resource.uri).sort();
const templates = async () =>
  (await client.listResourceTemplates()).resourceTemplates.map((template) => template.uriTemplate).sort();

describe('resources/list_changed through the gateway', () => {
  it('serves resources and templates the upstream adds after start, and tells the downstream client', async () => {
    expect(await resourceURIs()).toEqual(['memo://first']);
    await client.callTool({ name: 'changing__add_resource', arguments: { name: 'later' } });
    await waitFor(() => heard > 0, { message: 'notifications/resources/list_changed downstream' });
    await waitFor(async () => (await resourceURIs()).includes('memo://later'), {
      message: 'the new resource listed downstream',
    });
    expect(await templates()).toEqual(['memo://later/{id}']);
    expect((await client.readResource({ uri: 'memo://later' })).contents).toEqual([
      { uri: 'memo://later', mimeType: 'text/plain', text: 'read memo://later' },
    ]);
    expect((await client.readResource({ uri: 'memo://later/42' })).contents).toMatchObject([
      { uri: 'memo://later/42', text: 'item 42' },
    ]);
  });

  it('stops serving a resource the upstream removes', async () => {
    const before = heard;
    await client.callTool({ name: 'changing__remove_resource', arguments: { uri: 'memo://first' } });
    await waitFor(() => heard > before, { message: 'a second resources/list_changed downstream' });
    await waitFor(async () => !(await resourceURIs()).includes('memo://first'), {
      message: 'the removed resource gone downstream',
    });
    await expect(client.readResource({ uri: 'memo://first' })).rejects.toThrow(/memo:\/\/first/);
  });

  it('serves the new upstreams’ resources after a reload, and tells the client', async () => {
    const before = heard;
    await gateway.reload({ servers: { other: { url: second.url } }, cache: 'memory', logger: silentLogger });
    await waitFor(() => heard > before, { message: 'resources/list_changed after the reload' });
    expect(await resourceURIs()).toEqual(['memo://other']);
    expect(await templates()).toEqual([]);
    expect((await client.readResource({ uri: 'memo://other' })).contents[0]).toMatchObject({
      text: 'read memo://other',
    });
  });
});
