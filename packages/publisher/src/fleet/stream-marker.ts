/**
 * The first event of a request's stream in a fleet: a notification kept in the event store (never
 * sent to the client) naming the instance that runs the stream's requests and their ids, so an
 * instance relaying the stream after a resumption knows whom to watch and what to answer if
 * that instance dies.
 */
import type { JSONRPCMessage } from '@modelcontextprotocol/server';

export const STREAM_MARKER_METHOD = 'notifications/toolwire/stream-opened';

export interface StreamMarker {
  instanceId: string;
  requestIds: (string | number)[];
}

export function streamMarker(marker: StreamMarker): JSONRPCMessage {
  return { jsonrpc: '2.0', method: STREAM_MARKER_METHOD, params: { ...marker } };
}

/** The marker's content when `message` is one. */
export function readStreamMarker(message: JSONRPCMessage): StreamMarker | undefined {
  if (!('method' in message) || message.method !== STREAM_MARKER_METHOD || 'id' in message) return undefined;
  const params = (message.params ?? {}) as Partial<StreamMarker>;
  if (typeof params.instanceId !== 'string' || !Array.isArray(params.requestIds)) return undefined;
  return {
    instanceId: params.instanceId,
    requestIds: params.requestIds.filter((id) => typeof id === 'string' || typeof id === 'number'),
  };
}
