/**
 * Each HTTP request runs with an abort signal of its own (`transports/request-signals.ts`): the
 * transport-wide signal the SDK passes to every POST holds one listener of ours for all requests (it
 * used to collect one per call until garbage collection: `MaxListenersExceededWarning` after
 * ~1,500 calls), and aborting it still aborts a body being read.
 */
import { getEventListeners } from 'node:events';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpServerDefinition } from '../src/config/server-config.js';
import { silentLogger } from '../src/index.js';
import { createStreamableHTTPTransport } from '../src/transports/http-transport.js';
import { ownRequestSignals } from '../src/transports/request-signals.js';
import { type HttpFaultServer, startHttpFaultServer, temporaryDirectory } from './support/fault-servers.js';
import { type LoopbackHttpServer, startLoopbackHttp } from './support/loopback-http.js';

const directory = temporaryDirectory('http-request-signals');
let fault: HttpFaultServer;
let loopback: LoopbackHttpServer;

beforeAll(async () => {
  fault = await startHttpFaultServer('s', join(directory.path, 'events.jsonl'));
  loopback = await startLoopbackHttp((request, response) => {
    if (request.path === '/json') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      return;
    }
    // An event stream that sends one event and stays open.
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write('data: {"first":true}\n\n');
  });
});
afterAll(async () => {
  await Promise.all([fault?.stop(), loopback?.close()]);
  directory.cleanup();
});

const abortListeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

describe('one abort signal per HTTP request', () => {
  it('leaves no listener on the transport-wide signal after many calls', async () => {
    const definition = {
      name: 's',
      transport: 'streamable-http',
      url: fault.url,
      headers: undefined,
      auth: undefined,
      maxMessageBytes: 4 * 1024 * 1024,
    } as unknown as HttpServerDefinition;
    const transport = createStreamableHTTPTransport(definition, {
      logger: silentLogger,
      sessionKey: undefined,
    });
    const client = new Client({ name: 'http-request-signals', version: '1.0.0' });
    await client.connect(transport);
    try {
      const shared = (transport as unknown as { _abortController: AbortController })._abortController.signal;
      const before = abortListeners(shared);
      for (let round = 0; round < 10; round++) {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, index) =>
            client.callTool({ name: 'echo', arguments: { message: `m${round}-${index}` } }),
          ),
        );
        expect(results[19]?.content).toEqual([{ type: 'text', text: `s: m${round}-19` }]);
      }
      // What is left are the long-lived requests (the standalone event stream), not one per call:
      // undici's listener stayed until its request was collected.
      expect(abortListeners(shared)).toBeLessThanOrEqual(before + 2);
    } finally {
      await client.close();
    }
  }, 30_000);

  it('holds one listener on the shared signal however many requests are in flight', async () => {
    const shared = new AbortController();
    const fetchOwn = ownRequestSignals((url, init) => fetch(url, init));
    const response = await fetchOwn(`${loopback.origin}/json`, { signal: shared.signal });
    expect(await response.json()).toEqual({ ok: true });
    expect(abortListeners(shared.signal)).toBeLessThanOrEqual(1);
    await expect(fetchOwn('http://127.0.0.1:1/unreachable', { signal: shared.signal })).rejects.toThrow();
    expect(abortListeners(shared.signal)).toBeLessThanOrEqual(1);
    // Sixteen streams open at once: a listener each would make Node warn of a leak (over 10).
    const streams = await Promise.all(
      Array.from({ length: 16 }, () => fetchOwn(`${loopback.origin}/events`, { signal: shared.signal })),
    );
    expect(abortListeners(shared.signal)).toBe(1);
    const readers = streams.map((stream) => (stream.body as ReadableStream<Uint8Array>).getReader());
    for (const reader of readers) await reader.read();
    // That one listener still aborts every request that follows it.
    shared.abort(new Error('transport closed'));
    for (const reader of readers) await expect(reader.read()).rejects.toThrow();
  }, 30_000);

  it('aborts a stream being read when the shared signal aborts, and releases after a cancel', async () => {
    const shared = new AbortController();
    const fetchOwn = ownRequestSignals((url, init) => fetch(url, init));
    const response = await fetchOwn(`${loopback.origin}/events`, { signal: shared.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('first');
    expect(abortListeners(shared.signal)).toBe(1);
    shared.abort(new Error('transport closed'));
    await expect(reader.read()).rejects.toThrow();

    const again = new AbortController();
    const second = await fetchOwn(`${loopback.origin}/events`, { signal: again.signal });
    expect(abortListeners(again.signal)).toBe(1);
    await second.body?.cancel();
    // Released: the shared signal's one listener has no request left to abort.
    expect(abortListeners(again.signal)).toBeLessThanOrEqual(1);
  }, 30_000);
});
