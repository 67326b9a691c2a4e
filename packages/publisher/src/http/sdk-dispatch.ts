/**
 * Hands one JSON-RPC request straight to an SDK server's protocol layer, as the transport's
 * `onmessage` would after its message-kind checks. Those checks are schema parses that fail for
 * every kind but the last tried (a response and an error response, before a request), and a
 * failing parse is costly; a fast answer (`fast-answer.ts`) already knows it holds a request.
 * This reads `Protocol._onrequest` of `@modelcontextprotocol/server` (2.4.x); should a later SDK
 * not have it, the request goes through `onmessage` as before.
 */
import type {
  JSONRPCRequest,
  McpServer,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';

type Extra = Parameters<NonNullable<WebStandardStreamableHTTPServerTransport['onmessage']>>[1];

interface ProtocolInternals {
  _onrequest?: (request: JSONRPCRequest, extra: Extra) => void;
}

/**
 * Dispatches `request` to `server`; `observe` runs first, as the session's own `onmessage` hook
 * runs before the protocol's.
 */
export function dispatchRequest(
  server: McpServer,
  transport: WebStandardStreamableHTTPServerTransport,
  request: JSONRPCRequest,
  extra: Extra,
  observe: (request: JSONRPCRequest, extra: Extra) => void,
): void {
  const protocol = server.server as unknown as ProtocolInternals;
  if (typeof protocol._onrequest !== 'function') {
    transport.onmessage?.(request, extra);
    return;
  }
  observe(request, extra);
  protocol._onrequest(request, extra);
}
