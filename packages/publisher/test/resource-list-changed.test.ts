/**
 * Resources and resource templates changed at run time (`addResources`, `removeResources`) reach
 * every client: a 2025 session (the official SDK v2 client) hears
 * `notifications/resources/list_changed`, lists the new resources and reads them (a template by
 * its variables); a 2026-07-28 `subscriptions/listen` stream asking for `resourcesListChanged`
 * hears the change too. A publisher given `resources: []` declares the capability from the start,
 * so a session opened before the first resource still learns of it. Bad changes change nothing.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ToolwireError } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, defineResource, type ListeningPublisher, type Publisher } from '../src/index.js';
import { listen } from './support/modern-mcp.js';
import { readEvents } from './support/raw-mcp.js';
import { nativeTools } from './support/sample-tools.js';

let publisher: Publisher;
let listening: ListeningPublisher;

beforeAll(async () => {
  publisher = createPublisher({
    name: 'resource-list-changed',
    version: '1.0.0',
    tools: nativeTools,
    resources: [],
    onError: () => {},
  });
  listening = await publisher.listen();
});

afterAll(async () => {
  await publisher?.close({ drainMs: 200 });
});

describe('resources changed at run time', () => {
  it('reach a 2025 session opened before the first resource: list_changed, the new lists, reads', async () => {
    let changes = 0;
    const client = new Client(
      { name: 'resource-list-changed', version: '1.0.0' },
      {
        versionNegotiation: { mode: 'legacy' },
        listChanged: { resources: { debounceMs: 0, autoRefresh: false, onChanged: () => changes++ } },
      },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(listening.url)));
    try {
      expect(client.getServerCapabilities()?.resources).toMatchObject({ listChanged: true });
      expect((await client.listResources()).resources).toEqual([]);
      // The session's stream for server messages opens after connect: add until a change is heard.
      for (let probe = 0; changes === 0; probe++) {
        if (probe === 100) throw new Error('the client never heard a resource list change');
        const uri = `probe://${probe}`;
        await publisher.addResources([defineResource({ uri, name: 'probe', read: () => 'probe' })]);
        await publisher.removeResources([uri]);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      changes = 0;

      await publisher.addResources([
        defineResource({ uri: 'memo://today', name: 'today', mimeType: 'text/plain', read: () => 'sunny' }),
        defineResource({
          uri: 'memo://notes/{id}',
          template: true,
          name: 'note',
          read: (_uri, variables) => `note ${String(variables.id)}`,
        }),
      ]);
      await expect.poll(() => changes, { timeout: 10_000 }).toBeGreaterThan(0);
      expect((await client.listResources()).resources).toEqual([
        { uri: 'memo://today', name: 'today', mimeType: 'text/plain' },
      ]);
      expect((await client.listResourceTemplates()).resourceTemplates).toEqual([
        { uriTemplate: 'memo://notes/{id}', name: 'note' },
      ]);
      expect((await client.readResource({ uri: 'memo://today' })).contents).toEqual([
        { uri: 'memo://today', text: 'sunny', mimeType: 'text/plain' },
      ]);
      expect((await client.readResource({ uri: 'memo://notes/7' })).contents).toEqual([
        { uri: 'memo://notes/7', text: 'note 7' },
      ]);

      changes = 0;
      await publisher.removeResources(['memo://today', 'memo://notes/{id}']);
      await expect.poll(() => changes, { timeout: 10_000 }).toBeGreaterThan(0);
      expect((await client.listResources()).resources).toEqual([]);
      await expect(client.readResource({ uri: 'memo://today' })).rejects.toThrow(/memo:\/\/today/);
    } finally {
      await client.close();
    }
  });

  it('reach 2026-07-28 listen streams that ask for resourcesListChanged', async () => {
    const stream = await listen(listening.url, { resourcesListChanged: true }, { id: 61 });
    try {
      const [ack] = await readEvents(stream.response, (events) => events.length >= 1);
      expect(JSON.parse(ack?.data ?? '{}')).toMatchObject({
        method: 'notifications/subscriptions/acknowledged',
        params: { notifications: { resourcesListChanged: true } },
      });
      await publisher.addResources([
        defineResource({ uri: 'memo://streamed', name: 'streamed', read: () => 'x' }),
      ]);
      const [change] = await readEvents(stream.response, (events) => events.length >= 1);
      expect(JSON.parse(change?.data ?? '{}')).toMatchObject({
        method: 'notifications/resources/list_changed',
        params: { _meta: { 'io.modelcontextprotocol/subscriptionId': 61 } },
      });
    } finally {
      stream.controller.abort();
      await publisher.removeResources(['memo://streamed']);
    }
  });

  it('refuses a URI already published, a bad definition and an unknown URI, changing nothing', async () => {
    await publisher.addResources([defineResource({ uri: 'memo://once', name: 'once', read: () => 'x' })]);
    const twice = publisher.addResources([
      defineResource({ uri: 'memo://fresh', name: 'fresh', read: () => 'x' }),
      defineResource({ uri: 'memo://once', name: 'again', read: () => 'x' }),
    ]);
    await expect(twice).rejects.toSatisfy(
      (error) =>
        ToolwireError.isInstance(error) &&
        error.code === 'CONFIG_INVALID' &&
        /memo:\/\/once/.test(error.message),
    );
    await expect(
      publisher.addResources([{ uri: 'memo://no-read', name: 'broken' } as never]),
    ).rejects.toThrow(/memo:\/\/no-read.*read function/);
    await expect(publisher.removeResources(['memo://fresh'])).rejects.toThrow(/memo:\/\/fresh/);
    await publisher.removeResources(['memo://once']);
  });
});
