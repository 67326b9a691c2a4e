/**
 * Serves a publisher over stdio (one client per process), both protocol eras, through the
 * SDK's `serveStdio`. Loaded on demand: it is the only Node-stream dependency of this path.
 */

import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import { buildServer, type ServerBlueprint } from './build-server.js';
import {
  followStdioResourceUpdates,
  withStdioResourceSubscriptions,
} from './stdio-resource-subscriptions.js';

export interface StdioOptions {
  /** Default `process.stdin`. */
  stdin?: Readable | undefined;
  /** Default `process.stdout`. */
  stdout?: Writable | undefined;
}

export function startStdio(
  blueprint: ServerBlueprint,
  options: StdioOptions,
  onError: (error: Error) => void,
): { close(): Promise<void> } {
  // 2026-07-28 listens naming resources reach `onResourceSubscribe` first (stdio-resource-subscriptions.ts).
  const transport = withStdioResourceSubscriptions(
    new StdioServerTransport(options.stdin, options.stdout),
    blueprint,
    onError,
  );
  // stdio has no bearer tokens: the process that spawned us is the caller; scopes are HTTP-only.
  const local = { ...blueprint, enforceScopes: false };
  // One long-lived instance per connection: it tells its client when the lists change, and (on
  // 2026-07-28) of the resource updates its subscriptions name.
  return serveStdio(
    (context) => {
      const server = buildServer(local, context.era, { followChanges: true });
      if (context.era === 'modern') followStdioResourceUpdates(server, local);
      return server;
    },
    { transport, onerror: onError },
  );
}
