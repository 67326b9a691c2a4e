/**
 * The HTTP surface's safety defaults and lifecycle, against a real listener on 127.0.0.1:
 * DNS-rebinding checks, body limit, health, CORS, refusing non-loopback binds without an
 * allow-list, idle session TTL, stateless mode, the fetch handler on its own, and graceful
 * shutdown that lets a running call finish.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ToolwireError } from '@toolwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { waitFor } from '../../core/test/support/index.js';
import { createPublisher, defineTool, type Publisher, type PublisherOptions } from '../src/index.js';
import { callRequest, openSession, rawHeaders } from './support/raw-mcp.js';

const open: Publisher[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((publisher) => publisher.close({ drainMs: 100 })));
});

const echo = defineTool({
  name: 'echo',
  description: 'Echoes text.',
  inputSchema: z.object({ text: z.string() }),
  execute: ({ text }) => text,
});

function make(overrides: Partial<PublisherOptions> = {}): Publisher {
  const publisher = createPublisher({
    name: 'sec',
    version: '1.0.0',
    tools: [echo],
    onError: () => {},
    ...overrides,
  });
  open.push(publisher);
  return publisher;
}

const initializeBody = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
});
const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

async function connect(url: string): Promise<Client> {
  const client = new Client({ name: 't', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

describe('secure defaults', () => {
  it('binds 127.0.0.1 and rejects a foreign Host or Origin with 403 (DNS rebinding)', async () => {
    const { url, host } = await make().listen();
    expect(host).toBe('127.0.0.1');
    const { request } = await import('node:http');
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request(url, { method: 'POST', headers: { ...mcpHeaders, ...headers } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(initializeBody);
      });
    expect(await status({ host: 'evil.example.com' })).toBe(403);
    expect(await status({ origin: 'http://evil.example.com' })).toBe(403);
    expect(await status({ origin: 'http://localhost:3000' })).toBe(200);
  });

  it('refuses to listen on another interface without an allow-list', async () => {
    const publisher = make();
    const attempt = publisher.listen({ host: '0.0.0.0' });
    await expect(attempt).rejects.toSatisfy(
      (error: unknown) => ToolwireError.isInstance(error) && error.code === 'CONFIG_INVALID',
    );
    await expect(attempt).rejects.toThrow(/allowedHosts/);
  });

  it('refuses bodies over the limit with 413', async () => {
    const { url } = await make({ http: { maxBodyBytes: 2_000 } }).listen();
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(5_000) } });
    const response = await fetch(url, { method: 'POST', headers: mcpHeaders, body: big });
    expect(response.status).toBe(413);
  });

  it('answers /health without auth or session', async () => {
    const { url } = await make().listen();
    const response = await fetch(new URL('/health', url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('sends CORS headers only for configured origins', async () => {
    const publisher = make({
      http: { cors: { origins: ['http://localhost:5173'] } },
    });
    const allowed = await publisher.fetch(
      new Request('http://127.0.0.1/mcp', {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:5173', host: '127.0.0.1' },
      }),
    );
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('mcp-session-id');
    const other = await publisher.fetch(
      new Request('http://127.0.0.1/mcp', {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:9999' },
      }),
    );
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a call answered fast keeps its CORS headers and its body, over listen() and fetch()', async () => {
    const origin = 'http://localhost:5173';
    const publisher = make({ http: { cors: { origins: [origin] } } });
    const { url } = await publisher.listen();
    const viaListen = (body: unknown, sessionId: string) =>
      fetch(url, {
        method: 'POST',
        headers: { ...rawHeaders({ sessionId }), origin },
        body: JSON.stringify(body),
      });
    const viaFetch = (body: unknown, sessionId: string) =>
      publisher.fetch(
        new Request('http://127.0.0.1/mcp', {
          method: 'POST',
          headers: { ...rawHeaders({ sessionId }), origin, host: '127.0.0.1' },
          body: JSON.stringify(body),
        }),
      );
    for (const send of [viaListen, viaFetch]) {
      const sessionId = await openSession(url);
      const call = await send(callRequest(2, 'echo', { text: 'hi' }), sessionId);
      expect(call.status).toBe(200);
      expect(call.headers.get('content-type')).toBe('application/json');
      expect(call.headers.get('access-control-allow-origin')).toBe(origin);
      expect(await call.json()).toEqual({
        jsonrpc: '2.0',
        id: 2,
        result: { content: [{ type: 'text', text: 'hi' }] },
      });
    }
  });
});

describe('start-up', () => {
  it('ready() lists the published tools with their JSON Schema', async () => {
    const tools = await make().ready();
    expect(tools).toEqual([
      {
        name: 'echo',
        sourceName: 'echo',
        origin: 'native',
        description: 'Echoes text.',
        inputSchema: expect.objectContaining({ type: 'object', required: ['text'] }),
        outputSchema: undefined,
        scopes: [],
        enabled: true,
      },
    ]);
  });

  it('a tool that cannot be published fails listen() with CONFIG_INVALID naming it', async () => {
    const broken = defineTool({ name: 'broken', inputSchema: z.string(), execute: () => 'x' });
    const attempt = make({ tools: [echo, broken] }).listen();
    await expect(attempt).rejects.toSatisfy(
      (error: unknown) =>
        ToolwireError.isInstance(error) && error.code === 'CONFIG_INVALID' && error.tool === 'broken',
    );
  });
});

describe('sessions and modes', () => {
  it('closes sessions idle longer than the TTL', async () => {
    const { url } = await make({ http: { sessionTtlMs: 1_000, healthDetails: true } }).listen();
    const client = await connect(url);
    const health = async () => (await (await fetch(new URL('/health', url))).json()) as { sessions: number };
    expect((await health()).sessions).toBe(1);
    // The sweep (every second at this TTL) closes it: waited for, not slept through.
    await waitFor(async () => (await health()).sessions === 0, {
      timeoutMs: 20_000,
      intervalMs: 100,
      message: 'the idle session to be closed',
    });
    await expect(client.callTool({ name: 'echo', arguments: { text: 'late' } })).rejects.toThrow();
    await client.close().catch(() => {});
  });

  it('stateless mode serves each request without a session id', async () => {
    const { url } = await make({ http: { stateless: true } }).listen();
    const response = await fetch(url, { method: 'POST', headers: mcpHeaders, body: initializeBody });
    expect(response.status).toBe(200);
    expect(response.headers.get('mcp-session-id')).toBeNull();
    const call = await fetch(url, {
      method: 'POST',
      headers: { ...mcpHeaders, 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'echo', arguments: { text: 'hi' } },
      }),
    });
    expect(await call.text()).toContain('"text":"hi"');
  });

  it('works as a bare fetch handler (web-standard Request/Response)', async () => {
    const publisher = make({ http: { stateless: true } });
    const response = await publisher.fetch(
      new Request('http://localhost/mcp', { method: 'POST', headers: mcpHeaders, body: initializeBody }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('"name":"sec"');
    const notFound = await publisher.fetch(new Request('http://localhost/elsewhere'));
    expect(notFound.status).toBe(404);
  });
});

describe('graceful shutdown', () => {
  it('lets a running call finish, then refuses new work', async () => {
    let release: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = defineTool({
      name: 'slow',
      description: 'Takes a moment.',
      async execute() {
        release();
        await new Promise((resolve) => setTimeout(resolve, 500));
        return 'finished';
      },
    });
    const publisher = make({ tools: [slow] });
    const { url } = await publisher.listen();
    const client = await connect(url);
    const call = client.callTool({ name: 'slow', arguments: {} });
    await started;
    const closing = publisher.close({ drainMs: 5_000 });
    const result = await call;
    expect(result.content).toEqual([{ type: 'text', text: 'finished' }]);
    await closing;
    await expect(fetch(url)).rejects.toThrow();
  });

  it('aborts calls still running when the drain time is over', async () => {
    let aborted = false;
    let release: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      release = resolve;
    });
    const stuck = defineTool({
      name: 'stuck',
      description: 'Waits for its signal.',
      execute: (_args, context) =>
        new Promise((resolve) => {
          release();
          context.signal.addEventListener('abort', () => {
            aborted = true;
            resolve('aborted');
          });
        }),
    });
    const publisher = make({ tools: [stuck] });
    const client = await connect((await publisher.listen()).url);
    void client.callTool({ name: 'stuck', arguments: {} }).catch(() => {});
    await started;
    await publisher.close({ drainMs: 200 });
    expect(aborted).toBe(true);
  });
});
