// What one idle publisher session keeps on the heap, by constructor: opens sessions on an
// in-process server (toolwire's publisher or the raw SDK v2 server, as the publisher benchmark
// serves them) with plain fetch, and diffs heap snapshots taken before and after.
//   node --expose-gc bench/src/profile/session-heap.mjs toolwire|raw [--sessions 200] [--top 30]
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { getHeapSnapshot } from 'node:v8';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { McpServer } from '@modelcontextprotocol/server';
import { createPublisher, defineTool } from '@toolwire/publisher';
import { z } from 'zod';

const { values, positionals } = parseArgs({
  options: { sessions: { type: 'string', default: '200' }, top: { type: 'string', default: '30' } },
  allowPositionals: true,
});
const kind = positionals[0] ?? 'toolwire';
const addSchema = z.object({ a: z.number(), b: z.number() });

async function startToolwire() {
  const publisher = createPublisher({
    name: 'bench-toolwire',
    version: '1.0.0',
    tools: [
      defineTool({
        name: 'add',
        description: 'Adds two numbers.',
        inputSchema: addSchema,
        execute: ({ a, b }) => String(a + b),
      }),
    ],
    onError: () => {},
  });
  const { url } = await publisher.listen();
  return { url, stop: () => publisher.close({ drainMs: 100 }) };
}

async function startRaw() {
  const sessions = new Map();
  const server = createServer(async (request, response) => {
    const sessionId = request.headers['mcp-session-id'];
    let transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (!transport) {
      transport = new NodeStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => sessions.set(id, transport),
        onsessionclosed: (id) => sessions.delete(id),
      });
      const mcp = new McpServer({ name: 'bench-raw', version: '1.0.0' });
      mcp.registerTool(
        'add',
        { description: 'Adds two numbers.', inputSchema: addSchema },
        async ({ a, b }) => ({
          content: [{ type: 'text', text: String(a + b) }],
        }),
      );
      await mcp.connect(transport);
    }
    await transport.handleRequest(request, response);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/mcp`,
    stop: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  };
}

const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
/** One retry: a keep-alive socket the server just closed resets the next request on it. */
async function post(url, init) {
  try {
    return await fetch(url, init);
  } catch {
    return fetch(url, init);
  }
}

async function openSession(url) {
  const init = await post(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'heap', version: '1.0.0' },
      },
    }),
  });
  const id = init.headers.get('mcp-session-id');
  await init.text();
  const done = await post(url, {
    method: 'POST',
    headers: { ...headers, 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  await done.text();
}

async function settle() {
  for (let round = 0; round < 4; round++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function census() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const stream = getHeapSnapshot();
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('end', () => {
      const snapshot = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const { node_fields: fields, node_types: types } = snapshot.snapshot.meta;
      const typeNames = types[0];
      const width = fields.length;
      const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field));
      const byName = new Map();
      for (let index = 0; index < snapshot.nodes.length; index += width) {
        const type = typeNames[snapshot.nodes[index + typeAt]];
        const name = `${type}:${snapshot.strings[snapshot.nodes[index + nameAt]]}`.slice(0, 90);
        const entry = byName.get(name) ?? { count: 0, bytes: 0 };
        entry.count++;
        entry.bytes += snapshot.nodes[index + sizeAt];
        byName.set(name, entry);
      }
      resolve(byName);
    });
  });
}

const server = kind === 'raw' ? await startRaw() : await startToolwire();
const count = Number(values.sessions);
for (let index = 0; index < 5; index++) await openSession(server.url); // warm-up
await settle();
const heapBefore = process.memoryUsage().heapUsed;
const before = await census();
for (let index = 0; index < count; index++) await openSession(server.url);
await settle();
const heapAfter = process.memoryUsage().heapUsed;
const after = await census();
console.log(`${kind}: ${((heapAfter - heapBefore) / count / 1024).toFixed(2)} KB heap per idle session`);
const rows = [...after]
  .map(([name, entry]) => {
    const old = before.get(name) ?? { count: 0, bytes: 0 };
    return [name, (entry.count - old.count) / count, (entry.bytes - old.bytes) / count];
  })
  .sort((a, b) => b[2] - a[2])
  .slice(0, Number(values.top));
for (const [name, perCount, perBytes] of rows)
  console.log(`${perBytes.toFixed(0).padStart(6)} B  ${perCount.toFixed(2).padStart(6)}×  ${name}`);
await server.stop();
process.exit(0);
