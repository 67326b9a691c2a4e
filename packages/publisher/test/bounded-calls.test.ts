/**
 * Tool calls stay bounded in time and memory, against a real listener on 127.0.0.1:
 * - a call past its deadline (`callTimeoutMs`, a tool's own `timeoutMs`) is answered at once with
 *   an `isError` result and its signal aborts, on both eras (official SDK v2 client);
 * - a disconnect cancels the call where the protocol era says it does (2026-07-28: closing the
 *   response stream is cancellation; stateless 2025: there is no other way to cancel), and does
 *   not on a 2025 session, whose stream the client can resume (raw `fetch`);
 * - a client that stops reading its SSE stream slows the tool streaming progress to it instead of
 *   growing the server's memory, and the tool goes on once the client reads again (a raw socket
 *   that does not read).
 */
import { connect as connectSocket, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ToolwireError } from '@toolwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPublisher, defineTool, type Publisher, type PublisherOptions } from '../src/index.js';

const open: Publisher[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(open.splice(0).map((publisher) => publisher.close({ drainMs: 100 })));
});

function make(overrides: Partial<PublisherOptions>): Publisher {
  const publisher = createPublisher({
    name: 'bounded',
    version: '1.0.0',
    tools: [],
    onError: () => {},
    ...overrides,
  });
  open.push(publisher);
  return publisher;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function connectClient(url: string, era: 'legacy' | '2026-07-28'): Promise<Client> {
  const client = new Client(
    { name: 'bounded', version: '1.0.0' },
    { versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: '2026-07-28' } } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

const modernMeta = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** Headers and body of a raw tools/call on either era (`sessionId` for a 2025 session). */
function rawCall(
  era: 'legacy' | 'modern',
  name: string,
  args: Record<string, unknown>,
  sessionId?: string,
): { headers: Record<string, string>; body: string } {
  const common = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  if (era === 'modern') {
    return {
      headers: {
        ...common,
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': name,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name, arguments: args, _meta: { ...modernMeta, progressToken: 'p1' } },
      }),
    };
  }
  return {
    headers: {
      ...common,
      'mcp-protocol-version': '2025-11-25',
      ...(sessionId ? { 'mcp-session-id': sessionId } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name, arguments: args, _meta: { progressToken: 'p1' } },
    }),
  };
}

/** Opens a 2025-11-25 session with raw requests; returns its id. */
async function openSession(url: string): Promise<string> {
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const opened = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    }),
  });
  await opened.text();
  const sessionId = opened.headers.get('mcp-session-id') as string;
  const initialized = await fetch(url, {
    method: 'POST',
    headers: { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  await initialized.text();
  return sessionId;
}

describe('deadlines', () => {
  for (const era of ['legacy', '2026-07-28'] as const) {
    it(`on the ${era} era: a call past callTimeoutMs is answered at once and its signal aborts`, async () => {
      const reasons: unknown[] = [];
      const reported: Error[] = [];
      const publisher = make({
        callTimeoutMs: 300,
        onError: (error) => reported.push(error),
        tools: [
          defineTool({
            name: 'stubborn',
            description: 'Never finishes and ignores its signal.',
            execute: (_args, context) => {
              context.signal.addEventListener('abort', () => reasons.push(context.signal.reason));
              return new Promise(() => {});
            },
          }),
          defineTool({
            name: 'own_deadline',
            description: 'Has a shorter deadline of its own.',
            timeoutMs: 100,
            execute: () => new Promise(() => {}),
          }),
          defineTool({ name: 'quick', description: 'Answers at once.', execute: () => 'quick' }),
        ],
      });
      const client = await connectClient((await publisher.listen()).url, era);
      // The tool ignores its abort signal: only the publisher's own 300 ms bound can answer this
      // call (the client would otherwise give up after 20 s with an error, not a result).
      const result = await client.callTool({ name: 'stubborn', arguments: {} }, { timeout: 20_000 });
      expect(result.isError).toBe(true);
      expect(result.content).toEqual([
        { type: 'text', text: 'Tool "stubborn" did not finish within 300 ms and was stopped.' },
      ]);
      expect(reasons).toHaveLength(1);
      expect(ToolwireError.isInstance(reasons[0]) && reasons[0].code).toBe('TIMEOUT');
      expect(reported.some((error) => ToolwireError.isInstance(error) && error.code === 'TIMEOUT')).toBe(
        true,
      );

      const own = await client.callTool({ name: 'own_deadline', arguments: {} }, { timeout: 20_000 });
      expect(own.content).toEqual([
        { type: 'text', text: 'Tool "own_deadline" did not finish within 100 ms and was stopped.' },
      ]);
      expect((await client.callTool({ name: 'quick', arguments: {} })).content).toEqual([
        { type: 'text', text: 'quick' },
      ]);
      await client.close();
    });
  }

  it('refuses a deadline that is not a positive number of milliseconds', () => {
    expect(() => make({ callTimeoutMs: 0 })).toThrow(/callTimeoutMs must be a positive number/);
    const broken = defineTool({ name: 'broken', timeoutMs: -5, execute: () => 'x' });
    return expect(make({ tools: [broken] }).ready()).rejects.toThrow(/timeoutMs -5/);
  });
});

describe('disconnects', () => {
  function waitingTool(events: string[]) {
    return defineTool({
      name: 'wait',
      description: 'Runs until aborted, or answers after a second.',
      execute: (_args, context) =>
        new Promise((resolve) => {
          events.push('started');
          const timer = setTimeout(() => resolve('finished'), 1_000);
          context.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            events.push('aborted');
            resolve('aborted');
          });
        }),
    });
  }

  for (const { label, era, stateless } of [
    { label: '2026-07-28', era: 'modern', stateless: false },
    { label: 'stateless 2025', era: 'legacy', stateless: true },
  ] as const) {
    it(`${label}: closing the response stream cancels the call`, async () => {
      const events: string[] = [];
      const publisher = make({ tools: [waitingTool(events)], http: { stateless } });
      const { url } = await publisher.listen();
      const controller = new AbortController();
      const { headers, body } = rawCall(era, 'wait', {});
      const response = fetch(url, { method: 'POST', headers, body, signal: controller.signal }).catch(
        () => undefined,
      );
      await expect.poll(() => events, { timeout: 10_000 }).toEqual(['started']);
      controller.abort();
      await response;
      await expect.poll(() => events, { timeout: 5_000 }).toEqual(['started', 'aborted']);
    });
  }

  it('2025 session: a disconnect is not a cancellation; the client resumes the stream at once and gets the result', async () => {
    const events: string[] = [];
    let release: (value: string) => void = () => {};
    const gated = defineTool({
      name: 'gated',
      description: 'Answers when the test lets it.',
      execute: (_args, context) =>
        new Promise((resolve) => {
          events.push('started');
          release = resolve;
          context.signal.addEventListener('abort', () => events.push('aborted'));
        }),
    });
    const publisher = make({ tools: [gated] });
    const { url } = await publisher.listen();
    const sessionId = await openSession(url);
    const controller = new AbortController();
    const { headers, body } = rawCall('legacy', 'gated', {}, sessionId);
    const response = await fetch(url, { method: 'POST', headers, body, signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const priming = new TextDecoder().decode((await reader.read()).value);
    const lastEventId = /^id: (.+)$/m.exec(priming)?.[1];
    expect(lastEventId).toBeDefined();
    await expect.poll(() => events, { timeout: 10_000 }).toEqual(['started']);
    controller.abort();
    // The tool writes nothing meanwhile: the server must notice the closed connection by itself
    // (it learns of it asynchronously; until then the stream still counts as connected: 409). An
    // accepted resumption answers its headers with the first event, so it shows as still pending.
    let resumed: Response | undefined;
    for (let attempt = 0; attempt < 50 && resumed === undefined; attempt++) {
      const pending = fetch(url, {
        headers: {
          accept: 'text/event-stream',
          'mcp-session-id': sessionId,
          'mcp-protocol-version': '2025-11-25',
          'last-event-id': lastEventId as string,
        },
      });
      const early = await Promise.race([pending, sleep(1_500).then(() => undefined)]);
      if (early?.status === 409) {
        await early.text();
        await sleep(100);
        continue;
      }
      release('finished');
      resumed = await pending;
    }
    expect(resumed?.status).toBe(200);
    // Read the resumed stream until the result arrives (a client stops reading there).
    const resumedReader = ((resumed as Response).body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!text.includes('"text":"finished"')) {
      const { value, done } = await resumedReader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await resumedReader.cancel();
    expect(text).toContain('"text":"finished"');
    expect(events).toEqual(['started']);
  });
});

describe('backpressure: a client that stops reading its SSE stream', () => {
  const count = 4_000;
  const size = 16_000; // 64 MB of progress messages in all

  function floodTool(progress: { sent: number; aborted: boolean }) {
    return defineTool({
      name: 'flood',
      description: 'Streams large progress messages.',
      inputSchema: z.object({}),
      async execute(_args, context) {
        const message = 'x'.repeat(size);
        for (let step = 1; step <= count && !context.signal.aborted; step++) {
          await context.reportProgress({ progress: step, total: count, message });
          progress.sent = step;
        }
        progress.aborted = context.signal.aborted;
        return `sent ${progress.sent}`;
      },
    });
  }

  /** Sends a raw HTTP/1.1 request and reads nothing until `resume()`. */
  function stalledRequest(url: string, headers: Record<string, string>, body: string): Socket {
    const target = new URL(url);
    const socket = connectSocket(Number(target.port), target.hostname);
    sockets.push(socket);
    const lines = [
      `POST ${target.pathname} HTTP/1.1`,
      `Host: ${target.host}`,
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ];
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
    return socket;
  }

  // A full collection before each reading, so the numbers are live memory, not garbage.
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;

  function memory(): number {
    collect();
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.arrayBuffers;
  }

  /** Waits until `progress.sent` has stopped moving for a second (at most 15 s). */
  async function settled(progress: { sent: number }): Promise<number> {
    let last = -1;
    const deadline = Date.now() + 15_000;
    while (progress.sent !== last && Date.now() < deadline) {
      last = progress.sent;
      await sleep(1_000);
    }
    return progress.sent;
  }

  for (const era of ['legacy', 'modern'] as const) {
    it(`on the ${era === 'legacy' ? '2025 session' : '2026-07-28'} era: the tool is slowed, memory stays bounded, and it goes on once the client reads`, async () => {
      const progress = { sent: 0, aborted: false };
      const publisher = make({ tools: [floodTool(progress)] });
      const { url } = await publisher.listen();
      const sessionId = era === 'legacy' ? await openSession(url) : undefined;
      const before = memory();
      const { headers, body } = rawCall(era, 'flood', {}, sessionId);
      const socket = stalledRequest(url, headers, body);
      await expect.poll(() => progress.sent, { timeout: 10_000 }).toBeGreaterThan(0);
      const stalledAt = await settled(progress);
      const grown = memory() - before;
      // Unbounded, all 4,000 messages (64 MB) are produced at once and held in memory.
      expect(stalledAt).toBeLessThan(count / 4);
      expect(grown).toBeLessThan(16 * 1024 * 1024);

      // Reading again releases the tool, which finishes and answers on the same stream.
      let received = '';
      socket.on('data', (chunk: Buffer) => {
        received = (received + chunk.toString('latin1')).slice(-2_000);
      });
      await expect.poll(() => received.includes(`sent ${count}`), { timeout: 30_000 }).toBe(true);
      expect(progress).toEqual({ sent: count, aborted: false });
    });
  }
});
