/**
 * Hand-made 2026-07-28 requests (per-request `_meta` envelope, SEP-2243 standard headers), for
 * tests that must send what an SDK client never would: a forged or replayed `requestState`, a
 * header that disagrees with the body. Answers are read whole, JSON or SSE.
 */

import { readEvents } from './raw-mcp.js';

export const MODERN_VERSION = '2026-07-28';

export interface ModernRequestOptions {
  /** The client capabilities declared in `_meta` (default: elicitation, sampling, roots). */
  capabilities?: Record<string, unknown> | undefined;
  token?: string | undefined;
  /** Extra headers, or `null` to leave a standard header out. */
  headers?: Record<string, string | null> | undefined;
  id?: number | undefined;
}

export interface ModernAnswer {
  status: number;
  /** The JSON-RPC response (the last one on an SSE stream). */
  body: {
    result?: Record<string, unknown> & {
      resultType?: string;
      inputRequests?: Record<string, { method: string; params?: Record<string, unknown> }>;
      requestState?: string;
    };
    error?: { code: number; message: string; data?: unknown };
  };
}

let nextId = 1;

export async function modernRequest(
  url: string,
  method: string,
  params: Record<string, unknown>,
  options: ModernRequestOptions = {},
): Promise<ModernAnswer> {
  const name = typeof params.name === 'string' ? params.name : undefined;
  const headers: Record<string, string | null> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': MODERN_VERSION,
    'mcp-method': method,
    ...(name === undefined ? {} : { 'mcp-name': name }),
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...options.headers,
  };
  const body = {
    jsonrpc: '2.0',
    id: options.id ?? nextId++,
    method,
    params: {
      ...params,
      _meta: {
        'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
        'io.modelcontextprotocol/clientInfo': { name: 'modern-raw', version: '1.0.0' },
        'io.modelcontextprotocol/clientCapabilities': options.capabilities ?? {
          elicitation: {},
          sampling: {},
          roots: {},
        },
      },
    },
  };
  const response = await fetch(url, {
    method: 'POST',
    headers: Object.fromEntries(
      Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== null),
    ),
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('text/event-stream')) {
    return { status: response.status, body: text === '' ? {} : JSON.parse(text) };
  }
  const messages = text
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => JSON.parse(line.slice(5).trim()) as ModernAnswer['body'] & { id?: unknown });
  const answer = messages.findLast((message) => 'result' in message || 'error' in message) ?? {};
  return { status: response.status, body: answer };
}

/** A `tools/call` as a 2026-07-28 client sends it (optionally a retry with answers and state). */
export function modernCall(
  url: string,
  name: string,
  args: Record<string, unknown>,
  retry: { inputResponses?: Record<string, unknown>; requestState?: string } = {},
  options: ModernRequestOptions = {},
): Promise<ModernAnswer> {
  return modernRequest(url, 'tools/call', { name, arguments: args, ...retry }, options);
}

/** The answer an elicitation form gets when the user accepts it with `content`. */
export const accepted = (content: Record<string, unknown>) => ({ action: 'accept', content });

/**
 * Opens a `subscriptions/listen` stream (SEP-2575) with `filter`; read it with `readEvents`
 * (raw-mcp.ts) and end it with the returned controller.
 */
export async function listen(
  url: string,
  filter: Record<string, unknown>,
  options: { token?: string; id?: number } = {},
): Promise<{ response: Response; controller: AbortController }> {
  const controller = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    signal: controller.signal,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': MODERN_VERSION,
      'mcp-method': 'subscriptions/listen',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: options.id ?? nextId++,
      method: 'subscriptions/listen',
      params: {
        notifications: filter,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
          'io.modelcontextprotocol/clientInfo': { name: 'modern-raw', version: '1.0.0' },
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    }),
  });
  return { response, controller };
}

/** One message a listen stream carried, as JSON. */
export interface ListenMessage {
  method?: string;
  params?: { _meta?: object; uri?: string };
}

/**
 * A `subscriptions/listen` stream opened with `filter` and acknowledged (it throws when the first
 * message is not the acknowledgement); `next` reads what follows, one message at a time, in order.
 * A read that gets nothing within `waitMs` (default 20 s) ends the stream and throws, so a message
 * that never comes fails the test with a message instead of its timeout.
 */
export async function followListen(
  url: string,
  filter: Record<string, unknown>,
  options: { token?: string; id?: number; waitMs?: number } = {},
): Promise<{ next(): Promise<ListenMessage | undefined>; close(): void }> {
  const stream = await listen(url, filter, options);
  const queue: ListenMessage[] = [];
  const read = async () => {
    let gaveUp = false;
    const timer = setTimeout(() => {
      gaveUp = true;
      stream.controller.abort();
    }, options.waitMs ?? 20_000);
    try {
      const events = await readEvents(stream.response, (events) => events.length >= 1);
      queue.push(...events.map((event) => JSON.parse(event.data) as ListenMessage));
    } catch (error) {
      if (!gaveUp) throw error;
    } finally {
      clearTimeout(timer);
    }
    if (gaveUp) throw new Error(`The listen stream ${options.id ?? ''} carried nothing more.`);
  };
  await read();
  const ack = queue.shift();
  if (ack?.method !== 'notifications/subscriptions/acknowledged') {
    stream.controller.abort();
    throw new Error(`The listen stream was not acknowledged: it began with ${JSON.stringify(ack)}.`);
  }
  return {
    next: async () => {
      if (queue.length === 0) await read();
      return queue.shift();
    },
    close: () => stream.controller.abort(),
  };
}
