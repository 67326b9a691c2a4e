/** What a transport factory needs beyond the server definition. */
import type { AuthProvider, FetchLike, OAuthClientProvider } from '@modelcontextprotocol/client';
import type { Logger } from '../logging/logger.js';
import type { RequestContexts } from './request-contexts.js';

export interface TransportContext {
  logger: Logger;
  /** The session key when the connection belongs to one conversation (`undefined` when shared). */
  sessionKey: string | undefined;
  /** The callers of running requests, for `headers` functions evaluated per request. */
  requestContexts?: RequestContexts | undefined;
  /** Supplies and refreshes bearer tokens (set by the auth layer for servers with `auth`). */
  authProvider?: AuthProvider | OAuthClientProvider | undefined;
  /** Replaces the global `fetch` (tests, proxies, custom agents). */
  fetch?: FetchLike | undefined;
  /** Receives each stderr line of a stdio server. */
  onStderr?: ((line: string) => void) | undefined;
}
