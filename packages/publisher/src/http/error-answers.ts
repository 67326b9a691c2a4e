/**
 * The publisher's own JSON-RPC error answers over HTTP, one shape wherever they are given: the
 * session manager, the request handler, batch policy and the fast answers (`fast-answer.ts`).
 */

/** JSON-RPC error code and message a client gets when the publisher's store is unavailable. */
export const STORE_UNAVAILABLE_CODE = -32000;
export const STORE_UNAVAILABLE_MESSAGE = "The publisher's session store is unavailable; try again shortly.";

export function jsonRpcError(
  status: number,
  code: number,
  message: string,
  options: { id?: string | number | null; headers?: Record<string, string> } = {},
): Response {
  return Response.json(
    { jsonrpc: '2.0', error: { code, message }, id: options.id ?? null },
    { status, ...(options.headers ? { headers: options.headers } : {}) },
  );
}

/** The one answer for a session that does not exist or is not the caller's (same status, body, headers). */
export function sessionNotFound(): Response {
  return jsonRpcError(404, -32001, 'Session not found');
}

/** The answer to request `id` (or `null`) while the session store is unavailable: retry in a second. */
export function storeUnavailable(id: string | number | null): Response {
  return jsonRpcError(503, STORE_UNAVAILABLE_CODE, STORE_UNAVAILABLE_MESSAGE, {
    id,
    headers: { 'retry-after': '1' },
  });
}
