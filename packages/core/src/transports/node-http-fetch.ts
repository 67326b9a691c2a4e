/**
 * The fetch core sends MCP requests with on Node when no `fetch` option is given: Node's `http`
 * and `https` modules instead of the global `fetch` (undici). A sequential `tools/call` over
 * Streamable HTTP spent most of its client time in the fetch algorithm itself (the `Request`,
 * its `Headers` and signal, WebIDL conversions, the body sent as an async iterable in writes of
 * its own, the response body as a web stream); here the request goes out in one write and a JSON
 * reply is read straight off the socket (`direct-bodies.ts`, read by `bounded-fetch.ts` with the
 * same limit).
 *
 * What comes back is a real `Response`, so the SDK, the auth layer and the bounds above see what
 * they saw before: status, headers, a body stream (event streams, error texts), redirects left
 * to the caller (`redirect: 'manual'`, what the SDK transport asks for), a rejected promise with
 * the signal's reason on abort and `TypeError('fetch failed', { cause })` on a network error
 * (the cause carries the system code, `ECONNRESET` …, as undici's does). Anything this does not
 * take on (redirects to follow, form or stream bodies, a `Request` object, URLs with userinfo,
 * other schemes, undici's own options) goes to the global `fetch` unchanged (form-encoded token
 * requests among them).
 */
import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { FetchLike } from '@modelcontextprotocol/client';
import { registerDirectBody } from './direct-bodies.js';

/** Statuses whose responses have no body (and that `Response` refuses one for). */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/** Decodes whole bodies only (no `stream` state), so one serves every response; drops a BOM as `fetch` does. */
const UTF8 = new TextDecoder();

/** A fetch over `node:http`/`node:https`, handing what it does not take on to `fallback`. */
export function createNodeHTTPFetch(
  fallback: FetchLike = (url, init) => globalThis.fetch(url, init),
): FetchLike {
  // Node's fetch honours HTTP_PROXY and friends under this flag (read at start-up); node:http does not.
  if (process.env.NODE_USE_ENV_PROXY) return fallback;
  return (url, init) => {
    const target = handledURL(url);
    if (target === undefined || init === undefined || !handles(init)) return fallback(url, init);
    return send(target, init);
  };
}

function handledURL(url: string | URL): URL | undefined {
  let parsed: URL;
  if (url instanceof URL) parsed = url;
  else if (typeof url === 'string' && URL.canParse(url)) parsed = new URL(url);
  else return undefined;
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  // `fetch` refuses these; the fallback says so in its own words.
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  return parsed;
}

function handles(init: RequestInit): boolean {
  if (init.redirect !== 'manual' || 'dispatcher' in init) return false;
  const body = init.body;
  return body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
}

function send(url: URL, init: RequestInit): Promise<Response> {
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const method = (init.method ?? 'GET').toUpperCase();
  const body = (init.body ?? undefined) as string | Uint8Array | undefined;
  const headers = headerRecord(init.headers);
  if (body !== undefined) {
    headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  }
  headers['user-agent'] ??= 'node';
  return new Promise<Response>((resolve, reject) => {
    let request: ClientRequest;
    try {
      request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method, headers });
    } catch (error) {
      // An invalid header name or value: `fetch` refuses those with a TypeError as well.
      reject(fetchFailure(error));
      return;
    }
    let answered = false;
    let source: Readable | undefined;
    const onAbort = () => {
      const reason = signal?.reason;
      if (source) source.destroy(reason);
      else request.destroy();
      if (!answered) {
        answered = true;
        reject(reason);
      }
    };
    const release = () => signal?.removeEventListener('abort', onAbort);
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (error) => {
      if (source) source.destroy(error);
      else release();
      if (answered) return;
      answered = true;
      reject(fetchFailure(error));
    });
    request.on('response', (message) => {
      if (answered) {
        message.destroy();
        return;
      }
      answered = true;
      const status = message.statusCode ?? 0;
      if (status < 200 || status > 599) {
        message.destroy();
        release();
        reject(new TypeError('fetch failed', { cause: new Error(`unsupported HTTP status ${status}`) }));
        return;
      }
      const responseHeaders = new Headers();
      const raw = message.rawHeaders;
      try {
        for (let index = 0; index + 1 < raw.length; index += 2) {
          responseHeaders.append(raw[index] as string, raw[index + 1] as string);
        }
      } catch (error) {
        // A header `Headers` refuses (Node's parser is more lenient): a failed fetch, not a throw.
        message.destroy();
        release();
        reject(new TypeError('fetch failed', { cause: error }));
        return;
      }
      const init = { status, statusText: message.statusMessage ?? '', headers: responseHeaders };
      if (method === 'HEAD' || NULL_BODY_STATUSES.has(status)) {
        message.resume();
        message.once('close', release);
        resolve(new Response(null, init));
        return;
      }
      source = decoded(message);
      source.once('close', release);
      const nodeBody = new NodeBody(source);
      const response = new Response(nodeBody.stream(), init);
      registerDirectBody(response, (limitBytes) => nodeBody.readText(limitBytes));
      resolve(response);
    });
    request.end(body);
  });
}

/**
 * The rejection `fetch` gives for a network failure. Node reports a connection the server closed
 * (FIN) before answering as `ECONNRESET` "socket hang up", with no system call, while a real reset
 * comes from a `read` or `write`; undici calls the first `UND_ERR_SOCKET` "other side closed".
 * The difference matters: a reset request never reached the server and may be sent again
 * (`delivery.ts`), a closed one may have run. So a hang-up becomes undici's error, the original
 * kept as its cause.
 */
function fetchFailure(error: unknown): TypeError {
  const failure = error as { code?: unknown; syscall?: unknown };
  const hangUp = failure?.code === 'ECONNRESET' && failure.syscall === undefined;
  const cause = hangUp
    ? Object.assign(new Error('other side closed', { cause: error }), { code: 'UND_ERR_SOCKET' })
    : error;
  return new TypeError('fetch failed', { cause });
}

/** The request headers as the plain record `node:http` takes, names in lower case. */
function headerRecord(headers: HeadersInit | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  if (headers === undefined) return record;
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      record[name] = value;
    });
    return record;
  }
  const entries = Array.isArray(headers) ? headers : Object.entries(headers);
  for (const [name, value] of entries) {
    const key = String(name).toLowerCase();
    // Repeated names are combined as `Headers` combines them.
    record[key] = record[key] === undefined ? String(value) : `${record[key]}, ${String(value)}`;
  }
  return record;
}

/** The body as `fetch` hands it on: decompressed when the server encoded it. */
function decoded(message: IncomingMessage): Readable {
  const encoding = (message.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : undefined;
  if (decoder === undefined) return message;
  message.on('error', (error) => decoder.destroy(error));
  decoder.on('close', () => {
    if (!message.complete) message.destroy();
  });
  return message.pipe(decoder);
}

/**
 * One response body, read either through its web stream (pulled chunk by chunk, so a slow
 * reader holds the socket back instead of buffering) or whole through `readText`, never both.
 */
class NodeBody {
  private readonly source: Readable;
  private taken = false;

  constructor(source: Readable) {
    this.source = source;
    source.pause();
    // A failure nobody is reading yet (the body not asked for) must not become an uncaught error.
    source.on('error', () => {});
  }

  stream(): ReadableStream<Uint8Array> {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    let listening = false;
    const listen = () => {
      listening = true;
      const source = this.source;
      source.on('data', (chunk: Buffer) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) source.pause();
      });
      source.once('end', () => controller.close());
      source.once('error', (error) => controller.error(error));
    };
    return new ReadableStream<Uint8Array>(
      {
        start: (started) => {
          controller = started;
        },
        pull: () => {
          if (!listening) {
            if (this.taken) throw new TypeError('Body has already been read');
            this.taken = true;
            listen();
          }
          this.source.resume();
        },
        cancel: (reason) => {
          this.source.destroy(reason instanceof Error ? reason : undefined);
        },
      },
      // Nothing is read off the socket before someone asks for it.
      { highWaterMark: 0 },
    );
  }

  /** The whole body as text, or `undefined` once it passes `limitBytes` (the connection is then dropped). */
  readText(limitBytes: number): Promise<string | undefined> {
    if (this.taken) return Promise.reject(new TypeError('Body has already been read'));
    this.taken = true;
    const source = this.source;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      source.on('data', (chunk: Buffer) => {
        bytes += chunk.byteLength;
        if (bytes > limitBytes) {
          source.destroy();
          resolve(undefined);
          return;
        }
        chunks.push(chunk);
      });
      source.once('end', () => {
        resolve(UTF8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, bytes)));
      });
      source.once('error', reject);
      source.resume();
    });
  }
}
