/**
 * Adds the publisher's own notifications to a 2026-07-28 `subscriptions/listen` stream (SEP-2575)
 * served by the SDK: the SDK's events pass through as they are (through `passListenStream`, the one
 * pass-through), and once its acknowledgement (the first event) has gone out, `onAck` may start
 * writing more, stamped with the stream's subscription id. What `onAck` returns, and `onEnd`, are
 * called once when the stream ends (at once for an answer that is not a stream).
 */
import { type ListenAck, readListenAck, SUBSCRIPTION_ID_KEY, sseFrame } from '../server/listen-frames.js';
import { passListenStream } from '../server/listen-stream.js';

/** Writes one notification into the stream (its `_meta` gains the subscription id). */
export type ListenWrite = (method: string, params?: Record<string, unknown>) => void;

export function tapListenStream(
  response: Response,
  onAck: (ack: ListenAck, write: ListenWrite) => (() => void) | undefined,
  onEnd?: () => void,
): Response {
  let acknowledged = false;
  let stop: (() => void) | undefined;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    stop?.();
    onEnd?.();
  };
  const passed = passListenStream(response, {
    chunk(chunk, writer) {
      writer.enqueue(chunk);
      if (acknowledged || ended) return;
      // The SDK writes each SSE event as one chunk; the acknowledgement comes first.
      const ack = readListenAck(writer.text(chunk));
      if (!ack) return;
      acknowledged = true;
      const subscriptionId = ack.params._meta?.[SUBSCRIPTION_ID_KEY] ?? null;
      stop = onAck(ack, (method, params = {}) => {
        if (ended) return;
        const stamped = { ...params, _meta: { [SUBSCRIPTION_ID_KEY]: subscriptionId } };
        // A stream already closed ends the tap.
        if (!writer.write(sseFrame({ method, params: stamped }))) end();
      });
    },
    done(writer) {
      end();
      writer.close();
    },
    failed: end,
    cancelled: end,
  });
  if (passed) return passed;
  end();
  return response;
}
