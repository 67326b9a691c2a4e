// One of the three servers the publisher benchmark compares, serving the same `add` tool over
// Streamable HTTP on 127.0.0.1 (stateful sessions), in a process of its own so that its memory can
// be read without the client's:
//
//   node --expose-gc publisher-server.mjs toolwire|raw|fastmcp
//
// Prints {"url": …} once listening. Over IPC it answers 'memory' with process.memoryUsage() taken
// after forced GC, and 'stop' by closing and exiting.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { McpServer } from '@modelcontextprotocol/server';
import { createPublisher, defineTool } from '@toolwire/publisher';
import { FastMCP } from 'fastmcp';
import { z } from 'zod';

const kind = process.argv[2];
const addSchema = z.object({ a: z.number(), b: z.number() });

/** @toolwire/publisher with its defaults (sessions, Host/Origin checks, limits). */
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

/** The raw SDK v2 server as its docs show it: one McpServer and transport per session. */
async function startRawSDK() {
  const sessions = new Map();
  const server = createServer(async (request, response) => {
    const sessionId = request.headers['mcp-session-id'];
    let transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (!transport) {
      if (sessionId) {
        response.writeHead(404).end();
        return;
      }
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
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** FastMCP's HTTP stream transport (it takes a port, not port 0: one is picked free first). */
async function startFastMCP() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = probe.address().port;
  await new Promise((resolve) => probe.close(resolve));
  const server = new FastMCP({ name: 'bench-fastmcp', version: '1.0.0' });
  server.addTool({
    name: 'add',
    description: 'Adds two numbers.',
    parameters: addSchema,
    execute: async ({ a, b }) => String(a + b),
  });
  await server.start({
    transportType: 'httpStream',
    httpStream: { port, host: '127.0.0.1', endpoint: '/mcp' },
  });
  return { url: `http://127.0.0.1:${port}/mcp`, stop: () => server.stop() };
}

const starters = { toolwire: startToolwire, raw: startRawSDK, fastmcp: startFastMCP };
if (!starters[kind]) throw new Error(`unknown server kind ${kind}: expected toolwire, raw or fastmcp`);
const running = await starters[kind]();

process.on('message', async (message) => {
  if (message === 'memory') {
    for (let round = 0; round < 3; round++) {
      globalThis.gc?.();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    process.send({ memory: process.memoryUsage() });
  } else if (message === 'stop') {
    await running.stop();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
