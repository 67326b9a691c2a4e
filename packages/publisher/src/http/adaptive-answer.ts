/**
 * Streamable HTTP lets the server answer each POST either with one `application/json` body or
 * with a `text/event-stream` (MCP 2025-11-25 and 2026-07-28, "Sending Messages to the Server").
 * The SDK's transports always open a stream (with a priming event when resumability is on). This
 * reads the stream's first events and, when the answer is complete before anything else was said
 * for the request (no progress, log, or server-to-client request) and within a short hold, sends
 * it as one JSON body instead: the client parses one JSON document rather than an event stream,
 * and the server writes one chunk. Otherwise the stream goes out exactly as the SDK made it
 * (priming event first, so resumability is untouched), from the first message that needs a
 * stream, or once the hold is over.
 */

/** How long a POST's answer is held back waiting to be complete before it goes out as a stream. */
export const ANSWER_HOLD_MS = 50;

export type SettledAnswer =
  /** The complete answer: one JSON-RPC response (an array of them for a batch). */
  | { form: 'json'; text: string }
  /** The SDK's stream, unchanged from its first byte. */
  | { form: 'stream'; body: ReadableStream<Uint8Array> };

export interface SettleOptions {
  /** The POST carried a JSON-RPC batch: a JSON answer is then an array, even of one response. */
  batch: boolean;
  holdMs: number;
  /** Aborts when the client goes away: reading stops and the SDK's stream is cancelled. */
  signal?: AbortSignal | undefined;
  /** Runs at once (synchronously) when the answer is bound to go out as a stream. */
  onStreaming?: (() => void) | undefined;
}

const HELD = Symbol('held');

/** Reads `source` (an SDK SSE answer) until it knows which form the answer takes. */
export async function settleAnswer(
  source: ReadableStream<Uint8Array>,
  options: SettleOptions,
): Promise<SettledAnswer> {
  const reader = source.getReader();
  const head: Uint8Array[] = [];
  const answers: string[] = [];
  const decoder = new TextDecoder();
  let pending = '';
  let reading: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const held = new Promise<typeof HELD>((resolve) => {
    timer = setTimeout(() => {
      options.onStreaming?.();
      resolve(HELD);
    }, options.holdMs);
  });
  const cancel = () => void reader.cancel(new Error('The client disconnected.')).catch(() => {});
  options.signal?.addEventListener('abort', cancel, { once: true });
  const asStream = (): SettledAnswer => {
    options.onStreaming?.();
    return { form: 'stream', body: replay(head, reading, reader) };
  };
  try {
    if (options.signal?.aborted) cancel();
    for (;;) {
      reading = reader.read();
      const next = await Promise.race([reading, held]);
      if (next === HELD) return asStream();
      reading = undefined;
      if (next.done) {
        const text = joinAnswers(answers, options.batch);
        if (text === undefined || pending.trim() !== '') return asStream();
        return { form: 'json', text };
      }
      head.push(next.value);
      pending += decoder.decode(next.value, { stream: true });
      for (let end = pending.indexOf('\n\n'); end !== -1; end = pending.indexOf('\n\n')) {
        const data = eventData(pending.slice(0, end));
        pending = pending.slice(end + 2);
        // A priming event (resumability) or a keep-alive comment says nothing yet.
        if (data === undefined || data === '') continue;
        if (!isResponse(data)) return asStream();
        answers.push(data);
      }
    }
  } catch (error) {
    // The stream failed before it said anything the client must hear: let it fail on the wire.
    head.length = 0;
    options.onStreaming?.();
    return { form: 'stream', body: failed(error) };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', cancel);
  }
}

/** The `data` of one SSE event (its `data:` lines joined), `undefined` when it has none. */
function eventData(event: string): string | undefined {
  let data: string | undefined;
  for (const line of event.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const value = line.charCodeAt(5) === 0x20 ? line.slice(6) : line.slice(5);
    data = data === undefined ? value : `${data}\n${value}`;
  }
  return data;
}

/** A JSON-RPC response (result or error), not a request or notification. */
function isResponse(data: string): boolean {
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    return false;
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return false;
  return !('method' in message) && 'id' in message && ('result' in message || 'error' in message);
}

function joinAnswers(answers: readonly string[], batch: boolean): string | undefined {
  if (answers.length === 0) return undefined;
  if (batch) return `[${answers.join(',')}]`;
  return answers.length === 1 ? answers[0] : undefined;
}

/** The chunks already read, the read still under way, then the rest of `reader`. */
function replay(
  head: readonly Uint8Array[],
  reading: Promise<ReadableStreamReadResult<Uint8Array>> | undefined,
  reader: ReadableStreamDefaultReader<Uint8Array>,
): ReadableStream<Uint8Array> {
  let inFlight = reading;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of head) controller.enqueue(chunk);
    },
    async pull(controller) {
      const next = await (inFlight ?? reader.read());
      inFlight = undefined;
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

function failed(error: unknown): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.error(error);
    },
  });
}
