/**
 * The era of a POST whose body is one plain 2025-era message, told without the SDK's classifier.
 * `isLegacyRequest` runs three Zod guards on every body (a result response and an error response,
 * which fail for a request and build their errors, then a request); on the sequential call path
 * that was the largest single cost of routing. A body that carries no `_meta` at all cannot carry
 * the 2026-07-28 envelope claim, and with no `MCP-Protocol-Version` header or a 2025-era one it is
 * legacy by the SDK's own rules: this recognises exactly those bodies, and leaves everything else
 * (batches, `_meta`, unusual keys or ids, other headers) to `isLegacyRequest`, which keeps the last
 * word on anything it might answer differently.
 */
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';

/** The first protocol revision of the per-request era (the SDK routes it to the modern handler). */
const FIRST_MODERN_VERSION = '2026-07-28';

/** 2025-era revisions the SDK serves, as the header would name them. */
const LEGACY_VERSIONS: ReadonlySet<string> = new Set(
  SUPPORTED_PROTOCOL_VERSIONS.filter((version) => version < FIRST_MODERN_VERSION),
);

/**
 * True when `body` (the parsed POST body) is one JSON-RPC request or notification without `_meta`
 * and `protocolVersionHeader` is absent or names a 2025-era revision: `isLegacyRequest` would say
 * true. False means "not known here", never "modern".
 */
export function isPlainLegacyMessage(body: unknown, protocolVersionHeader: string | null): boolean {
  if (protocolVersionHeader !== null && !LEGACY_VERSIONS.has(protocolVersionHeader)) return false;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const message = body as Record<string, unknown>;
  if (message.jsonrpc !== '2.0' || typeof message.method !== 'string') return false;
  for (const key in message) {
    if (key !== 'jsonrpc' && key !== 'id' && key !== 'method' && key !== 'params') return false;
  }
  const { id, params } = message;
  if (id !== undefined && typeof id !== 'string' && !Number.isSafeInteger(id)) return false;
  if (params === undefined) return true;
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return false;
  return !('_meta' in params);
}
