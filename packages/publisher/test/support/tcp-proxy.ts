/**
 * A TCP proxy on 127.0.0.1 that a test owns, to put faults between a publisher and its Redis
 * without touching the Redis itself: `hang()` stops forwarding (bytes are held, nothing is
 * answered, connections stay open: a stalled network), `resume()` delivers what was held and
 * forwards again, `cut()` destroys every open connection (a dropped link; new ones connect).
 */
import { createServer, type Server, Socket } from 'node:net';

export interface TcpProxy {
  /** The proxy's own port on 127.0.0.1. */
  readonly port: number;
  /** Stops forwarding in both directions; connections stay open and data is held. */
  hang(): void;
  /** Delivers held data and forwards again. */
  resume(): void;
  /** Destroys every open connection (clients see a reset). */
  cut(): void;
  /** Connections currently open through the proxy. */
  readonly connections: number;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  held: { to: Socket; chunk: Buffer }[];
}

export async function startTcpProxy(target: { host?: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let hung = false;
  const forward = (pair: Pair, to: Socket, chunk: Buffer) => {
    if (hung) pair.held.push({ to, chunk });
    else if (!to.destroyed) to.write(chunk);
  };
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    const pair: Pair = { client, upstream, held: [] };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => forward(pair, upstream, chunk));
    upstream.on('data', (chunk: Buffer) => forward(pair, client, chunk));
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    upstream.connect(target.port, target.host ?? '127.0.0.1');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  function cut(): void {
    for (const pair of [...pairs]) {
      pair.held.length = 0;
      pair.client.destroy();
      pair.upstream.destroy();
    }
    pairs.clear();
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    get connections() {
      return pairs.size;
    },
    hang() {
      hung = true;
    },
    resume() {
      hung = false;
      for (const pair of pairs) {
        for (const { to, chunk } of pair.held.splice(0)) if (!to.destroyed) to.write(chunk);
      }
    },
    cut,
    async close() {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
