/**
 * Adds the publisher's own notifications to a 2026-07-28 `subscriptions/listen` stream (SEP-2575)
 * served by the SDK: the SDK's events pass through as they are, and once its acknowledgement (the
 * first event) has gone out, `onAck` may start writing more, stamped with the stream's
 * subscription id. What `onAck` returns, and `onEnd`, are called once when the stream ends (at
 * once for an answer that is not a stream).
 */
import { type ListenAck, readListenAck, SUBSCRIPTION_ID_KEY, sseFrame } from '../server/listen-frames.js';

/** Writes one notification into the stream (its `_meta` gains the subscription id). */
export type ListenWrite = (method: string, params?: Record<string, unknown>) => void;

export function tapListenStream(
  response: Response,
  onAck: (ack: ListenAck, write: ListenWrite) => (() => void) | undefined,
  onEnd?: () => void,
): Response {
  const type = response.headers.get('content-type') ?? '';
  if (!response.body || !type.includes('text/event-stream')) {
    onEnd?.();
    return response;
  }
  const reader = response.body.getReader();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let acknowledged = false;
  let stop: (() => void) | undefined;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    stop?.();
    onEnd?.();
  };
  const body = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
    },
    async pull() {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        end();
        controller.error(error);
        return;
      }
      if (chunk.done) {
        end();
        controller.close();
        return;
      }
      controller.enqueue(chunk.value);
      if (acknowledged || ended) return;
      // The SDK writes each SSE event as one chunk; the acknowledgement comes first.
      const ack = readListenAck(decoder.decode(chunk.value));
      if (!ack) return;
      acknowledged = true;
      const subscriptionId = ack.params._meta?.[SUBSCRIPTION_ID_KEY] ?? null;
      stop = onAck(ack, (method, params = {}) => {
        if (ended) return;
        const stamped = { ...params, _meta: { [SUBSCRIPTION_ID_KEY]: subscriptionId } };
        try {
          controller.enqueue(encoder.encode(sseFrame({ method, params: stamped })));
        } catch {
          end(); // The stream is already closed.
        }
      });
    },
    cancel(reason) {
      end();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
}
