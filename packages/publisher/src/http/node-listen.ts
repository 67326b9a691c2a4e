/**
 * Node `http` serving for a publisher's fetch handler (loaded on demand, so the root entry stays
 * free of `node:` imports). Closing stops accepting connections at once; open streams are cut
 * only after the publisher has drained its running calls.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';

export interface NodeListener {
  server: Server;
  host: string;
  port: number;
  /** Stops accepting connections; `afterDrain` runs before remaining connections are cut. */
  close(afterDrain: () => Promise<void>): Promise<void>;
}

export async function listenNode(
  fetch: (request: Request) => Promise<Response>,
  options: { host: string; port: number; maxBodyBytes: number; onError: (error: Error) => void },
): Promise<NodeListener> {
  const handler = toNodeHandler(
    { fetch },
    { maxRequestBodySize: options.maxBodyBytes, onerror: options.onError },
  );
  const server = createServer((request, response) => {
    handler(request as Parameters<typeof handler>[0], response).catch((error: unknown) => {
      options.onError(error instanceof Error ? error : new Error(String(error)));
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end();
    });
  });
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
