// The benchmarks' own MCP server: the least a 2025-era server can do (initialize, ping, tools/list,
// tools/call), no SDK, no logging, no validation, so that per-call numbers show the clients'
// costs rather than the server's. Every client row talks to a copy of this same server.
//
//   node minimal-server.mjs stdio [--tools N]   JSON-RPC lines on stdin/stdout
//   node minimal-server.mjs http  [--tools N]   Streamable HTTP (JSON responses) on 127.0.0.1:<free
//                                               port>; prints {"url": "..."} on stdout once listening
//   … [--work-ms N]                             each tools/call answered after a timer of N ms: an
//                                               upstream doing work per call (as one calling an API
//                                               would), with no CPU spent on it (the gateway benchmark)
//
// Tool `echo` returns its `message`; `--tools N` adds N-1 more tools for catalogue-size runs: by
// default `tool_1`… with one search-like schema, or with `--corpus FILE` the real tools of the
// schema corpus (corpus/reference-tools.json) in turn, each under a numbered name. Answers `server/discover` with "method not found", so clients
// that probe for the 2026-07-28 era settle on the 2025 handshake: every client speaks the same era.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    tools: { type: 'string', default: '1' },
    corpus: { type: 'string' },
    'work-ms': { type: 'string', default: '0' },
  },
});
const mode = positionals[0] ?? 'stdio';
const toolCount = Math.max(1, Number(values.tools));
const workMs = Math.max(0, Number(values['work-ms']));

const SUPPORTED_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'];

const tools = [
  {
    name: 'echo',
    description: 'Returns the message it was given.',
    inputSchema: {
      type: 'object',
      properties: { message: { type: 'string', description: 'The text to send back' } },
      required: ['message'],
    },
  },
];
const corpusTools = values.corpus
  ? JSON.parse(readFileSync(values.corpus, 'utf8')).servers.flatMap((server) => server.tools)
  : [];
for (let index = 1; index < toolCount; index++) {
  const real = corpusTools[(index - 1) % Math.max(1, corpusTools.length)];
  if (real) {
    tools.push({
      name: `${real.name}_${index}`,
      description: real.description ?? `Tool ${real.name} from the reference servers.`,
      inputSchema: real.inputSchema,
      ...(real.annotations ? { annotations: real.annotations } : {}),
      ...(real.outputSchema ? { outputSchema: real.outputSchema } : {}),
    });
    continue;
  }
  tools.push({
    name: `tool_${index}`,
    description: `Synthetic tool number ${index}: looks up records by query, with paging and filters.`,
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'What to look for' },
        limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
        cursor: { type: 'string', description: 'Opaque cursor from a previous page' },
        filters: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: ['open', 'closed', 'all'] },
            labels: { type: 'array', items: { type: 'string' } },
          },
          additionalProperties: false,
        },
      },
      required: ['query'],
    },
    annotations: { readOnlyHint: true },
  });
}

/**
 * Hands `send` the answer to one message: at once, or for a tools/call with `--work-ms`, once the
 * work's timer fires (calls in flight wait side by side, as on a server waiting for an API).
 */
function respond(message, send) {
  const reply = answer(message);
  if (workMs > 0 && message?.method === 'tools/call') setTimeout(() => send(reply), workMs);
  else send(reply);
}

/** The answer to one JSON-RPC message, or `undefined` for notifications and responses. */
function answer(message) {
  if (typeof message !== 'object' || message === null || message.id === undefined || !message.method) {
    return undefined;
  }
  const { id, method, params } = message;
  switch (method) {
    case 'initialize': {
      const requested = params?.protocolVersion;
      return {
        jsonrpc: '2.0',
        id,
        result: {
          protocolVersion: SUPPORTED_VERSIONS.includes(requested) ? requested : SUPPORTED_VERSIONS[0],
          capabilities: { tools: {} },
          serverInfo: { name: 'toolwire-bench-minimal', version: '1.0.0' },
        },
      };
    }
    case 'ping':
      return { jsonrpc: '2.0', id, result: {} };
    case 'tools/list':
      return { jsonrpc: '2.0', id, result: { tools } };
    case 'tools/call': {
      const text = String(params?.arguments?.message ?? params?.arguments?.query ?? '');
      return { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text }] } };
    }
    default:
      return { jsonrpc: '2.0', id, error: { code: -32601, message: `Method not found: ${method}` } };
  }
}

if (mode === 'stdio') {
  let pending = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    pending += chunk;
    let newline = pending.indexOf('\n');
    let out = '';
    let writing = true;
    while (newline !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim() !== '') {
        respond(JSON.parse(line), (response) => {
          if (!response) return;
          // Answered at once: joins this chunk's one write; after the work's timer: written alone.
          if (writing) out += `${JSON.stringify(response)}\n`;
          else process.stdout.write(`${JSON.stringify(response)}\n`);
        });
      }
      newline = pending.indexOf('\n');
    }
    writing = false;
    if (out) process.stdout.write(out);
  });
  process.stdin.on('end', () => process.exit(0));
} else if (mode === 'http') {
  const server = createServer((request, response) => {
    if (request.method === 'DELETE') {
      response.writeHead(200).end();
      return;
    }
    if (request.method !== 'POST') {
      // No standalone event stream: clients treat 405 as "not offered".
      response.writeHead(405, { allow: 'POST, DELETE' }).end();
      return;
    }
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const message = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      respond(message, (reply) => {
        if (!reply) {
          response.writeHead(202).end();
          return;
        }
        const headers = { 'content-type': 'application/json' };
        if (message.method === 'initialize') headers['mcp-session-id'] = randomUUID();
        response.writeHead(200, headers).end(JSON.stringify(reply));
      });
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}/mcp` })}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
} else {
  throw new Error(`unknown mode ${mode}: expected stdio or http`);
}
