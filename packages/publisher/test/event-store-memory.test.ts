/**
 * The memory event store's footprint, measured: after many sessions that each received a large
 * result have ended, the heap is back where it started (their events went with them), and while
 * they are open the retained events stay under the store's byte cap. Real SDK clients over
 * loopback; the heap is measured after forced garbage collections.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMemoryEventStore,
  createMemorySessionStore,
  createPublisher,
  defineTool,
  type Publisher,
} from '../src/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const RESULT_BYTES = 400_000;
const SESSIONS = 30;

const open: Publisher[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((publisher) => publisher.close({ drainMs: 100 })));
});

function start(http: Parameters<typeof createPublisher>[0]['http'] = {}): Publisher {
  const publisher = createPublisher({
    name: 'memory',
    version: '1.0.0',
    tools: [
      defineTool({
        name: 'blob',
        description: 'Returns a large text.',
        // A log message first puts the call on a (resumable) stream, whose messages are stored;
        // an answer sent as one JSON body never is. A fresh string per call, so nothing is shared
        // between the retained events.
        async execute(_args, context) {
          await context.log('info', 'sending the blob');
          return `${context.sessionId}:${'x'.repeat(RESULT_BYTES)}`;
        },
      }),
    ],
    http,
    onError: () => {},
  });
  open.push(publisher);
  return publisher;
}

async function heapUsed(): Promise<number> {
  for (let round = 0; round < 4; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed;
}

async function session(url: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url));
  const client = new Client({ name: 'memory-test', version: '1.0.0' });
  await client.connect(transport);
  const result = await client.callTool({ name: 'blob', arguments: {} });
  expect((result.content as { text: string }[])[0]!.text.length).toBeGreaterThan(RESULT_BYTES);
  return { client, transport };
}

describe('memory event store footprint', () => {
  it('retains ~nothing once the sessions that produced events have ended', async () => {
    const { url } = await start().listen();
    // Warm up (module caches, SDK schemas, sockets) before the baseline.
    for (let index = 0; index < 3; index++) {
      const { client, transport } = await session(url);
      await transport.terminateSession();
      await client.close();
    }
    const before = await heapUsed();
    for (let index = 0; index < SESSIONS; index++) {
      const { client, transport } = await session(url);
      await transport.terminateSession();
      await client.close();
    }
    const growth = (await heapUsed()) - before;
    // Keeping the results would be SESSIONS × RESULT_BYTES = 12 MB.
    expect(growth).toBeLessThan(2_000_000);
  });

  it('keeps the retained events under the byte cap while the sessions stay open', async () => {
    const maxBytes = 2 * 1024 * 1024;
    const events = createMemoryEventStore({ maxBytes });
    const { url } = await start({ store: { sessions: createMemorySessionStore(), events } }).listen();
    const clients: Client[] = [];
    const warm = await session(url);
    clients.push(warm.client);
    const before = await heapUsed();
    for (let index = 0; index < SESSIONS; index++) clients.push((await session(url)).client);
    const growth = (await heapUsed()) - before;
    expect(events.retainedBytes).toBeGreaterThan(RESULT_BYTES);
    expect(events.retainedBytes).toBeLessThanOrEqual(maxBytes);
    // Unbounded, the events alone would be 12 MB; open sessions cost a little each on top of the cap.
    expect(growth).toBeLessThan(maxBytes + 3_000_000);
    await Promise.all(clients.map((client) => client.close()));
  });
});
