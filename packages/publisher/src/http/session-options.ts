/**
 * The options that shape stateful sessions (lifetimes, limits, store deadlines), part of
 * `createPublisher({ http })`, with their defaults. docs/security.md explains each.
 */
import { positive } from '../check-option.js';
import { DEFAULT_STORE_TIMEOUT_MS } from '../store/store-guard.js';

export interface SessionOptions {
  /** A session without a request for this long is closed. Default 30 minutes. */
  sessionTtlMs?: number | undefined;
  /**
   * A session that received nothing after `initialize` (not even `notifications/initialized`)
   * is closed after this long; such sessions are also the first evicted. Default 60 seconds
   * (never more than `sessionTtlMs`).
   */
  handshakeTtlMs?: number | undefined;
  /**
   * Sessions one instance holds at most. When full, the least recently used idle session is
   * evicted to make room (bare `initialize`s first); when every session is answering a request,
   * a new one is refused with 503. Default 10,000.
   */
  maxSessions?: number | undefined;
  /**
   * Sessions one principal (issuer + subject + client, or token) holds at most on one instance.
   * At the cap its own least recently used idle session is evicted; when all of them are busy a
   * new one is refused with 429. Does not apply without auth (every client is `anonymous`).
   * Default 1,000.
   */
  maxSessionsPerPrincipal?: number | undefined;
  /**
   * The longest any session-store or event-store call may take. A call that fails or takes
   * longer answers the client with 503 (or a JSON-RPC error on a stream already started). Default 2 seconds.
   */
  storeTimeoutMs?: number | undefined;
}

export interface ResolvedSessionOptions {
  sessionTtlMs: number;
  handshakeTtlMs: number;
  maxSessions: number;
  maxSessionsPerPrincipal: number;
  storeTimeoutMs: number;
}

export const DEFAULT_SESSION_TTL_MS = 30 * 60 * 1000;
export const DEFAULT_HANDSHAKE_TTL_MS = 60 * 1000;
export const DEFAULT_MAX_SESSIONS = 10_000;
export const DEFAULT_MAX_SESSIONS_PER_PRINCIPAL = 1_000;

/** Applies the defaults; throws `CONFIG_INVALID` naming the option for a value that is not a positive number. */
export function resolveSessionOptions(options: SessionOptions): ResolvedSessionOptions {
  const sessionTtlMs = positive('http.sessionTtlMs', options.sessionTtlMs, DEFAULT_SESSION_TTL_MS);
  return {
    sessionTtlMs,
    handshakeTtlMs: Math.min(
      positive('http.handshakeTtlMs', options.handshakeTtlMs, DEFAULT_HANDSHAKE_TTL_MS),
      sessionTtlMs,
    ),
    maxSessions: positive('http.maxSessions', options.maxSessions, DEFAULT_MAX_SESSIONS, true),
    maxSessionsPerPrincipal: positive(
      'http.maxSessionsPerPrincipal',
      options.maxSessionsPerPrincipal,
      DEFAULT_MAX_SESSIONS_PER_PRINCIPAL,
      true,
    ),
    storeTimeoutMs: positive('http.storeTimeoutMs', options.storeTimeoutMs, DEFAULT_STORE_TIMEOUT_MS),
  };
}
