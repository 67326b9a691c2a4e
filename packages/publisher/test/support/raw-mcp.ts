/**
 * Hand-made 2025-era Streamable HTTP requests, for tests that must forge what an SDK client
 * would never send (another user's session id, another session's `Last-Event-ID`), and a small
 * SSE reader for the answers.
 */

export const PROTOCOL_VERSION = '2025-11-25';

export interface RawOptions {
  token?: string | undefined;
  sessionId?: string | undefined;
  lastEventId?: string | undefined;
  signal?: AbortSignal | undefined;
}

export function rawHeaders(options: RawOptions = {}): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...(options.sessionId
      ? { 'mcp-session-id': options.sessionId, 'mcp-protocol-version': PROTOCOL_VERSION }
      : {}),
    ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
  };
}

export function post(url: string, body: unknown, options: RawOptions = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: rawHeaders(options),
    body: JSON.stringify(body),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

export function getStream(url: string, options: RawOptions = {}): Promise<Response> {
  return fetch(url, {
    method: 'GET',
    headers: { ...rawHeaders(options), accept: 'text/event-stream' },
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/**
 * Opens the session's standalone GET stream. Its headers say nothing of whether the session's
 * transport holds it yet (other servers send them only with the first bytes), so this resolves
 * once the server holds the stream (a second GET is refused with 409), with the response pending.
 * On a loaded machine a probe can overtake the first GET (its auth check finishing first): the
 * probe answered 200 then holds the stream and is the one returned (the first GET is refused).
 */
export async function openStandaloneStream(
  url: string,
  options: RawOptions,
): Promise<{ response: Promise<Response>; controller: AbortController }> {
  const controller = new AbortController();
  const response = getStream(url, { ...options, signal: controller.signal });
  response.catch(() => {});
  for (let attempt = 0; attempt < 200; attempt++) {
    const probeController = new AbortController();
    const probe = await getStream(url, { ...options, signal: probeController.signal });
    if (probe.status === 200) {
      controller.abort();
      return { response: Promise.resolve(probe), controller: probeController };
    }
    await probe.body?.cancel();
    if (probe.status === 409) return { response, controller };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the standalone stream never opened');
}

export function deleteSession(url: string, options: RawOptions = {}): Promise<Response> {
  return fetch(url, { method: 'DELETE', headers: rawHeaders(options) });
}

export const initializeRequest = (id: number | string = 1) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

export const callRequest = (id: number, name: string, args: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args },
});

/** Initializes a session (and sends `notifications/initialized`); returns its id. */
export async function openSession(url: string, token?: string): Promise<string> {
  const response = await post(url, initializeRequest(), { token });
  if (response.status !== 200)
    throw new Error(`initialize answered ${response.status}: ${await response.text()}`);
  await response.text();
  const sessionId = response.headers.get('mcp-session-id');
  if (!sessionId) throw new Error('initialize answered without Mcp-Session-Id');
  const initialized = await post(
    url,
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { token, sessionId },
  );
  await initialized.text();
  return sessionId;
}

export interface SSEEvent {
  id: string | undefined;
  data: string;
}

/** Parses a complete SSE body. */
export function parseSSE(text: string): SSEEvent[] {
  const events: SSEEvent[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    if (block.trim() === '') continue;
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('id:')) id = line.slice(3).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (id !== undefined || data.length > 0) events.push({ id, data: data.join('\n') });
  }
  return events;
}

/**
 * The JSON-RPC messages of a POST's answer, whichever form the server chose for it: one JSON
 * body (an object, or an array for a batch) or an SSE stream (its events' data).
 */
export function answerMessages(text: string): unknown[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const parsed = JSON.parse(trimmed) as unknown;
    return Array.isArray(parsed) ? parsed : [parsed];
  }
  return parseSSE(text)
    .filter((event) => event.data !== '')
    .map((event) => JSON.parse(event.data) as unknown);
}

/** Reads SSE events from a live stream until `until` holds or the stream ends; leaves it open. */
export async function readEvents(
  response: Response,
  until: (events: SSEEvent[]) => boolean,
): Promise<SSEEvent[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const events = parseSSE(buffer.slice(0, buffer.lastIndexOf('\n\n') + 2));
    if (until(events)) {
      reader.releaseLock();
      return events;
    }
    const { value, done } = await reader.read();
    if (done) return parseSSE(buffer);
    buffer += decoder.decode(value, { stream: true });
  }
}

/** What a client can observe of a refusal: status, body and headers (without `date`). */
export async function observable(response: Response): Promise<{
  status: number;
  body: string;
  headers: Record<string, string>;
}> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'date') headers[name] = value;
  });
  return { status: response.status, body: await response.text(), headers };
}
