/**
 * The gateway over stdio: a child Node process (the built package, `dist`, which `pnpm test` builds
 * before the tests; from the TypeScript sources the child cost 2.5 s of CPU to start) serves
 * server-everything and the stdio fixture as one MCP server on its stdin/stdout; the official
 * SDK v2 client spawns it, lists and calls through it with progress, and closing stdin ends it.
 * The client's transport records every message it reads from the child's stdout, in the order
 * read, to check that progress is written before each call's result. One child serves the whole
 * file (it is started once: a gateway child and its two upstream children are the file's cost).
 */

import type { ChildProcess } from 'node:child_process';
import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { everythingStdio, fixtureStdio } from '../../core/test/support/index.js';

const childScript = `
const { createGateway } = await import(process.env.GATEWAY_INDEX);
const gateway = await createGateway({
  upstreams: {
    servers: JSON.parse(process.env.UPSTREAMS),
    cache: 'memory',
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  },
  publisher: { onError: () => {} },
});
await gateway.serveStdio();
process.stdin.once('end', () => gateway.close().then(() => process.exit(0)));
`;

/** The command line and environment that run the gateway child. */
function gatewayChild(): { command: string; args: string[]; env: Record<string, string> } {
  return {
    command: process.execPath,
    args: ['--input-type=module', '-e', childScript],
    env: {
      ...(process.env as Record<string, string>),
      GATEWAY_INDEX: new URL('../dist/index.js', import.meta.url).href,
      UPSTREAMS: JSON.stringify({
        everything: everythingStdio(),
        fixture: fixtureStdio({ name: 'fixture' }),
      }),
    },
  };
}

const gatewayCwd = new URL('..', import.meta.url).pathname;

/** What crossed the child's stdio, in order: requests sent, progress and responses read. */
type WireEntry =
  | { kind: 'request'; id: number | string; progressToken: unknown }
  | { kind: 'progress'; progressToken: unknown; progress: unknown }
  | { kind: 'response'; id: number | string };

const wire: WireEntry[] = [];
let transport: StdioClientTransport;
let client: Client;
let stderr = '';
let exited: Promise<ChildProcess>;
let child: ChildProcess;

beforeAll(async () => {
  transport = new StdioClientTransport({ ...gatewayChild(), cwd: gatewayCwd, stderr: 'pipe' });
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  client = new Client({ name: 'stdio-gateway-test', version: '1.0.0' });
  try {
    await client.connect(transport);
  } catch (error) {
    throw new Error(`the stdio gateway did not start: ${String(error)}\n${stderr}`);
  }
  // Recorded from here on, beside the client's own handling: the transport hands over stdout's
  // messages one line at a time, in the order the child wrote them.
  const read = transport.onmessage;
  transport.onmessage = (message: JSONRPCMessage, ...rest) => {
    const entry = message as { id?: number | string; method?: string; params?: Record<string, unknown> };
    if (entry.method === 'notifications/progress') {
      wire.push({
        kind: 'progress',
        progressToken: entry.params?.progressToken,
        progress: entry.params?.progress,
      });
    } else if (entry.id !== undefined && entry.method === undefined) {
      wire.push({ kind: 'response', id: entry.id });
    }
    read?.call(transport, message, ...rest);
  };
  const send = transport.send.bind(transport);
  transport.send = (message: JSONRPCMessage) => {
    const entry = message as {
      id?: number | string;
      method?: string;
      params?: { _meta?: Record<string, unknown> };
    };
    if (entry.method !== undefined && entry.id !== undefined) {
      wire.push({ kind: 'request', id: entry.id, progressToken: entry.params?._meta?.progressToken });
    }
    return send(message);
  };
  // The transport keeps its child private; its exit code tells a stdin-driven exit (0, from the
  // child's own `process.exit(0)`) from the transport's SIGTERM two seconds after closing stdin.
  const found = (transport as unknown as { _process?: ChildProcess })._process;
  if (!found) throw new Error('the stdio transport has no child process');
  child = found;
  exited = new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child);
    else child.once('exit', () => resolve(child));
  });
});

afterAll(async () => {
  await client?.close();
});

it('serves the upstreams over stdio, forwarding progress', async () => {
  const names = (await client.listTools()).tools.map((tool) => tool.name);
  expect(names).toEqual(expect.arrayContaining(['everything__echo', 'fixture__sleep']));
  const progress: number[] = [];
  const slept = await client.callTool(
    { name: 'fixture__sleep', arguments: { ms: 30, steps: 3 } },
    { onprogress: (update) => progress.push(update.progress) },
  );
  expect(slept.content).toEqual([{ type: 'text', text: 'slept 30 ms' }]);
  // The SDK client (v1 and v2 alike) dispatches a notification a microtask after reading it but
  // a response at once, and forgets the call's progress handler with the response: progress read
  // in the same stdout chunk as the result is dropped on the client's side (a loaded machine
  // coalesces the writes). What the gateway owes, every progress before the result on the wire,
  // is checked message by message in the next test; here the client sees an in-order prefix of it
  // (modelcontextprotocol/typescript-sdk#2580).
  expect(progress).toEqual([1, 2, 3].slice(0, progress.length));
  const echo = await client.callTool({ name: 'everything__echo', arguments: { message: 'over stdio' } });
  expect(JSON.stringify(echo.content)).toContain('over stdio');
});

// The wire itself, as read from stdout: every progress notification the upstream sent before its
// result is written before the gateway's response, call after call.
it("writes each call's progress notifications before its response on stdout", async () => {
  const calls = 20;
  const first = wire.length;
  for (let call = 1; call <= calls; call++) {
    await client.callTool(
      { name: 'fixture__sleep', arguments: { ms: 0, steps: 3 } },
      { onprogress: () => {} },
    );
  }
  const requests = wire
    .slice(first)
    .filter((entry): entry is Extract<WireEntry, { kind: 'request' }> => entry.kind === 'request');
  expect(requests).toHaveLength(calls);
  for (const [index, request] of requests.entries()) {
    expect(request.progressToken, `call ${index + 1} asks for progress`).toBeDefined();
    const answered = wire.findIndex((entry) => entry.kind === 'response' && entry.id === request.id);
    expect(answered, `call ${index + 1} answered`).toBeGreaterThan(-1);
    const seen = wire
      .slice(0, answered)
      .filter((entry) => entry.kind === 'progress' && entry.progressToken === request.progressToken)
      .map((entry) => (entry as { progress: unknown }).progress);
    expect(seen, `call ${index + 1}`).toEqual([1, 2, 3]);
  }
}, 60_000);

// Closing stdin ends the child (the gateway closes on stdin's end and exits). Stdin is ended here,
// not by `client.close()`, whose SIGTERM two seconds later would race a gateway that a busy
// machine lets close its upstreams more slowly.
it('exits when its stdin closes', async () => {
  child.stdin?.end();
  const ended = await exited;
  expect({ exitCode: ended.exitCode, signal: ended.signalCode }, stderr).toEqual({
    exitCode: 0,
    signal: null,
  });
});
