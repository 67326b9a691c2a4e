/**
 * A TCP proxy on 127.0.0.1 that a test owns, to misbehave where a real network does: `vanish()`
 * makes the server side of every open connection disappear without a goodbye (no FIN, as when a
 * host, NAT entry or load balancer forgets a connection), so a client's idle keep-alive socket
 * looks alive until it sends, and is then reset (RST) without a byte being forwarded.
 */
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Connections opened through the proxy so far. */
  readonly connections: number;
  /** Requests (data) that arrived on vanished connections and were reset, never forwarded. */
  readonly resetWrites: number;
  /** Drops every open connection's server side silently; clients are reset when they next send. */
  vanish(): void;
  stop(): Promise<void>;
}

export async function startTcpProxy(targetPort: () => number): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  let connections = 0;
  let resetWrites = 0;
  const server: Server = createServer((client) => {
    connections++;
    const upstream = tcpConnect(targetPort(), '127.0.0.1');
    const pair = { client, upstream };
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    get connections() {
      return connections;
    },
    get resetWrites() {
      return resetWrites;
    },
    vanish() {
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        const { client, upstream } = pair;
        client.unpipe(upstream);
        upstream.unpipe(client);
        upstream.removeAllListeners('close');
        upstream.removeAllListeners('error');
        upstream.on('error', () => {});
        upstream.destroy();
        client.removeAllListeners('close');
        client.removeAllListeners('error');
        client.on('error', () => {});
        client.on('data', () => {
          resetWrites++;
          client.resetAndDestroy();
        });
        client.resume();
      }
    },
    async stop() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
