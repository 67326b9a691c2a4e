/**
 * The one pass-through the publisher puts around the SDK's `subscriptions/listen` SSE stream to
 * add events of its own (resource updates for one caller, task status notifications): the SDK's
 * chunks are read one at a time as the client pulls, and handed to the caller's hooks, which pass
 * them on, change or hold them, and write their own events between them.
 */

/** The client's side of the stream, as the hooks see it. */
export interface ListenStreamWriter {
  /** Passes a chunk on as it is. */
  enqueue(chunk: Uint8Array): void;
  /** Writes one SSE event of our own; false when the stream is already closed. */
  write(text: string): boolean;
  /** Ends the stream (nothing happens when it already ended). */
  close(): void;
  /** `chunk` as text (the SDK writes each SSE event as one chunk). */
  text(chunk: Uint8Array): string;
}

export interface ListenStreamHooks {
  /** One chunk of the SDK's stream; pass it on with `writer.enqueue`, or not. */
  chunk(chunk: Uint8Array, writer: ListenStreamWriter): void;
  /** The SDK's stream ended; close the writer, or hold it open (the returned promise keeps the read pending). */
  done(writer: ListenStreamWriter): void | Promise<void>;
  /** The SDK's stream failed (the client's stream fails with it). */
  failed(): void;
  /** The client went away. */
  cancelled(): void;
}

/**
 * `response` with its SSE body run through `hooks`, or `undefined` when it is not an SSE stream
 * (an error answer, say): then nothing was read.
 */
export function passListenStream(response: Response, hooks: ListenStreamHooks): Response | undefined {
  const type = response.headers.get('content-type') ?? '';
  if (!response.body || !type.includes('text/event-stream')) return undefined;
  const reader = response.body.getReader();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let writer!: ListenStreamWriter;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      writer = {
        enqueue: (chunk) => controller.enqueue(chunk),
        write(text) {
          try {
            controller.enqueue(encoder.encode(text));
            return true;
          } catch {
            return false;
          }
        },
        close() {
          try {
            controller.close();
          } catch {
            // Already closed or cancelled.
          }
        },
        text: (chunk) => decoder.decode(chunk),
      };
    },
    async pull(controller) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        hooks.failed();
        controller.error(error);
        return;
      }
      if (chunk.done) return hooks.done(writer);
      hooks.chunk(chunk.value, writer);
    },
    cancel(reason) {
      hooks.cancelled();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
}
