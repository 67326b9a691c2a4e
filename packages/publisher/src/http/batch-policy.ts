/**
 * JSON-RPC batches by protocol version. 2025-03-26 requires servers to accept them; 2025-06-18
 * removed batching, and later versions (2025-11-25, 2026-07-28) allow one message per POST. A
 * batch is refused when the version it is sent under is 2025-06-18 or later: the
 * `MCP-Protocol-Version` header when present, else the version an `initialize` in the batch
 * asks for, else the version its session negotiated, else 2025-03-26 (what the 2025-06-18
 * transport says to assume without the header). The session's version is only looked up for
 * its owner: for anyone else (or when the store does not answer) the batch goes on to the
 * session layer, which answers exactly as for an unknown session, so this check tells nobody
 * whether a session id exists.
 */
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';
import { jsonRpcError } from './error-answers.js';

/** The protocol version the caller's own session asked for, or `undefined` (unknown, not theirs, store down). */
export type SessionVersionLookup = (sessionId: string) => Promise<string | undefined>;

const FIRST_VERSION_WITHOUT_BATCHES = '2025-06-18';
const VERSION = /^\d{4}-\d{2}-\d{2}$/;

/** A 400 JSON-RPC error for a batch its protocol version does not allow, else `undefined`. */
export async function refuseBatch(
  request: Request,
  batch: readonly unknown[],
  sessionVersion: SessionVersionLookup,
): Promise<Response | undefined> {
  const version = await batchVersion(request, batch, sessionVersion);
  // Dated versions compare as strings; anything else in the header is not a version that batches.
  if (VERSION.test(version) && version < FIRST_VERSION_WITHOUT_BATCHES) return undefined;
  const named = VERSION.test(version) ? `protocol version ${version}` : 'this protocol version';
  return jsonRpcError(
    400,
    -32600,
    `Invalid Request: JSON-RPC batches are not supported on ${named} (removed in ${FIRST_VERSION_WITHOUT_BATCHES}); send one message per request.`,
  );
}

async function batchVersion(
  request: Request,
  batch: readonly unknown[],
  sessionVersion: SessionVersionLookup,
): Promise<string> {
  const header = request.headers.get('mcp-protocol-version');
  if (header !== null) return header;
  const initialize = batch.find(
    (message): message is { method: 'initialize'; params?: { protocolVersion?: unknown } } =>
      typeof message === 'object' &&
      message !== null &&
      (message as { method?: unknown }).method === 'initialize',
  );
  if (initialize) return negotiated(initialize.params?.protocolVersion);
  const sessionId = request.headers.get('mcp-session-id');
  const requested = sessionId ? await sessionVersion(sessionId) : undefined;
  return requested === undefined ? '2025-03-26' : negotiated(requested);
}

/** The version a server settles on for a client's request: that one if supported, else its latest. */
function negotiated(requested: unknown): string {
  return typeof requested === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(requested)
    ? requested
    : LATEST_PROTOCOL_VERSION;
}
