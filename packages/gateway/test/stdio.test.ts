/**
 * The gateway over stdio: a child Node process (our TypeScript sources, types stripped) serves
 * server-everything and the stdio fixture as one MCP server on its stdin/stdout; the official
 * SDK v2 client spawns it, lists and calls through it with progress, and closing stdin ends it.
 * A raw reader of the child's stdout checks that progress is written before each call's result.
 */

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { expect, it } from 'vitest';
import { everythingStdio, fixtureStdio, sourceLoaderPreload } from '../../core/test/support/index.js';

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
    args: [
      '--conditions=@toolwire/source',
      // The publisher's sources use parameter properties, which type stripping alone refuses.
      '--experimental-transform-types',
      '--no-warnings',
      '--import',
      sourceLoaderPreload,
      '--input-type=module',
      '-e',
      childScript,
    ],
    env: {
      ...(process.env as Record<string, string>),
      GATEWAY_INDEX: new URL('../src/index.ts', import.meta.url).href,
      UPSTREAMS: JSON.stringify({
        everything: everythingStdio(),
        fixture: fixtureStdio({ name: 'fixture' }),
      }),
    },
  };
}

const gatewayCwd = new URL('..', import.meta.url).pathname;

it('serves the upstreams over stdio, forwarding progress', async () => {
  const transport = new StdioClientTransport({ ...gatewayChild(), cwd: gatewayCwd, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: 'stdio-gateway-test', version: '1.0.0' });
  try {
    await client.connect(transport);
  } catch (error) {
    throw new Error(`the stdio gateway did not start: ${String(error)}\n${stderr}`);
  }
  try {
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
    // is checked line by line in the next test; here the client sees an in-order prefix of it
    // (modelcontextprotocol/typescript-sdk#2580).
    expect(progress).toEqual([1, 2, 3].slice(0, progress.length));
    const echo = await client.callTool({ name: 'everything__echo', arguments: { message: 'over stdio' } });
    expect(JSON.stringify(echo.content)).toContain('over stdio');
  } finally {
    await client.close();
  }
});

// The wire itself, read line by line: every progress notification the upstream sent before its
// result is written before the gateway's response, call after call.
it("writes each call's progress notifications before its response on stdout", async () => {
  const { command, args, env } = gatewayChild();
  const child = spawn(command, args, { cwd: gatewayCwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const waiting = new Map<number, (message: Record<string, unknown>) => void>();
  const wire: Array<{ id?: number; progressToken?: number | undefined; progress?: number | undefined }> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as {
      id?: number;
      method?: string;
      params?: { progressToken?: number; progress?: number };
    };
    if (message.method === 'notifications/progress') {
      wire.push({ progressToken: message.params?.progressToken, progress: message.params?.progress });
    } else if (message.id !== undefined && message.method === undefined) {
      wire.push({ id: message.id });
      waiting.get(message.id)?.(message);
    }
  });
  const send = (message: Record<string, unknown>) => child.stdin.write(`${JSON.stringify(message)}\n`);
  const request = (id: number, method: string, params: Record<string, unknown>) =>
    new Promise<Record<string, unknown>>((resolve) => {
      waiting.set(id, resolve);
      send({ jsonrpc: '2.0', id, method, params });
    });
  try {
    const initialized = await request(0, 'initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'stdio-wire-test', version: '1.0.0' },
    });
    expect(initialized, stderr).toHaveProperty('result');
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const calls = 20;
    for (let id = 1; id <= calls; id++) {
      await request(id, 'tools/call', {
        name: 'fixture__sleep',
        arguments: { ms: 0, steps: 3 },
        _meta: { progressToken: id },
      });
    }
    for (let id = 1; id <= calls; id++) {
      const seen = wire
        .slice(
          0,
          wire.findIndex((entry) => entry.id === id),
        )
        .filter((entry) => entry.progressToken === id)
        .map((entry) => entry.progress);
      expect(seen, `call ${id}`).toEqual([1, 2, 3]);
    }
  } finally {
    child.stdin.end();
    await new Promise((resolve) => child.once('exit', resolve));
  }
}, 60_000);
