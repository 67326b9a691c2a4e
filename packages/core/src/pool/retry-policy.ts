/**
 * When a failed tool call may be sent again. A call is re-sent once, on a fresh connection, only
 * when it cannot have run: the HTTP session had expired (the server answered 404 without running
 * it), the server could not be reached at all, or the connection was reset before the server
 * read the request (a stale keep-alive socket after a restart; see `transports/delivery.ts`). A call that may have reached the server (the
 * connection dropped mid-call, a stdio server crashed) is re-sent only for tools annotated
 * `idempotentHint` or `readOnlyHint`. Timeouts and cancellations are never retried.
 */
import type { ToolAnnotations } from '@modelcontextprotocol/client';
import { ToolwireError } from '../errors/toolwire-error.js';
import { isNotDelivered } from '../transports/delivery.js';

/**
 * - `session-expired`: HTTP 404 on a request that carried a session id; the server did not run it.
 * - `not-delivered`: the request never reached the server (connection refused, DNS, reset before read).
 * - `connection-lost`: the connection ended while the request was in flight.
 * - `other`: anything else (tool errors, timeouts, cancellations, auth).
 */
export type FailureKind = 'session-expired' | 'not-delivered' | 'connection-lost' | 'other';

export function classifyFailure(error: unknown): FailureKind {
  if (!ToolwireError.isInstance(error)) return 'other';
  if (error.code === 'TIMEOUT' || error.code === 'CANCELLED' || error.code === 'AUTH_FAILED') return 'other';
  if (isNotDelivered(error.cause)) return 'not-delivered';
  if (httpStatusOf(error.cause) === 404) return 'session-expired';
  const systemCode = systemCodeOf(error.cause);
  if (systemCode === 'ECONNREFUSED' || systemCode === 'ENOTFOUND' || systemCode === 'EAI_AGAIN') {
    return 'not-delivered';
  }
  if (error.code === 'SERVER_CLOSED') return 'connection-lost';
  if (systemCode === 'ECONNRESET' || systemCode === 'EPIPE' || systemCode === 'UND_ERR_SOCKET') {
    return 'connection-lost';
  }
  return 'other';
}

/** True when a tool says repeating a call does no harm. */
export function isRetrySafeTool(annotations: ToolAnnotations | undefined): boolean {
  return annotations?.readOnlyHint === true || annotations?.idempotentHint === true;
}

/** Whether a failure of this kind may be retried for a tool with these annotations. */
export function mayRetry(kind: FailureKind, annotations: ToolAnnotations | undefined): boolean {
  if (kind === 'session-expired' || kind === 'not-delivered') return true;
  if (kind === 'connection-lost') return isRetrySafeTool(annotations);
  return false;
}

/** Whether the connection that produced this failure must be replaced before the next request. */
export function isConnectionBroken(kind: FailureKind): boolean {
  return kind !== 'other';
}

export function httpStatusOf(error: unknown): number | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const candidate = current as { status?: unknown; data?: { status?: unknown } };
    const status = candidate.data?.status ?? candidate.status;
    if (typeof status === 'number') return status;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function systemCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z_]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
