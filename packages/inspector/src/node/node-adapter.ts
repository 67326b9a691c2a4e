/**
 * Node `http` ↔ web `fetch`: an `IncomingMessage` becomes a `Request` (aborted when the client
 * goes away) and a `Response` is streamed back to the `ServerResponse`, event streams included.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

export function toFetchRequest(request: IncomingMessage, response: ServerResponse): Request {
  const aborted = new AbortController();
  response.once('close', () => aborted.abort());
  const encrypted = (request.socket as { encrypted?: boolean }).encrypted === true;
  // The Host header is checked by the handler's guard; a malformed one fails URL parsing here.
  const url = new URL(
    request.url ?? '/',
    `${encrypted ? 'https' : 'http'}://${request.headers.host ?? 'localhost'}`,
  );
  const headers = new Headers();
  for (const [key, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(key, item);
  }
  const method = request.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(url, {
    method,
    headers,
    signal: aborted.signal,
    ...(hasBody ? { body: Readable.toWeb(request) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

export async function sendFetchResponse(fetchResponse: Response, response: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  fetchResponse.headers.forEach((value, key) => {
    if (key !== 'set-cookie') headers[key] = value;
  });
  const cookies = fetchResponse.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  response.writeHead(fetchResponse.status, headers);
  if (!fetchResponse.body) {
    response.end();
    return;
  }
  const reader = fetchResponse.body.getReader();
  response.once('close', () => {
    void reader.cancel().catch(() => {});
  });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // Flushed per chunk: event streams must reach the page as they happen.
      if (!response.write(value)) await new Promise((resume) => response.once('drain', resume));
      if (response.destroyed) break;
    }
  } catch {
    // The client went away or the stream was cancelled: nothing left to send.
  } finally {
    if (!response.destroyed) response.end();
  }
}
