/**
 * The page's server-sent event stream: a full `state` snapshot first (so a page that reconnects
 * is current again without a second request), then the live feed. A client that stops reading is
 * dropped once about a megabyte waits for it (its page reconnects and gets a fresh snapshot), and
 * a comment every 15 s keeps proxies from closing an idle stream.
 */
import type { FeedEvent, LiveFeed } from '../state/live-feed.js';

const HEARTBEAT_MS = 15_000;
const MAX_QUEUED_BYTES = 1024 * 1024;

export interface EventStreamOptions {
  feed: LiveFeed;
  snapshot: () => unknown;
  /** Aborted when the handler closes: every stream ends. */
  closed: AbortSignal;
  /** Aborted when the client goes away (the request's signal). */
  clientGone: AbortSignal;
  headers: Record<string, string>;
}

export function eventStreamResponse(options: EventStreamOptions): Response {
  const encoder = new TextEncoder();
  let cleanup: (() => void) | undefined;
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let done = false;
        let unsubscribe: (() => void) | undefined;
        let heartbeat: ReturnType<typeof setInterval> | undefined;
        const finish = () => {
          if (done) return;
          done = true;
          cleanup?.();
          try {
            controller.close();
          } catch {
            // already closed or errored
          }
        };
        cleanup = () => {
          unsubscribe?.();
          clearInterval(heartbeat);
          options.closed.removeEventListener('abort', finish);
          options.clientGone.removeEventListener('abort', finish);
        };
        const write = (text: string) => {
          if (done) return;
          // More than the limit already waits for this client: it stopped reading. (The first
          // snapshot is always sent, however large the catalogue.)
          if ((controller.desiredSize ?? 0) < 0) {
            finish();
            return;
          }
          controller.enqueue(encoder.encode(text));
        };
        const sendEvent = (event: FeedEvent | { event: 'state'; data: unknown }) =>
          write(`event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
        if (options.closed.aborted || options.clientGone.aborted) {
          finish();
          return;
        }
        options.closed.addEventListener('abort', finish);
        options.clientGone.addEventListener('abort', finish);
        write('retry: 2000\n\n');
        sendEvent({ event: 'state', data: options.snapshot() });
        if (done) return;
        unsubscribe = options.feed.subscribe(sendEvent);
        heartbeat = setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS);
      },
      cancel() {
        cleanup?.();
      },
    },
    { highWaterMark: MAX_QUEUED_BYTES, size: (chunk) => chunk.byteLength },
  );
  return new Response(body, {
    status: 200,
    headers: {
      ...options.headers,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    },
  });
}
