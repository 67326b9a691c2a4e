/** A TCP port on 127.0.0.1 that nothing listens on right now. */
import { createServer } from 'node:net';

/**
 * Asks the OS for a free loopback port (bind to port 0, read it, release it). Another process
 * may take it before you do: callers that start a server on it should retry on EADDRINUSE.
 * Also handy as a port that refuses connections.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
