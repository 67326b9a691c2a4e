/**
 * Tells a request that provably never reached the server apart from one that may have. An HTTP
 * request whose connection was reset (TCP RST: `ECONNRESET`, or `EPIPE` writing to an already
 * reset socket) before any response arrived was never read by the server process: a server that
 * read it and then died closes with FIN ("other side closed"), while a reset means its socket was
 * gone or our bytes sat unread in it — the stale keep-alive socket after a restart, a peer that
 * vanished. Such a request may be sent again, once, on a fresh connection, whatever the tool.
 */
import type { FetchLike } from '@modelcontextprotocol/client';
import { hasMarker } from '../errors/toolwire-error.js';

const marker = Symbol.for('toolwire.request-not-delivered');

/** The connection was reset before the server read the request: it did not run. */
export class RequestNotDeliveredError extends Error {
  readonly [marker] = true;
  override name = 'RequestNotDeliveredError';
  constructor(cause: unknown) {
    super(`the connection was reset before the request was read (${describe(cause)})`, { cause });
  }
}

/** Wraps `fetch` so a reset before any response is reported as a `RequestNotDeliveredError`. */
export function markUndelivered(baseFetch: FetchLike): FetchLike {
  return async (url, init) => {
    try {
      return await baseFetch(url, init);
    } catch (error) {
      // A rejected fetch has no response: nothing came back before the failure.
      if (!init?.signal?.aborted && isReset(error)) throw new RequestNotDeliveredError(error);
      throw error;
    }
  };
}

/** True when `error` or any error in its cause chain is a `RequestNotDeliveredError`. */
export function isNotDelivered(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current; depth++) {
    if (hasMarker(current, marker)) return true;
    current = (current as { cause?: unknown; data?: { cause?: unknown } }).cause;
  }
  return false;
}

/** The first system error code in the chain is a reset (not FIN's `UND_ERR_SOCKET`). */
function isReset(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z_]+|UND_ERR_[A-Z_]+)$/.test(code)) {
      return code === 'ECONNRESET' || code === 'EPIPE';
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function describe(error: unknown): string {
  const code =
    (error as { cause?: { code?: unknown }; code?: unknown })?.cause?.code ??
    (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : 'reset';
}
