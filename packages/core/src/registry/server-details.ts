/**
 * `ServerDetails`: what `registry.serverDetails(name)` tells an operator beyond `ServerInfo` —
 * the reconnect history, the stderr tail, the retry schedule and the auth state. Secret-free by
 * construction: texts pass the registry's redaction, and auth is described by its kind and the
 * token's lifetime, never by a value.
 */
import type { ServerStatusChange } from './server-activity.js';

export type { ServerStatusChange };

/** How a server authenticates, and the lifetime of its current access token (never the token). */
export interface ServerAuthState {
  /**
   * `'none'` (stdio, or HTTP without credentials), `'headers'` (configured headers),
   * `'bearer'` (a static token), `'client_credentials'`, `'oauth'` (a user's authorization),
   * `'jwt_bearer'` (a workload's JWT) or `'enterprise'` (the enterprise IdP's grant).
   */
  kind: 'none' | 'headers' | 'bearer' | 'client_credentials' | 'oauth' | 'jwt_bearer' | 'enterprise';
  /**
   * For client credentials, once a token was obtained: when (epoch ms) and until when it is
   * valid (`expiresAt` is `undefined` when the token endpoint gave no lifetime).
   */
  token: { obtainedAt: number; expiresAt: number | undefined } | undefined;
}

export interface ServerDetails {
  name: string;
  /** Recent status changes, oldest first (at most 30): loading → active → failed → loading … */
  statusHistory: ServerStatusChange[];
  /** The last lines the server's process wrote to stderr (stdio servers; at most 20), redacted. */
  stderrTail: string[];
  /** Failed connects since the last successful one. */
  consecutiveFailures: number;
  /**
   * While `failed` after a failed connect: from when (epoch ms) the next call or refresh may
   * connect again (in the past once the back-off is over); `undefined` when not failed or when it
   * may reconnect at once (its live connection dropped).
   */
  nextRetryAt: number | undefined;
  auth: ServerAuthState;
}
