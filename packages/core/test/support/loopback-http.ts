/**
 * Small HTTP servers on 127.0.0.1 that a test scripts to misbehave: each records every request
 * it receives (method, path, headers, body) and answers through the test's handler, e.g. a
 * token endpoint that redirects elsewhere, or a metadata document of 50 MB. `streamBytes`
 * writes a large body with backpressure and counts what actually left, so a test can tell a
 * client that stopped reading from one that read it all.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedHttpRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export type LoopbackHandler = (
  request: RecordedHttpRequest,
  response: ServerResponse,
  server: LoopbackHttpServer,
) => void | Promise<void>;

export interface LoopbackHttpServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly requests: RecordedHttpRequest[];
  /** Replaces the handler (the default answers 404). */
  handle(handler: LoopbackHandler): void;
  close(): Promise<void>;
}

export async function startLoopbackHttp(handler?: LoopbackHandler): Promise<LoopbackHttpServer> {
  let current: LoopbackHandler =
    handler ??
    ((_request, response) => {
      response.writeHead(404).end();
    });
  const requests: RecordedHttpRequest[] = [];
  const httpServer: Server = createServer();
  // Idle keep-alive sockets stay open longer than a loaded test run pauses between requests: Node's
  // 5 s default closes them under a client about to reuse one ("other side closed", ECONNRESET).
  httpServer.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  const server: LoopbackHttpServer = {
    origin: `http://127.0.0.1:${port}`,
    requests,
    handle(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
  httpServer.on('request', async (request: IncomingMessage, response: ServerResponse) => {
    const recorded: RecordedHttpRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
      body: await readBody(request),
    };
    requests.push(recorded);
    try {
      await current(recorded, response, server);
    } catch (error) {
      if (!response.headersSent) response.writeHead(500);
      response.end(String(error));
    }
  });
  return server;
}

/**
 * Writes `total` bytes of `chunk` repeated, waiting for the socket to drain between writes, and
 * resolves with how many bytes were handed to the socket before the client went away (or all).
 */
export async function streamBytes(
  response: ServerResponse,
  total: number,
  chunk = 'x'.repeat(64 * 1024),
): Promise<number> {
  let written = 0;
  const gone = new Promise<void>((resolve) => response.once('close', resolve));
  let closed = false;
  void gone.then(() => {
    closed = true;
  });
  while (written < total && !closed) {
    const piece = chunk.slice(0, Math.min(chunk.length, total - written));
    written += piece.length;
    if (!response.write(piece)) {
      await Promise.race([new Promise((resolve) => response.once('drain', resolve)), gone]);
    }
  }
  if (!closed) response.end();
  return written;
}

async function readBody(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text;
}
