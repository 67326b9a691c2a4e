/**
 * Streamable HTTP only: fails a request at once when its own response stream ends without the
 * reply, instead of leaving it to its timeout.
 */
import type { JSONRPCMessage, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { faultReply } from '../transports/inbound-guard.js';

/**
 * Notices a request whose own response stream ended without its reply: a 2026-07-28 stream cut
 * mid-call, or a 2025 stream whose resumption was refused (409, 404) or kept failing. The SDK
 * reports that end (`onRequestStreamEnd`) but leaves the request waiting for its timeout; here it
 * fails at once with a fault reply. Only requests sent after the handshake are watched.
 */
export interface RequestStreamWatch {
  /** Starts watching; `fail` delivers a fault reply as if the server had sent it. */
  start(fail: (message: JSONRPCMessage) => void): void;
  /** Every inbound message, so a request whose reply arrived is no longer waiting. */
  seen(message: JSONRPCMessage): void;
}

const MAX_WATCHED_REQUESTS = 10_000;

export function watchRequestStreams(transport: StreamableHTTPClientTransport): RequestStreamWatch {
  const waiting = new Set<string | number>();
  let fail: ((message: JSONRPCMessage) => void) | undefined;
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    const request = message as { id?: unknown; method?: unknown };
    const id = request.id;
    if (!fail || typeof request.method !== 'string' || (typeof id !== 'string' && typeof id !== 'number')) {
      return send(message, options);
    }
    waiting.add(id);
    // Requests cancelled or timed out leave no trace otherwise: keep the set bounded.
    if (waiting.size > MAX_WATCHED_REQUESTS) waiting.delete(waiting.values().next().value as string | number);
    return send(message, {
      ...options,
      onRequestStreamEnd: () => {
        options?.onRequestStreamEnd?.();
        // Let a reply parsed from the same chunk settle first.
        queueMicrotask(() => {
          if (waiting.delete(id)) fail?.(faultReply(id, { kind: 'stream-ended' }));
        });
      },
    }).catch((error: unknown) => {
      waiting.delete(id);
      throw error;
    });
  };
  return {
    start(deliver) {
      fail = deliver;
    },
    seen(message) {
      const reply = message as { id?: unknown; method?: unknown };
      if (reply.method === undefined && (typeof reply.id === 'string' || typeof reply.id === 'number')) {
        waiting.delete(reply.id);
      }
    },
  };
}
