// One of the servers the publisher benchmark compares, serving the same `add` tool over
// Streamable HTTP on 127.0.0.1, with stateful sessions or stateless (`-stateless`: no session is
// kept, each request is served on its own), in a process of its own so that its memory can be
// read without the client's:
//
//   node --expose-gc publisher-server.mjs toolwire|raw|fastmcp[-stateless]
//
// Prints {"url": …} once listening. Over IPC it answers 'memory' with process.memoryUsage() taken
// after forced GC (with the bytes of machine code and the number of open TCP connections),
// 'sockets' with the number of open TCP connections alone (no GC: the memory loop polls it while
// the previous batch's idle connections close), and 'stop' by closing and exiting.
// Each kind imports only its own server library: a process loads what it serves, which is most of
// its start-up (six of them start side by side in the publisher benchmark).
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { getHeapSpaceStatistics } from 'node:v8';
import { z } from 'zod';

const [kind, mode] = (process.argv[2] ?? '').split('-');
const stateless = mode === 'stateless';
const addSchema = z.object({ a: z.number(), b: z.number() });

/** @toolwire/publisher with its defaults (sessions, Host/Origin checks, limits). */
async function startToolwire() {
  const { createPublisher, defineTool } = await import('@toolwire/publisher');
  const publisher = createPublisher({
    ...(stateless ? { http: { stateless: true } } : {}),
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
  // Idle connections kept as long as Node's default (the raw server's): the memory loop reads the
  // heap with the previous batch's connections gone on both.
  const { url } = await publisher.listen({ keepAliveTimeoutMs: 5_000 });
  return { url, stop: () => publisher.close({ drainMs: 100 }) };
}

/** One McpServer with the tool, as the SDK's docs show it. */
function rawMcpServer(McpServer) {
  const mcp = new McpServer({ name: 'bench-raw', version: '1.0.0' });
  mcp.registerTool('add', { description: 'Adds two numbers.', inputSchema: addSchema }, async ({ a, b }) => ({
    content: [{ type: 'text', text: String(a + b) }],
  }));
  return mcp;
}

/**
 * The raw SDK v2 server as its docs show it: one McpServer and transport per session, or, stateless,
 * a fresh server and transport (`sessionIdGenerator: undefined`) per request.
 */
async function startRawSDK() {
  const [{ NodeStreamableHTTPServerTransport }, { McpServer }] = await Promise.all([
    import('@modelcontextprotocol/node'),
    import('@modelcontextprotocol/server'),
  ]);
  const sessions = new Map();
  const server = createServer(async (request, response) => {
    if (stateless) {
      const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      const mcp = rawMcpServer(McpServer);
      response.on('close', () => {
        transport.close();
        mcp.close();
      });
      await mcp.connect(transport);
      await transport.handleRequest(request, response);
      return;
    }
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
      await rawMcpServer(McpServer).connect(transport);
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
  const { FastMCP } = await import('fastmcp');
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
    httpStream: { port, host: '127.0.0.1', endpoint: '/mcp', ...(stateless ? { stateless: true } : {}) },
  });
  return { url: `http://127.0.0.1:${port}/mcp`, stop: () => server.stop() };
}

const starters = { toolwire: startToolwire, raw: startRawSDK, fastmcp: startFastMCP };
if (!starters[kind] || (mode !== undefined && !stateless))
  throw new Error(
    `unknown server kind ${process.argv[2]}: expected toolwire, raw or fastmcp, each optionally -stateless`,
  );
const running = await starters[kind]();

/** Open TCP connections: the memory loop waits for the previous batch's to be closed. */
const openSockets = () => process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap').length;

process.on('message', async (message) => {
  if (message === 'sockets') {
    process.send({ sockets: openSockets() });
  } else if (message === 'memory') {
    for (let round = 0; round < 3; round++) {
      globalThis.gc?.();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const sockets = openSockets();
    // Machine code is not per session: V8 compiles it as functions get hot, a varying amount per batch.
    const codeBytes = getHeapSpaceStatistics()
      .filter((space) => space.space_name.startsWith('code_'))
      .reduce((sum, space) => sum + space.space_used_size, 0);
    process.send({ memory: { ...process.memoryUsage(), sockets, codeBytes } });
  } else if (message === 'stop') {
    await running.stop();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
