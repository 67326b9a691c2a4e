/**
 * Node `http` to the publisher's handler and back, without the general-purpose detours of the
 * SDK's `toNodeHandler`: a POST's body is read straight from the socket (within the body limit)
 * and handed over as text, so the web `Request` carries no body stream to be read back; a plain
 * JSON answer is written in one call instead of through its body stream. Streamed answers are
 * written chunk by chunk, waiting for `drain` (backpressure reaches the SSE buffer of
 * `response-stream.ts`). The request's signal aborts when the client's connection closes first.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { claimPlainAnswer } from './plain-answer.js';

/** The handler as the Node listener calls it (`HTTPHandler.serve`). */
export type NodeServe = (request: Request, body?: string) => Promise<Response>;

export interface NodeBridgeOptions {
  maxBodyBytes: number;
  onError: (error: Error) => void;
}

/** Serves one Node request with `serve`; never rejects. */
export async function bridgeNodeRequest(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  serve: NodeServe,
  options: NodeBridgeOptions,
): Promise<void> {
  let finished = false;
  const abort = new AbortController();
  outgoing.on('close', () => {
    if (!finished) abort.abort();
  });
  if (outgoing.destroyed) abort.abort();
  const response = await answer(incoming, abort.signal, serve, options);
  if (response === TOO_LARGE) {
    writeTooLarge(outgoing, options.maxBodyBytes);
    finished = true;
    return;
  }
  const plain = claimPlainAnswer(response);
  if (plain) {
    finished = true;
    // A client gone before the answer was ready: its 'close' has passed, and a destroyed response
    // never finishes, so neither callback below would ever run. The answer is dropped, the exchange over.
    if (outgoing.destroyed) {
      plain.sent();
      return;
    }
    // With its length known the answer goes out in one write, not as chunks.
    const headers: Record<string, string> = { ...plain.headers };
    headers['content-length'] = String(Buffer.byteLength(plain.text));
    delete headers['transfer-encoding'];
    outgoing.writeHead(response.status, headers);
    outgoing.end(plain.text, () => plain.sent());
    // A client gone while the answer was written: the answer is dropped, the exchange over.
    outgoing.once('close', plain.sent);
    return;
  }
  outgoing.writeHead(response.status, headerRecord(response.headers));
  if (response.body === null) {
    finished = true;
    outgoing.end();
    return;
  }
  // A stream's headers go out now, not with its first event: a session's GET stream may say
  // nothing for minutes, and its client learns only from them that the stream is open.
  outgoing.flushHeaders();
  // Returned, not awaited: a suspended frame here would keep the whole `Response` (headers and
  // all) for as long as the stream lasts, and a session's GET stream lasts as long as the session.
  return writeBody(response.body, outgoing, abort.signal).then(() => {
    finished = true;
    outgoing.end();
  });
}

const TOO_LARGE = Symbol('too large');

/**
 * A web `Request` whose `signal` is the bridge's own (it aborts when the client's connection
 * closes first). Given as `init.signal`, undici would make a signal of its own per request that
 * follows the given one (a listener, a weak reference and a finalizer each): half the cost of
 * building the request, on every call. The body is never on it (the bridge hands it over read),
 * so no clone of it is ever taken to read it again.
 */
class NodeRequest extends Request {
  readonly #signal: AbortSignal;

  constructor(url: string, init: RequestInit, signal: AbortSignal) {
    super(url, init);
    this.#signal = signal;
  }

  override get signal(): AbortSignal {
    return this.#signal;
  }
}

/**
 * The handler's answer to `incoming`. Its own function so that the web `Request` is not kept for
 * as long as a streamed answer lasts (a session's GET stream lasts as long as the session).
 */
async function answer(
  incoming: IncomingMessage,
  signal: AbortSignal,
  serve: NodeServe,
  options: NodeBridgeOptions,
): Promise<Response | typeof TOO_LARGE> {
  try {
    const method = (incoming.method ?? 'GET').toUpperCase();
    const body = method === 'POST' ? await readBody(incoming, options.maxBodyBytes) : undefined;
    if (body === TOO_LARGE) return TOO_LARGE;
    const request = new NodeRequest(
      `http://${incoming.headers.host ?? 'localhost'}${incoming.url ?? '/'}`,
      { method, headers: headersOf(incoming) },
      signal,
    );
    return await serve(request, body);
  } catch (error) {
    options.onError(error instanceof Error ? error : new Error(String(error)));
    return Response.json(
      { jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id: null },
      { status: 500 },
    );
  }
}

/** The body as text, or `TOO_LARGE` past `maxBytes` (declared or received). */
async function readBody(incoming: IncomingMessage, maxBytes: number): Promise<string | typeof TOO_LARGE> {
  if (Number(incoming.headers['content-length']) > maxBytes) return TOO_LARGE;
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    received += bytes.byteLength;
    if (received > maxBytes) return TOO_LARGE;
    chunks.push(bytes);
  }
  return chunks.length === 1
    ? (chunks[0] as Buffer).toString('utf8')
    : Buffer.concat(chunks).toString('utf8');
}

function writeTooLarge(outgoing: ServerResponse, maxBytes: number): void {
  outgoing.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
  outgoing.end(
    JSON.stringify({
      jsonrpc: '2.0',
      error: { code: -32000, message: `Payload Too Large: Request body must not exceed ${maxBytes} bytes` },
      id: null,
    }),
  );
}

function headersOf(incoming: IncomingMessage): Headers {
  const headers = new Headers();
  for (const name in incoming.headers) {
    const value = incoming.headers[name];
    if (value === undefined || name.startsWith(':')) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
}

function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

/** Copies `body` to `outgoing`, waiting for `drain` when the socket is full; stops when `signal` aborts. */
async function writeBody(
  body: ReadableStream<Uint8Array>,
  outgoing: ServerResponse,
  signal: AbortSignal,
): Promise<void> {
  let drained: (() => void) | undefined;
  const release = () => {
    drained?.();
    drained = undefined;
  };
  outgoing.on('drain', release);
  signal.addEventListener('abort', release, { once: true });
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done || signal.aborted) break;
      if (!outgoing.write(value) && !signal.aborted) {
        await new Promise<void>((resolve) => {
          drained = resolve;
        });
      }
    }
  } catch {
    // The answer's stream failed: end what was sent.
  } finally {
    outgoing.off('drain', release);
    signal.removeEventListener('abort', release);
    if (signal.aborted) await reader.cancel().catch(() => {});
    else reader.releaseLock();
  }
}
