/**
 * Bounds what an HTTP MCP server can make us buffer: every response body the SDK reads goes
 * through here. A JSON reply or one SSE event past `maxMessageBytes` is never held whole: it
 * becomes a fault reply for the request it answers (`RESULT_TOO_LARGE`), and a reply of the wrong
 * shape becomes one too (`PROTOCOL_ERROR`), instead of a dropped message and a call waiting for its
 * timeout. Error bodies (read only for their text) are cut at the same limit, except auth
 * challenges (401/403), which stay the very response the auth layer saw.
 */
import type { FetchLike } from '@modelcontextprotocol/client';
import { takeDirectBody } from './direct-bodies.js';
import {
  checkReplyShape,
  faultReply,
  looksLikeReply,
  requestIdsOf,
  SNIFF_BYTES,
  sniffReplyId,
} from './inbound-guard.js';

export function boundResponses(baseFetch: FetchLike, maxMessageBytes: number): FetchLike {
  return async (url, init) => {
    const response = await baseFetch(url, init);
    // Redirects and auth challenges pass as they are: the SDK follows the one, and the auth layer
    // matches a 401/403 to the token it rejected by the response object itself.
    if (!response.body || (response.status >= 300 && response.status < 400)) return response;
    if (response.status === 401 || response.status === 403) return response;
    const type = mediaType(response.headers.get('content-type'));
    // The ids of the requests a reply answers are needed only to write a fault reply for them:
    // the request body is parsed again then, not for every response.
    const requestIds = () => requestIdsOf(init?.body);
    if (response.ok && type === 'text/event-stream') {
      const guard = new SSEGuard(maxMessageBytes, requestIds);
      return withBody(response, response.body.pipeThrough(guard.stream()));
    }
    if (response.ok && type === 'application/json') {
      return guardJSON(response, maxMessageBytes, requestIds);
    }
    return withBody(response, response.body.pipeThrough(truncateAfter(maxMessageBytes)));
  };
}

async function guardJSON(
  response: Response,
  maxMessageBytes: number,
  requestIds: () => (string | number)[],
): Promise<Response> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  const tooLarge = (sizeBytes: number) =>
    jsonResponse(
      response,
      requestIds().map((id) => faultReply(id, { kind: 'too-large', limitBytes: maxMessageBytes, sizeBytes })),
    );
  if (declared > maxMessageBytes) {
    await response.body?.cancel().catch(() => {});
    return tooLarge(declared);
  }
  // Node's transport fetch hands the socket's bytes over directly (`direct-bodies.ts`).
  const direct = takeDirectBody(response);
  const text = direct
    ? await direct(maxMessageBytes)
    : await readText(response.body as ReadableStream<Uint8Array>, maxMessageBytes);
  if (text === undefined) return tooLarge(maxMessageBytes + 1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // A JSON body is the whole reply: one that does not parse fails its requests as malformed.
    const ids = requestIds();
    if (ids.length === 0) return withBody(response, text);
    return jsonResponse(
      response,
      ids.map((id) => faultReply(id, { kind: 'malformed', detail: 'the reply is not valid JSON' })),
    );
  }
  const messages = Array.isArray(parsed) ? parsed : [parsed];
  let changed = false;
  const checked = messages.map((message) => {
    const fault = checkReplyShape(message);
    if (fault) changed = true;
    return fault ?? message;
  });
  if (!changed) return withParsedBody(response, text, parsed);
  return jsonResponse(response, Array.isArray(parsed) ? checked : checked[0]);
}

/** Decodes whole bodies only (no `stream` state), so one serves every response. */
const UTF8 = new TextDecoder();

/** The body as text, or `undefined` once it passes `limit` bytes (the rest is never read). */
async function readText(body: ReadableStream<Uint8Array>, limit: number): Promise<string | undefined> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  // Decoded once, whole: a reply is mostly one chunk.
  return UTF8.decode(chunks.length === 1 ? chunks[0] : concat(chunks, bytes));
}

/**
 * Re-frames an SSE body event by event: an event within the limit passes unchanged (or, when it
 * is a malformed reply, with its data replaced by a fault reply); an event past the limit is
 * skipped, keeping only its ends to find the request it answers.
 */
class SSEGuard {
  private readonly limit: number;
  private readonly requestIds: () => (string | number)[];
  private pieces: Uint8Array[] = [];
  private bytes = 0;
  private lineLength = 0;
  private lineIsCR = false;
  private skipping: { sizeBytes: number; head: Uint8Array; tail: Uint8Array } | undefined;
  private readonly encoder = new TextEncoder();

  constructor(limit: number, requestIds: () => (string | number)[]) {
    this.limit = limit;
    this.requestIds = requestIds;
  }

  stream(): TransformStream<Uint8Array, Uint8Array> {
    return new TransformStream<Uint8Array, Uint8Array>({
      transform: (chunk, controller) => this.push(chunk, controller),
      flush: (controller) => {
        if (!this.skipping && this.bytes > 0) controller.enqueue(concat(this.pieces, this.bytes));
      },
    });
  }

  private push(chunk: Uint8Array, controller: TransformStreamDefaultController<Uint8Array>): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) {
        this.noteLine(chunk, start, chunk.length);
        this.add(chunk.subarray(start));
        return;
      }
      this.noteLine(chunk, start, newline);
      const emptyLine = this.lineLength === 0 || (this.lineLength === 1 && this.lineIsCR);
      this.lineLength = 0;
      this.lineIsCR = false;
      if (emptyLine) {
        this.endEvent(controller, chunk.subarray(start, newline + 1));
      } else {
        this.add(chunk.subarray(start, newline + 1));
      }
      start = newline + 1;
    }
  }

  private noteLine(chunk: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    if (this.lineLength === 0) this.lineIsCR = chunk[from] === 0x0d;
    this.lineLength += to - from;
  }

  private add(piece: Uint8Array): void {
    if (piece.length === 0) return;
    if (this.skipping) {
      this.skipping.sizeBytes += piece.length;
      this.skipping.tail = lastBytes(concat([this.skipping.tail, piece]));
      return;
    }
    this.pieces.push(piece.slice());
    this.bytes += piece.length;
    if (this.bytes > this.limit) {
      const whole = concat(this.pieces, this.bytes);
      this.skipping = { sizeBytes: this.bytes, head: whole.slice(0, SNIFF_BYTES), tail: lastBytes(whole) };
      this.pieces = [];
      this.bytes = 0;
    }
  }

  private endEvent(controller: TransformStreamDefaultController<Uint8Array>, terminator: Uint8Array): void {
    const skipped = this.skipping;
    const pieces = this.pieces;
    const bytes = this.bytes;
    this.skipping = undefined;
    this.pieces = [];
    this.bytes = 0;
    if (skipped) {
      const head = dataOf(new TextDecoder().decode(skipped.head));
      if (!looksLikeReply(head)) return;
      const tail = new TextDecoder().decode(skipped.tail);
      const id = sniffReplyId(head, tail) ?? onlyOne(this.requestIds());
      if (id === undefined) return;
      const fault = faultReply(id, {
        kind: 'too-large',
        limitBytes: this.limit,
        sizeBytes: skipped.sizeBytes,
      });
      controller.enqueue(this.encoder.encode(`data: ${JSON.stringify(fault)}\n\n`));
      return;
    }
    if (bytes === 0) {
      controller.enqueue(terminator);
      return;
    }
    const event = concat(pieces, bytes);
    const replacement = malformedReplyIn(new TextDecoder().decode(event));
    if (replacement === undefined) {
      controller.enqueue(event);
      controller.enqueue(terminator);
      return;
    }
    controller.enqueue(this.encoder.encode(`${replacement}\n`));
  }
}

/** The event re-written with a fault reply as its data, when its data is a malformed reply. */
function malformedReplyIn(event: string): string | undefined {
  const lines = event.split(/\r?\n/).filter((line) => line !== '');
  const dataLines: string[] = [];
  const otherLines: string[] = [];
  let type = 'message';
  for (const line of lines) {
    if (line.startsWith('data:')) dataLines.push(line.slice(5).replace(/^ /, ''));
    else {
      if (line.startsWith('event:')) type = line.slice(6).trim();
      otherLines.push(line);
    }
  }
  if (type !== 'message' || dataLines.length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(dataLines.join('\n'));
  } catch {
    return undefined;
  }
  const fault = checkReplyShape(value);
  if (!fault) return undefined;
  return [...otherLines, `data: ${JSON.stringify(fault)}`, ''].join('\n');
}

/** The text after the first `data:` field of an event's head. */
function dataOf(head: string): string {
  const index = head.search(/(^|\n)data:/);
  if (index === -1) return '';
  return head.slice(head.indexOf('data:', index) + 5).replace(/^ /, '');
}

/** Passes at most `limit` bytes, then ends the body (an error text needs no more). */
function truncateAfter(limit: number): TransformStream<Uint8Array, Uint8Array> {
  let passed = 0;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (passed >= limit) return;
      const room = limit - passed;
      controller.enqueue(chunk.length <= room ? chunk : chunk.subarray(0, room));
      passed += Math.min(room, chunk.length);
    },
  });
}

function withBody(response: Response, body: BodyInit): Response {
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/**
 * The checked reply, whose `json()` resolves with the value parsed here (once per `json()` call,
 * like a body): the SDK reads a JSON reply with `response.json()`, which would decode the body
 * again and parse it a second time. `text()` and `body` read the text as usual.
 */
function withParsedBody(response: Response, text: string, parsed: unknown): Response {
  const copy = withBody(response, text);
  let read = false;
  Object.defineProperty(copy, 'json', {
    configurable: true,
    value: () => {
      if (read || copy.bodyUsed)
        return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
      read = true;
      return Promise.resolve(parsed);
    },
  });
  return copy;
}

function jsonResponse(response: Response, value: unknown): Response {
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.set('content-type', 'application/json');
  return new Response(JSON.stringify(value), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

function onlyOne<T>(values: T[]): T | undefined {
  return values.length === 1 ? values[0] : undefined;
}

function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function concat(
  pieces: Uint8Array[],
  total = pieces.reduce((sum, piece) => sum + piece.length, 0),
): Uint8Array {
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const piece of pieces) {
    joined.set(piece, offset);
    offset += piece.length;
  }
  return joined;
}

function lastBytes(bytes: Uint8Array): Uint8Array {
  return bytes.length <= SNIFF_BYTES ? bytes.slice() : bytes.slice(bytes.length - SNIFF_BYTES);
}
