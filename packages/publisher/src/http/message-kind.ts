/**
 * The kind of a JSON-RPC message the session has already accepted (the transport, the fleet link
 * or `fastRequestOf` checked it) or that its own server wrote, told by its keys alone. The SDK's
 * `isJSONRPC…` guards run a schema parse each, and a parse that fails (every message of another
 * kind) is costly; on the per-request path they ran several times for every message.
 */
import type {
  JSONRPCErrorResponse,
  JSONRPCMessage,
  JSONRPCNotification,
  JSONRPCRequest,
  JSONRPCResultResponse,
} from '@modelcontextprotocol/server';

export function isRequestMessage(message: JSONRPCMessage): message is JSONRPCRequest {
  return 'method' in message && 'id' in message;
}

export function isNotificationMessage(message: JSONRPCMessage): message is JSONRPCNotification {
  return 'method' in message && !('id' in message);
}

export function isResponseMessage(
  message: JSONRPCMessage,
): message is JSONRPCResultResponse | JSONRPCErrorResponse {
  return !('method' in message) && ('result' in message || 'error' in message);
}

export function isErrorMessage(message: JSONRPCMessage): message is JSONRPCErrorResponse {
  return !('method' in message) && 'error' in message;
}
