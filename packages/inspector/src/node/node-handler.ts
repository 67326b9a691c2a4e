/**
 * The inspector for Node's `http` (and Express, Fastify's raw handler, …): `(req, res) => void`,
 * plus `listenInspector()`, which serves it on a loopback port of its own.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from '@toolwire/core';
import { createInspectorHandler, type InspectorOptions } from '../http/inspector-handler.js';
import { sendFetchResponse, toFetchRequest } from './node-adapter.js';

/** A Node request handler with a `close()` that ends its event streams. */
export interface InspectorNodeHandler {
  (request: IncomingMessage, response: ServerResponse): void;
  close(): void;
}

/**
 * Creates the inspector for a registry as a Node `http` handler.
 *
 * @example
 * ```ts
 * const inspector = createInspectorNodeHandler(registry, { basePath: '/inspect' });
 * createServer((request, response) => {
 *   if (request.url?.startsWith('/inspect') && isAdmin(request)) return inspector(request, response);
 *   response.writeHead(404).end();
 * }).listen(8080, '127.0.0.1');
 * ```
 */
export function createInspectorNodeHandler(
  registry: Registry,
  options: InspectorOptions = {},
): InspectorNodeHandler {
  const handler = createInspectorHandler(registry, options);
  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    let fetchRequest: Request;
    try {
      fetchRequest = toFetchRequest(request, response);
    } catch {
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request.');
      return;
    }
    handler(fetchRequest)
      .then((fetchResponse) => sendFetchResponse(fetchResponse, response))
      .catch(() => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        response.end('Internal error.');
      });
  };
  return Object.assign(handle, { close: () => handler.close() });
}

export interface ListenInspectorOptions extends InspectorOptions {
  /** Default `'127.0.0.1'`. */
  host?: string | undefined;
  /** Default `0`: a free port. */
  port?: number | undefined;
}

export interface ListeningInspector {
  /** `http://<host>:<port><basePath>/`. */
  url: string;
  port: number;
  /** Stops listening and ends every open page stream. The registry stays open. */
  close(): Promise<void>;
}

/** Serves the inspector on its own HTTP server (loopback and a free port by default). */
export async function listenInspector(
  registry: Registry,
  options: ListenInspectorOptions = {},
): Promise<ListeningInspector> {
  const handler = createInspectorNodeHandler(registry, options);
  const host = options.host ?? '127.0.0.1';
  const server: Server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostInURL = host.includes(':') ? `[${host}]` : host;
  const base = (options.basePath ?? '').replace(/\/+$/, '');
  return {
    url: `http://${hostInURL}:${port}${base}/`,
    port,
    async close() {
      handler.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
