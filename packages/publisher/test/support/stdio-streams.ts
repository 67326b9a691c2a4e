/**
 * A publisher (or gateway) serving stdio in this process: a pair of in-process streams for its
 * stdin and stdout, and an SDK client transport over them (one JSON-RPC message per line, as the
 * stdio binding says).
 */
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/client';

/** A client transport over a pair of in-process streams, for a publisher serving stdio on them. */
export function streamTransport(toServer: PassThrough, fromServer: PassThrough): Transport {
  const transport: Transport = {
    async start() {
      createInterface({ input: fromServer }).on('line', (line) => {
        if (line.trim()) transport.onmessage?.(JSON.parse(line));
      });
    },
    async send(message) {
      toServer.write(`${JSON.stringify(message)}\n`);
    },
    async close() {
      toServer.end();
      transport.onclose?.();
    },
  };
  return transport;
}

/** The server's stdin (`toServer`) and stdout (`fromServer`), and a client transport over them. */
export function stdioStreams(): { toServer: PassThrough; fromServer: PassThrough; transport: Transport } {
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  return { toServer, fromServer, transport: streamTransport(toServer, fromServer) };
}
