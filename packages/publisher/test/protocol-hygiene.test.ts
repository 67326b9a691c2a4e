/**
 * Requests a conforming client never sends, forged with raw `fetch` and raw sockets against a
 * real listener on 127.0.0.1:
 * - JSON-RPC batches are refused on protocol versions 2025-06-18 and later (batching was removed
 *   in 2025-06-18), whether the version comes from the header, the batch's `initialize` or the
 *   session's negotiated version, and still served for 2025-03-26, which requires them;
 * - a request without a `Host` header (HTTP/1.0 allows that) is refused with 400 instead of being
 *   taken for `localhost`;
 * - `/health` answers only requests that pass the Host/Origin check, with `{ status }` unless
 *   `http.healthDetails` asks for the counts, and never needs a session.
 */
import { connect as connectSocket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createPublisher, defineTool, type Publisher, type PublisherOptions } from '../src/index.js';

const open: Publisher[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((publisher) => publisher.close({ drainMs: 100 })));
});

const echo = defineTool({
  name: 'echo',
  description: 'Echoes.',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } } },
  execute: ({ text }) => String(text),
});

async function listen(overrides: Partial<PublisherOptions> = {}): Promise<string> {
  const publisher = createPublisher({
    name: 'hygiene',
    version: '1.0.0',
    tools: [echo],
    onError: () => {},
    ...overrides,
  });
  open.push(publisher);
  return (await publisher.listen()).url;
}

const baseHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

function initialize(protocolVersion: string, id: number | string = 0) {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion, capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  };
}

/** Opens a session at `protocolVersion`; returns its id. */
async function openSession(url: string, protocolVersion: string): Promise<string> {
  const opened = await fetch(url, {
    method: 'POST',
    headers: baseHeaders,
    body: JSON.stringify(initialize(protocolVersion)),
  });
  await opened.text();
  const sessionId = opened.headers.get('mcp-session-id') as string;
  const headers = { ...baseHeaders, 'mcp-session-id': sessionId, 'mcp-protocol-version': protocolVersion };
  await (
    await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    })
  ).text();
  return sessionId;
}

const batch = [
  { jsonrpc: '2.0', id: 1, method: 'tools/list' },
  { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'batched' } } },
];

async function post(url: string, body: unknown, headers: Record<string, string>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...baseHeaders, ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

describe('JSON-RPC batches', () => {
  it('are refused on a session that negotiated 2025-06-18 or later (with or without the header), served on 2025-03-26', async () => {
    const url = await listen();
    for (const version of ['2025-06-18', '2025-11-25']) {
      const sessionId = await openSession(url, version);
      const withHeader = await post(url, batch, {
        'mcp-session-id': sessionId,
        'mcp-protocol-version': version,
      });
      expect(withHeader.status).toBe(400);
      const error = JSON.parse(withHeader.text) as { error: { code: number; message: string } };
      expect(error.error.code).toBe(-32600);
      expect(error.error.message).toContain('batches');
      expect(error.error.message).toContain(version);
      // A client that leaves out the header is judged by what its session negotiated.
      const withoutHeader = await post(url, batch, { 'mcp-session-id': sessionId });
      expect(withoutHeader.status).toBe(400);
      expect(withoutHeader.text).not.toContain('batched');
    }
    // 2025-03-26 requires servers to accept batches; its clients send no MCP-Protocol-Version
    // header (it was added in 2025-06-18).
    const legacySession = await openSession(url, '2025-03-26');
    const served = await post(url, batch, { 'mcp-session-id': legacySession });
    expect(served.status).toBe(200);
    expect(served.text).toContain('"text":"batched"');
    expect(served.text).toContain('"name":"echo"');
  });

  it('are refused when the batch itself initializes at 2025-06-18 or later, and on stateless servers', async () => {
    const url = await listen();
    expect((await post(url, [initialize('2025-11-25')], {})).status).toBe(400);
    const stateless = await listen({ http: { stateless: true } });
    expect((await post(stateless, batch, { 'mcp-protocol-version': '2025-06-18' })).status).toBe(400);
    expect((await post(stateless, batch, { 'mcp-protocol-version': '2026-07-28' })).status).toBe(400);
  });
});

describe("JSON-RPC batches on someone else's session", () => {
  it('are answered exactly like a batch on an unknown session: the check tells nobody a session exists', async () => {
    // Each token is its own user (custom verifier with a subject), so sessions have owners.
    const url = await listen({
      http: {
        auth: {
          verify: async (token) => ({
            token,
            clientId: 'raw',
            scopes: [],
            expiresAt: Math.floor(Date.now() / 1000) + 3_600,
            extra: { subject: token, issuer: 'https://auth.example.com' },
          }),
          authorizationServers: ['https://auth.example.com'],
        },
      },
    });
    const as = (user: string) => ({ authorization: `Bearer ${user}` });
    const opened = await fetch(url, {
      method: 'POST',
      headers: { ...baseHeaders, ...as('alice') },
      body: JSON.stringify(initialize('2025-11-25')),
    });
    await opened.text();
    const aliceSession = opened.headers.get('mcp-session-id') as string;
    await (
      await fetch(url, {
        method: 'POST',
        headers: {
          ...baseHeaders,
          ...as('alice'),
          'mcp-session-id': aliceSession,
          'mcp-protocol-version': '2025-11-25',
        },
        body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      })
    ).text();
    // No version header: the owner's batch is judged by her session's version.
    expect((await post(url, batch, { ...as('alice'), 'mcp-session-id': aliceSession })).status).toBe(400);
    const foreign = await post(url, batch, { ...as('bob'), 'mcp-session-id': aliceSession });
    const unknown = await post(url, batch, { ...as('bob'), 'mcp-session-id': crypto.randomUUID() });
    expect(foreign).toEqual(unknown);
    expect(foreign.status).toBe(404);
  });
});

/** Sends raw bytes and returns the status line of the answer. */
function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectSocket(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received.split('\r\n')[0] ?? ''));
    socket.end(request);
  });
}

describe('the Host header', () => {
  it('a request without Host (HTTP/1.0) gets 400, for the MCP endpoint and for health', async () => {
    const port = Number(new URL(await listen()).port);
    const body = JSON.stringify(initialize('2025-11-25'));
    const post10 = [
      'POST /mcp HTTP/1.0',
      'Content-Type: application/json',
      'Accept: application/json, text/event-stream',
      `Content-Length: ${body.length}`,
      '',
      body,
    ].join('\r\n');
    expect(await rawRequest(port, post10)).toBe('HTTP/1.1 400 Bad Request');
    expect(await rawRequest(port, 'GET /health HTTP/1.0\r\n\r\n')).toBe('HTTP/1.1 400 Bad Request');
    // The same request with a loopback Host is served.
    const withHost = post10.replace('HTTP/1.0\r\n', `HTTP/1.0\r\nHost: 127.0.0.1:${port}\r\n`);
    expect(await rawRequest(port, withHost)).toBe('HTTP/1.1 200 OK');
  });
});

describe('/health', () => {
  it('runs after the Host/Origin check, says only its status unless http.healthDetails, needs no session or token', async () => {
    const url = await listen();
    const health = new URL('/health', url);
    const answer = await fetch(health);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ status: 'ok' });
    const port = Number(health.port);
    expect(await rawRequest(port, 'GET /health HTTP/1.1\r\nHost: evil.example.com\r\n\r\n')).toBe(
      'HTTP/1.1 403 Forbidden',
    );
    const fromPage = await fetch(health, { headers: { origin: 'http://evil.example.com' } });
    expect(fromPage.status).toBe(403);
    // http.healthDetails adds the counts; health never needs a session or a token.
    const detailed = await listen({
      http: {
        healthDetails: true,
        auth: {
          verify: async () => {
            throw new Error('no tokens in this test');
          },
          authorizationServers: ['https://auth.example.com'],
        },
      },
    });
    const counts = await fetch(new URL('/health', detailed));
    expect(counts.status).toBe(200);
    expect(await counts.json()).toEqual({ status: 'ok', sessions: 0, inFlight: 0 });
  });
});
