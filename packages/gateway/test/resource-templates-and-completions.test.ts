/**
 * Resource templates and completions through the gateway, over real peers: server-everything
 * (stdio) upstream, the official SDK v2 client downstream. The upstream's URI templates are
 * listed unchanged and a resource made from one is read upstream; `completion/complete` for a
 * served prompt (under its published name) and for a template reaches the upstream server with
 * the server's own names, and one naming nothing served is refused.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everythingStdio } from '../../core/test/support/index.js';
import { createGateway, type Gateway } from '../src/index.js';

const TEXT_TEMPLATE = 'demo://resource/dynamic/text/{resourceId}';

let gateway: Gateway;
let client: Client;

beforeAll(async () => {
  gateway = await createGateway({
    upstreams: { servers: { everything: everythingStdio() }, cache: 'memory', logger: silentLogger },
    publisher: { onError: () => {} },
  });
  const { url } = await gateway.listen();
  client = new Client({ name: 'gateway-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
});

afterAll(async () => {
  await client?.close().catch(() => {});
  await gateway?.close();
});

describe('resource templates through the gateway', () => {
  it("lists the upstream's URI templates unchanged", async () => {
    const { resourceTemplates } = await client.listResourceTemplates();
    const upstream = await gateway.registry.listResourceTemplates();
    expect(upstream.length).toBeGreaterThan(0);
    expect(resourceTemplates.map((template) => template.uriTemplate).sort()).toEqual(
      upstream.map((template) => template.uriTemplate).sort(),
    );
    expect(resourceTemplates.find((template) => template.uriTemplate === TEXT_TEMPLATE)).toMatchObject({
      name: 'Dynamic Text Resource',
      mimeType: 'text/plain',
    });
  });

  it('reads a resource made from a template upstream', async () => {
    const { contents } = await client.readResource({ uri: 'demo://resource/dynamic/text/7' });
    expect(contents).toHaveLength(1);
    expect(contents[0]).toMatchObject({ uri: 'demo://resource/dynamic/text/7', mimeType: 'text/plain' });
    expect(String((contents[0] as { text?: string }).text)).toContain('7');
  });
});

describe('completion/complete through the gateway', () => {
  it('declares completions', () => {
    expect(client.getServerCapabilities()?.completions).toEqual({});
  });

  it("completes a served prompt's argument under its published name, with context", async () => {
    const departments = await client.complete({
      ref: { type: 'ref/prompt', name: 'everything__completable-prompt' },
      argument: { name: 'department', value: 'S' },
    });
    expect(departments.completion.values).toEqual(['Sales', 'Support']);
    const names = await client.complete({
      ref: { type: 'ref/prompt', name: 'everything__completable-prompt' },
      argument: { name: 'name', value: '' },
      context: { arguments: { department: 'Engineering' } },
    });
    expect(names.completion.values).toEqual(['Alice', 'Bob', 'Charlie']);
  });

  it("completes a resource template's variable", async () => {
    const ids = await client.complete({
      ref: { type: 'ref/resource', uri: TEXT_TEMPLATE },
      argument: { name: 'resourceId', value: '12' },
    });
    expect(ids.completion.values).toEqual(['12']);
  });

  it('refuses a prompt or resource it does not serve, naming it', async () => {
    await expect(
      client.complete({
        ref: { type: 'ref/prompt', name: 'completable-prompt' },
        argument: { name: 'department', value: '' },
      }),
    ).rejects.toThrow(/prompt "completable-prompt"/);
    await expect(
      client.complete({
        ref: { type: 'ref/resource', uri: 'demo://nowhere/{id}' },
        argument: { name: 'id', value: '' },
      }),
    ).rejects.toThrow(/resource "demo:\/\/nowhere\/\{id\}"/);
  });
});
