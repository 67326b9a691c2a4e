/**
 * Progress and log notifications taken off a transport in wire order, before the SDK sees the
 * message: the SDK dispatches notifications a tick later than responses and drops the last
 * progress update of a call that finishes right after sending it. Our calls carry their own
 * progress token; a notification for anyone else goes on to the SDK.
 */
import type { Transport } from '@modelcontextprotocol/client';
import type { RequestStreamWatch } from './request-stream-watch.js';

/** A call's progress listener. */
export type ProgressListener = (progress: { progress: number; total?: number; message?: string }) => void;

/** Where the routed notifications go. */
export interface WireOrderRouting {
  /** A `notifications/message`'s params (the call it was sent during is still running). */
  deliverLog(params: unknown): void;
  /** The listener of the call that owns `token`, if it is one of ours. */
  progressListener(token: string): ProgressListener | undefined;
}

/** Wraps `transport.onmessage` so progress and logs are routed before the SDK dispatches. */
export function routeInWireOrder(
  transport: Transport,
  streams: RequestStreamWatch | undefined,
  routing: WireOrderRouting,
): void {
  const deliver = transport.onmessage;
  streams?.start((message) => deliver?.(message));
  transport.onmessage = (message, extra) => {
    streams?.seen(message);
    const candidate = message as { method?: unknown; params?: { progressToken?: unknown } };
    if (candidate.method === 'notifications/message') {
      // Here, in wire order, the call it was sent during is still running (see above).
      routing.deliverLog(candidate.params);
      return;
    }
    if (
      candidate.method === 'notifications/progress' &&
      typeof candidate.params?.progressToken === 'string'
    ) {
      const listener = routing.progressListener(candidate.params.progressToken);
      if (listener) {
        const {
          progress,
          total,
          message: text,
        } = candidate.params as { progress: number; total?: number; message?: string };
        listener({
          progress,
          ...(total === undefined ? {} : { total }),
          ...(text === undefined ? {} : { message: text }),
        });
        return;
      }
    }
    deliver?.(message, extra);
  };
}
