/**
 * The Node bridge with a client that is gone before its answer is ready (a real socket on
 * loopback): the plain answer is dropped, and the exchange is still told it is over (shutdown
 * waits for exchanges that are not, and each one keeps its tracking until then).
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { bridgeNodeRequest } from './node-bridge.js';
import { plainResponse } from './plain-answer.js';

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('bridgeNodeRequest', () => {
  it('ends the exchange of a plain answer whose client left before it was ready', async () => {
    let sent = 0;
    let served: () => void = () => {};
    const serving = new Promise<void>((resolve) => {
      served = resolve;
    });
    let bridged: Promise<void> | undefined;
    const bridgeDone = new Promise<void>((resolve) => {
      const server = createServer((incoming, outgoing) => {
        bridged = bridgeNodeRequest(
          incoming,
          outgoing,
          (request) =>
            new Promise<Response>((answer) => {
              served();
              // The answer is ready only once the client is gone.
              request.signal.addEventListener('abort', () =>
                answer(
                  plainResponse(
                    '{"jsonrpc":"2.0","id":1,"result":{}}',
                    200,
                    { 'content-type': 'application/json' },
                    () => {
                      sent++;
                    },
                  ),
                ),
              );
            }),
          { maxBodyBytes: 1024, onError: (error) => expect.unreachable(error.message) },
        );
        void bridged.then(resolve);
      });
      servers.push(server);
      server.listen(0, '127.0.0.1');
    });
    const server = servers[0] as ReturnType<typeof createServer>;
    await new Promise((resolve) =>
      server.listening ? resolve(undefined) : server.once('listening', resolve),
    );
    const body = '{"jsonrpc":"2.0","id":1,"method":"ping"}';
    const client = httpRequest({
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    client.on('error', () => {});
    client.end(body);
    await serving;
    client.destroy();
    await bridgeDone;
    expect(sent).toBe(1);
  });
});
