/**
 * A TCP proxy on 127.0.0.1 that a test owns, in front of a real peer, to misbehave where a real
 * network does:
 *
 * - `vanish()` makes the server side of every open connection disappear without a goodbye (no
 *   FIN, as when a host, NAT entry or load balancer forgets a connection), so a client's idle
 *   keep-alive socket looks alive until it sends, and is then reset (RST) without a byte being
 *   forwarded;
 * - `hang()` stops forwarding: open connections and new ones stay up, but nothing crosses any
 *   more in either direction (a stalled network, a frozen server); `forward()` lets new
 *   connections through again, while the hung ones stay hung.
 */
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** `<scheme>://127.0.0.1:<port>`, e.g. `url('redis')`. */
  url(scheme: string): string;
  /** Connections opened through the proxy so far. */
  readonly connections: number;
  /** Requests (data) that arrived on vanished connections and were reset, never forwarded. */
  readonly resetWrites: number;
  /** Drops every open connection's server side silently; clients are reset when they next send. */
  vanish(): void;
  /** Stops forwarding on every connection, open or new: clients wait for answers that never come. */
  hang(): void;
  /** Forwards new connections again (connections hung so far stay hung). */
  forward(): void;
  stop(): Promise<void>;
}

export async function startTcpProxy(targetPort: () => number): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  /** Connections accepted while hanging, or hung: kept open, never forwarded. */
  const hung = new Set<Socket>();
  let connections = 0;
  let resetWrites = 0;
  let hanging = false;
  const hold = (socket: Socket) => {
    hung.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => hung.delete(socket));
    // Read and drop: what is sent goes nowhere, and nothing comes back.
    socket.on('data', () => {});
    socket.resume();
  };
  const server: Server = createServer((client) => {
    connections++;
    if (hanging) {
      hold(client);
      return;
    }
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
  const detach = (pair: { client: Socket; upstream: Socket }) => {
    pairs.delete(pair);
    const { client, upstream } = pair;
    client.unpipe(upstream);
    upstream.unpipe(client);
    for (const socket of [client, upstream]) {
      socket.removeAllListeners('close');
      socket.removeAllListeners('error');
      socket.on('error', () => {});
    }
  };
  return {
    port,
    url: (scheme) => `${scheme}://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    get resetWrites() {
      return resetWrites;
    },
    vanish() {
      for (const pair of [...pairs]) {
        detach(pair);
        const { client, upstream } = pair;
        upstream.destroy();
        client.on('data', () => {
          resetWrites++;
          client.resetAndDestroy();
        });
        client.resume();
      }
    },
    hang() {
      hanging = true;
      for (const pair of [...pairs]) {
        detach(pair);
        hold(pair.client);
        hold(pair.upstream);
      }
    },
    forward() {
      hanging = false;
    },
    async stop() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      for (const socket of hung) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
