/**
 * A JSON reply checked by `boundResponses` is parsed once: `json()` resolves with the value parsed
 * while checking it (and, like a body, only once), `text()` still reads the same text, and a reply
 * of the wrong shape is still replaced by a fault reply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundResponses } from '../src/transports/bounded-fetch.js';
import { type LoopbackHttpServer, startLoopbackHttp } from './support/loopback-http.js';

let server: LoopbackHttpServer;
const reply = { jsonrpc: '2.0', id: 7, result: { content: [{ type: 'text', text: 'hi' }] } };

beforeAll(async () => {
  server = await startLoopbackHttp((request, response) => {
    const body = request.path === '/wrong' ? { jsonrpc: '2.0', id: 7, result: 42 } : reply;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
});
afterAll(() => server?.close());

const bounded = boundResponses((url, init) => fetch(url, init), 1024 * 1024);
const post = (path: string) =>
  bounded(`${server.origin}${path}`, {
    method: 'POST',
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'x' } }),
  });

describe('a bounded JSON reply', () => {
  it('hands over the value it parsed, once', async () => {
    const response = await post('/ok');
    expect(await response.json()).toEqual(reply);
    await expect(response.json()).rejects.toThrow(TypeError);
    expect(JSON.parse(await (await post('/ok')).text())).toEqual(reply);
  });

  it('still replaces a reply of the wrong shape', async () => {
    const value = (await (await post('/wrong')).json()) as { id: number; error?: { message: string } };
    expect(value.id).toBe(7);
    expect(value.error?.message).toBeTruthy();
  });
});
