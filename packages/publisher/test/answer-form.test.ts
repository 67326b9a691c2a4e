/**
 * The form of a POST's answer (Streamable HTTP lets the server choose per POST): one
 * `application/json` body when the answer is complete before anything else is said for the
 * request, an SSE stream (priming event first: resumable) as soon as a progress or log message
 * needs one, or once the short hold is over. Both protocol eras, batches, the web `fetch` entry,
 * and the official SDK clients on either form.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_HOLD_MS } from '../src/http/adaptive-answer.js';
import { createPublisher, defineTool, type ListeningPublisher, type Publisher } from '../src/index.js';
import { modernRequest } from './support/modern-mcp.js';
import {
  callRequest,
  initializeRequest,
  openSession,
  parseSSE,
  post,
  rawHeaders,
} from './support/raw-mcp.js';
import { addTool } from './support/sample-tools.js';

let publisher: Publisher;
let listening: ListeningPublisher;

beforeAll(async () => {
  publisher = createPublisher({
    name: 'answer-form',
    version: '1.0.0',
    tools: [
      addTool,
      defineTool({
        name: 'steps',
        description: 'Reports progress twice, then answers.',
        async execute(_args, context) {
          await context.reportProgress({ progress: 1, total: 2 });
          await context.reportProgress({ progress: 2, total: 2 });
          return 'stepped';
        },
      }),
      defineTool({
        name: 'slow',
        description: 'Answers after the publisher stopped holding its answer back.',
        async execute() {
          await new Promise((resolve) => setTimeout(resolve, ANSWER_HOLD_MS * 4));
          return 'late';
        },
      }),
    ],
    onError: () => {},
  });
  listening = await publisher.listen();
});
afterAll(() => publisher.close({ drainMs: 100 }));

const withProgress = (id: number, name: string) => {
  const request = callRequest(id, name);
  return { ...request, params: { ...request.params, _meta: { progressToken: `p${id}` } } };
};

describe('a 2025-era session', () => {
  it('answers initialize and a quick call with one JSON body (with the session id)', async () => {
    const initialize = await post(listening.url, initializeRequest());
    expect(initialize.headers.get('content-type')).toBe('application/json');
    const sessionId = initialize.headers.get('mcp-session-id');
    expect(sessionId).toBeTruthy();
    expect(((await initialize.json()) as { result?: { serverInfo?: unknown } }).result?.serverInfo).toEqual(
      expect.objectContaining({ name: 'answer-form' }),
    );

    const call = await post(listening.url, callRequest(2, 'add', { a: 2, b: 3 }), {
      sessionId: await openSession(listening.url),
    });
    expect(call.status).toBe(200);
    expect(call.headers.get('content-type')).toBe('application/json');
    expect(call.headers.get('cache-control')).toBeNull();
    // Its length known, the answer is not sent in chunks.
    const text = await call.text();
    expect(call.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(call.headers.get('transfer-encoding')).toBeNull();
    expect(JSON.parse(text)).toEqual({
      jsonrpc: '2.0',
      id: 2,
      result: { content: [{ type: 'text', text: '5' }] },
    });
  });

  it('streams a call that reports progress: priming event, progress, result', async () => {
    const sessionId = await openSession(listening.url);
    const call = await post(listening.url, withProgress(3, 'steps'), { sessionId });
    expect(call.headers.get('content-type')).toBe('text/event-stream');
    const events = parseSSE(await call.text());
    expect(events[0]?.data).toBe('');
    expect(events[0]?.id).toBeTruthy();
    const messages = events.slice(1).map((event) => JSON.parse(event.data) as Record<string, unknown>);
    expect(messages.map((message) => message.method ?? 'result')).toEqual([
      'notifications/progress',
      'notifications/progress',
      'result',
    ]);
    expect(messages.at(-1)).toMatchObject({ id: 3, result: { content: [{ text: 'stepped' }] } });
  });

  it('streams an answer that is not ready within the hold, priming event first', async () => {
    const sessionId = await openSession(listening.url);
    const call = await post(listening.url, callRequest(4, 'slow'), { sessionId });
    expect(call.headers.get('content-type')).toBe('text/event-stream');
    const events = parseSSE(await call.text());
    expect(events[0]?.data).toBe('');
    expect(events[0]?.id).toBeTruthy();
    expect(JSON.parse(events.at(-1)?.data ?? '{}')).toMatchObject({
      id: 4,
      result: { content: [{ text: 'late' }] },
    });
  });

  it('answers a 2025-03-26 batch of quick requests with one JSON array', async () => {
    const initialize = await post(listening.url, {
      ...initializeRequest(),
      params: { ...initializeRequest().params, protocolVersion: '2025-03-26' },
    });
    const sessionId = initialize.headers.get('mcp-session-id') as string;
    await initialize.text();
    const headers = { ...rawHeaders({ sessionId }), 'mcp-protocol-version': '2025-03-26' };
    await (
      await fetch(listening.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      })
    ).text();
    const batch = await fetch(listening.url, {
      method: 'POST',
      headers,
      body: JSON.stringify([callRequest(5, 'add', { a: 1, b: 1 })]),
    });
    expect(batch.headers.get('content-type')).toBe('application/json');
    expect(await batch.json()).toEqual([
      { jsonrpc: '2.0', id: 5, result: { content: [{ type: 'text', text: '2' }] } },
    ]);
  });

  it('the official SDK client calls on either form', async () => {
    const client = new Client({ name: 'answer-form', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(listening.url)));
    const progress: number[] = [];
    const [quick, stepped, late] = await Promise.all([
      client.callTool({ name: 'add', arguments: { a: 20, b: 22 } }),
      client.callTool(
        { name: 'steps', arguments: {} },
        { onprogress: ({ progress: at }) => progress.push(at) },
      ),
      client.callTool({ name: 'slow', arguments: {} }),
    ]);
    expect(quick.content).toEqual([{ type: 'text', text: '42' }]);
    expect(stepped.content).toEqual([{ type: 'text', text: 'stepped' }]);
    expect(progress).toEqual([1, 2]);
    expect(late.content).toEqual([{ type: 'text', text: 'late' }]);
    await client.close();
  });
});

describe('2026-07-28 and the web entry', () => {
  it('answers a quick 2026-07-28 call with one JSON body', async () => {
    const answer = await modernRequest(listening.url, 'tools/call', {
      name: 'add',
      arguments: { a: 4, b: 5 },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.result?.content).toEqual([{ type: 'text', text: '9' }]);
    const raw = await fetch(listening.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'add',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 9,
        method: 'tools/call',
        params: {
          name: 'add',
          arguments: { a: 1, b: 2 },
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        },
      }),
    });
    expect(raw.headers.get('content-type')).toBe('application/json');
    expect(((await raw.json()) as { result?: { content?: unknown } }).result?.content).toEqual([
      { type: 'text', text: '3' },
    ]);
  });

  it('publisher.fetch gives the same JSON answer, and a drain does not wait for it', async () => {
    const own = createPublisher({
      name: 'answer-form-fetch',
      version: '1.0.0',
      tools: [defineTool({ name: 'ping', description: 'Pong.', execute: () => 'pong' })],
      onError: () => {},
    });
    const request = (body: unknown, sessionId?: string) =>
      own.fetch(
        new Request('http://localhost/mcp', {
          method: 'POST',
          headers: rawHeaders({ sessionId }),
          body: JSON.stringify(body),
        }),
      );
    const initialize = await request(initializeRequest());
    const sessionId = initialize.headers.get('mcp-session-id') as string;
    expect(initialize.headers.get('content-type')).toBe('application/json');
    await initialize.text();
    await (await request({ jsonrpc: '2.0', method: 'notifications/initialized' }, sessionId)).text();
    const call = await request(callRequest(2, 'ping'), sessionId);
    expect(call.headers.get('content-type')).toBe('application/json');
    expect(((await call.json()) as { result?: { content?: unknown } }).result?.content).toEqual([
      { type: 'text', text: 'pong' },
    ]);
    // Every exchange is over: closing with an hour's drain returns (a pending one would hold it).
    await own.close({ drainMs: 3_600_000 });
  });
});
