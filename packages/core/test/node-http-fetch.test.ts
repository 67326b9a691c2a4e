/**
 * Core's default fetch on Node (`transports/node-http-fetch.ts`): MCP requests go over Node's
 * `http` module unless a `fetch` option is given, and what comes back behaves as `fetch`'s
 * `Response` does where the SDK, the auth layer and the bounds look: statuses and headers, event
 * streams read as they arrive, redirects left to the caller, abort and network failures, compressed
 * bodies. Against real peers: the HTTP fixture (an SDK server, both eras) and scripted loopback
 * servers.
 */
import diagnostics from 'node:diagnostics_channel';
import { getEventListeners } from 'node:events';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, silentLogger } from '../src/index.js';
import { takeDirectBody } from '../src/transports/direct-bodies.js';
import { createNodeHTTPFetch } from '../src/transports/node-http-fetch.js';
import { temporaryDirectory } from './support/fault-servers.js';
import {
  freePort,
  type HttpFixtureServer,
  type LoopbackHttpServer,
  startHttpFixture,
  startLoopbackHttp,
  streamBytes,
} from './support/index.js';

const directory = temporaryDirectory('node-http-fetch');
let fixture: HttpFixtureServer;
let loopback: LoopbackHttpServer;
/** Bytes the `/huge` answer handed to its socket before the client went away. */
let hugeWritten: Promise<number> | undefined;

beforeAll(async () => {
  fixture = await startHttpFixture({ name: 'fixture', eventsFile: join(directory.path, 'events.jsonl') });
  loopback = await startLoopbackHttp((request, response) => {
    switch (request.path) {
      case '/json':
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        return;
      case '/huge':
        response.writeHead(200, { 'content-type': 'application/json' });
        hugeWritten = streamBytes(response, 64 * 1024 * 1024);
        return;
      case '/events':
        // One event, then the stream stays open until the client goes.
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('data: {"first":true}\n\n');
        return;
      case '/gzip':
        response
          .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
          .end(gzipSync('{"compressed":true}'));
        return;
      case '/redirect':
        response.writeHead(307, { location: '/json' }).end();
        return;
      case '/empty':
        response.writeHead(204).end();
        return;
      case '/hang-up':
        // Read, then closed without an answer (FIN): the request may have run.
        response.socket?.end();
        return;
      case '/reset':
        response.socket?.resetAndDestroy();
        return;
      case '/slow':
        // Never answers: the client has to abort.
        return;
      default:
        response.writeHead(404, { 'content-type': 'text/plain' }).end('no such path');
    }
  });
});
afterAll(async () => {
  await Promise.allSettled([fixture?.stop(), loopback?.close()]);
  directory.cleanup();
});

/** Requests made by `node:http` and by undici while `run` runs. */
async function countClients(run: () => Promise<void>): Promise<{ nodeHTTP: number; undici: number }> {
  const counts = { nodeHTTP: 0, undici: 0 };
  const onNode = () => {
    counts.nodeHTTP++;
  };
  const onUndici = () => {
    counts.undici++;
  };
  diagnostics.subscribe('http.client.request.start', onNode);
  diagnostics.subscribe('undici:request:create', onUndici);
  try {
    await run();
  } finally {
    diagnostics.unsubscribe('http.client.request.start', onNode);
    diagnostics.unsubscribe('undici:request:create', onUndici);
  }
  return counts;
}

const post = (body: string, signal?: AbortSignal): RequestInit => ({
  method: 'POST',
  headers: new Headers({ 'content-type': 'application/json', accept: 'application/json, text/event-stream' }),
  body,
  redirect: 'manual',
  ...(signal ? { signal } : {}),
});

describe("the registry's default fetch", () => {
  for (const protocol of ['legacy', '2026-07-28'] as const) {
    it(`sends MCP requests over node:http, and over undici when given fetch (${protocol})`, async () => {
      const open = (fetch?: typeof globalThis.fetch) =>
        createRegistry({
          servers: { fixture: { url: fixture.url, transport: 'streamable-http', protocol } },
          cache: 'memory',
          logger: silentLogger,
          ...(fetch ? { fetch } : {}),
        });
      const byDefault = await open();
      const withFetch = await open(globalThis.fetch);
      try {
        const viaNode = await countClients(async () => {
          const result = await byDefault.callTool('fixture__echo', { message: 'node' });
          expect(result.content).toEqual([{ type: 'text', text: 'fixture: node' }]);
        });
        expect(viaNode).toEqual({ nodeHTTP: 1, undici: 0 });
        const viaUndici = await countClients(async () => {
          const result = await withFetch.callTool('fixture__echo', { message: 'undici' });
          expect(result.content).toEqual([{ type: 'text', text: 'fixture: undici' }]);
        });
        expect(viaUndici).toEqual({ nodeHTTP: 0, undici: 1 });
      } finally {
        await Promise.all([byDefault.close(), withFetch.close()]);
      }
    });
  }
});

describe('createNodeHTTPFetch', () => {
  const fetch = createNodeHTTPFetch();

  it('reads a JSON reply whole off the socket, once, with the status and headers fetch gives', async () => {
    const response = await fetch(new URL('/json', loopback.origin), post('{}'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const read = takeDirectBody(response);
    expect(read).toBeDefined();
    expect(await read?.(1024)).toBe('{"ok":true}');
    expect(takeDirectBody(response)).toBeUndefined();
    const recorded = loopback.requests.at(-1);
    expect(recorded?.headers['content-length']).toBe('2');
    expect(recorded?.headers['user-agent']).toBe('node');
  });

  it('stops reading a reply past the limit and drops the connection', async () => {
    const response = await fetch(new URL('/huge', loopback.origin), post('{}'));
    const read = takeDirectBody(response);
    expect(await read?.(256 * 1024)).toBeUndefined();
    // The server could hand its socket only what the kernel buffers hold, not the 64 MB.
    expect(await hugeWritten).toBeLessThan(32 * 1024 * 1024);
  });

  it('streams an event stream as it arrives, and cancelling it ends the request', async () => {
    const response = await fetch(new URL('/events', loopback.origin), post('{}'));
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('data: {"first":true}\n\n');
    await reader.cancel();
    // Once its stream is read, the body cannot be read whole as well.
    expect(takeDirectBody(response)).toBeUndefined();
  });

  it('decodes a compressed body as fetch does', async () => {
    const response = await fetch(new URL('/gzip', loopback.origin), post('{}'));
    expect(await response.json()).toEqual({ compressed: true });
  });

  it('leaves redirects to the caller, and hands redirects to follow to the fallback', async () => {
    const manual = await fetch(new URL('/redirect', loopback.origin), post('{}'));
    expect(manual.status).toBe(307);
    expect(manual.headers.get('location')).toBe('/json');
    await manual.body?.cancel();
    const fallbackCalls: string[] = [];
    const withFallback = createNodeHTTPFetch(async (url, init) => {
      fallbackCalls.push(String(url));
      return globalThis.fetch(url, init);
    });
    const followed = await withFallback(new URL('/redirect', loopback.origin), {
      method: 'POST',
      body: '{}',
    });
    expect(await followed.json()).toEqual({ ok: true });
    expect(fallbackCalls).toEqual([`${loopback.origin}/redirect`]);
  });

  it('gives a 204 no body, and an error status its text', async () => {
    const empty = await fetch(new URL('/empty', loopback.origin), post('{}'));
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    const missing = await fetch(new URL('/missing', loopback.origin), post('{}'));
    expect(missing.status).toBe(404);
    expect(missing.statusText).toBe('Not Found');
    expect(await missing.text()).toBe('no such path');
  });

  it("rejects with the signal's reason on abort and leaves no listener behind", async () => {
    const controller = new AbortController();
    const pending = fetch(new URL('/slow', loopback.origin), post('{}', controller.signal));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const already = new AbortController();
    already.abort(reason);
    await expect(fetch(new URL('/json', loopback.origin), post('{}', already.signal))).rejects.toBe(reason);
  });

  it('aborting while an event stream is read fails the read with the reason', async () => {
    const controller = new AbortController();
    const response = await fetch(new URL('/events', loopback.origin), post('{}', controller.signal));
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const reason = new Error('closing');
    controller.abort(reason);
    await expect(reader.read()).rejects.toBe(reason);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('keeps a shared signal free of listeners across many requests', async () => {
    const shared = new AbortController();
    for (let index = 0; index < 50; index++) {
      const response = await fetch(new URL('/json', loopback.origin), post('{}', shared.signal));
      expect(await takeDirectBody(response)?.(1024)).toBe('{"ok":true}');
    }
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
  });

  it('tells a connection closed before the answer (FIN) from a reset one, as undici does', async () => {
    const causeOf = (path: string) =>
      fetch(new URL(path, loopback.origin), post('{}')).then(
        () => undefined,
        (error: unknown) => (error as Error).cause as { code?: string; message?: string },
      );
    const hangUp = await causeOf('/hang-up');
    expect(hangUp).toMatchObject({ code: 'UND_ERR_SOCKET', message: 'other side closed' });
    const reset = await causeOf('/reset');
    expect(reset?.code).toBe('ECONNRESET');
  });

  it("fails as fetch does when nothing listens: TypeError('fetch failed') with the system code as cause", async () => {
    const port = await freePort();
    const failure = await fetch(new URL(`http://127.0.0.1:${port}/mcp`), post('{}')).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as Error).message).toBe('fetch failed');
    expect(((failure as Error).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });
});
