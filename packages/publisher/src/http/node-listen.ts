/**
 * Node `http` serving for a publisher's handler (`node-bridge.ts`) (loaded on demand, so the root entry stays
 * free of `node:` imports). A request without a `Host` header is refused here, before it becomes
 * a web `Request` (whose URL would then say `localhost` and pass the DNS-rebinding check): Node
 * refuses such HTTP/1.1 requests itself, HTTP/1.0 allows them. Closing stops accepting
 * connections at once; open streams are cut only after the publisher has drained its running calls.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bridgeNodeRequest, type NodeServe } from './node-bridge.js';

export interface NodeListener {
  server: Server;
  host: string;
  port: number;
  /** Stops accepting connections; `afterDrain` runs before remaining connections are cut. */
  close(afterDrain: () => Promise<void>): Promise<void>;
}

export async function listenNode(
  serve: NodeServe,
  options: {
    host: string;
    port: number;
    maxBodyBytes: number;
    keepAliveTimeoutMs: number;
    onError: (error: Error) => void;
  },
): Promise<NodeListener> {
  const server = createServer((request, response) => {
    if (request.headers.host === undefined) {
      response.writeHead(400, { 'content-type': 'application/json', connection: 'close' });
      response.end(
        JSON.stringify({
          jsonrpc: '2.0',
          error: { code: -32000, message: 'Bad Request: the Host header is required.' },
          id: null,
        }),
      );
      return;
    }
    bridgeNodeRequest(request, response, serve, options).catch((error: unknown) => {
      options.onError(error instanceof Error ? error : new Error(String(error)));
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end();
    });
  });
  server.keepAliveTimeout = options.keepAliveTimeoutMs;
  // A connection kept that long must not meet the (shorter) default wait for a request's headers.
  server.headersTimeout = Math.max(server.headersTimeout, options.keepAliveTimeoutMs + 1_000);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    host: options.host,
    port: address.port,
    async close(afterDrain) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await afterDrain();
      server.closeAllConnections();
      await closed;
    },
  };
}
