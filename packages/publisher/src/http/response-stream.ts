/**
 * The body of a POST's response on its way from the SDK to the client. The SDK's transports
 * enqueue every SSE message at once, without regard for a client that is not reading, so a tool
 * streaming progress to such a client would grow the server's memory without bound. Here each
 * SSE response gets a bounded buffer: its messages are moved out of the SDK's stream as they
 * come and held, counted in bytes, until the client reads them; while more than the bound is
 * held, the calls answering on this stream wait in `progress()` / `log()` (the `CallChannel`
 * gate). Node's listener stops reading from this body while the socket is full, so the
 * backpressure reaches from the client's TCP window to the tool.
 *
 * It also tells when the exchange is over (body fully sent, or abandoned by the client), which
 * graceful shutdown waits for. When the request's signal aborts (Node: the client's connection
 * closed) the SDK's stream is cancelled at once rather than at its next write, so a 2025-session
 * client can resume it (`Last-Event-ID`) right away instead of getting 409 for a stream the
 * server still thinks is connected.
 */
import type { CallChannel } from '../server/call-channel.js';
import { settleAnswer } from './adaptive-answer.js';
import { alsoWhenSent, plainResponse } from './plain-answer.js';

/** Bytes held per response stream before the calls writing to it wait. */
export const DEFAULT_MAX_BUFFERED_BYTES_PER_STREAM = 256 * 1024;

/** Headers the SDK sets for an event stream that a JSON answer does not want. */
const STREAM_ONLY_HEADERS = ['cache-control', 'connection', 'x-accel-buffering'];

export class ResponseExchange implements CallChannel {
  private controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  private readonly waiters = new Set<() => void>();
  private streamEnded = false;
  private finished = false;
  private cancelSource: (() => void) | undefined;
  /** Set once the answer is bound to go out as a stream. */
  private streaming = false;

  /**
   * `onFinished` runs once the response has been fully sent or abandoned; `requestSignal` is the
   * request's signal, which aborts when the client goes away.
   */
  constructor(
    private readonly onFinished: () => void,
    private readonly requestSignal?: AbortSignal,
  ) {}

  answersInOneBody(): boolean {
    return !this.streaming;
  }

  writable(signal: AbortSignal): Promise<void> {
    if (this.hasRoom() || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const release = () => {
        signal.removeEventListener('abort', release);
        this.waiters.delete(release);
        resolve();
      };
      this.waiters.add(release);
      signal.addEventListener('abort', release, { once: true });
    });
  }

  /**
   * The response to send instead of `response`: bounded when it streams, tracked either way. With
   * `adapt`, an SSE answer that is complete before anything else is said goes out as one JSON
   * body (`adaptive-answer.ts`).
   */
  async wrap(
    response: Response,
    maxBufferedBytes: number,
    adapt?: { batch: boolean; holdMs: number },
  ): Promise<Response> {
    // Already one JSON body in hand (a fast answer): tracked as it is, never read back as a stream.
    if (alsoWhenSent(response, () => this.finish())) return response;
    if (!response.body) {
      this.finish();
      return response;
    }
    const streams = (response.headers.get('content-type') ?? '').includes('text/event-stream');
    let source: ReadableStream<Uint8Array> = response.body;
    if (streams && adapt) {
      const settled = await settleAnswer(source, {
        ...adapt,
        signal: this.requestSignal,
        onStreaming: () => {
          this.streaming = true;
        },
      });
      if (settled.form === 'json') return this.plain(response, settled.text);
      source = settled.body;
    }
    this.streaming = true;
    const body = streams ? this.bounded(source, maxBufferedBytes) : source;
    const signal = this.requestSignal;
    if (signal) {
      const abandon = () => this.cancelSource?.();
      if (signal.aborted) queueMicrotask(abandon);
      else signal.addEventListener('abort', abandon, { once: true });
    }
    return new Response(this.tracked(body), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  }

  /**
   * Shutdown need not wait for this exchange: a subscription stream, which answers no request and
   * is ended by closing the handler after the drain. (`onFinished` may run twice: it is idempotent.)
   */
  release(): void {
    this.onFinished();
  }

  /** `response`'s answer as one JSON body, with its status and headers (but for the stream's own). */
  private plain(response: Response, text: string): Response {
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!STREAM_ONLY_HEADERS.includes(name)) headers[name] = value;
    });
    headers['content-type'] = 'application/json';
    return plainResponse(text, response.status, headers, () => this.finish());
  }

  /** Before the SDK answers (and after the stream ends) nothing is held back here. */
  private hasRoom(): boolean {
    return this.streamEnded || this.controller === undefined || (this.controller.desiredSize ?? 1) > 0;
  }

  private wake(): void {
    for (const release of [...this.waiters]) release();
  }

  private endStream(): void {
    this.streamEnded = true;
    this.wake();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.endStream();
    this.onFinished();
  }

  /** Moves the SDK's messages into a byte-counted queue as soon as they are written. */
  private bounded(source: ReadableStream<Uint8Array>, maxBufferedBytes: number): ReadableStream<Uint8Array> {
    const reader = source.getReader();
    this.cancelSource = () => void reader.cancel(new Error('The client disconnected.')).catch(() => {});
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
          void this.pump(reader, controller);
        },
        // Called when the client has read and the queue is below the bound again.
        pull: () => this.wake(),
        cancel: (reason) => {
          this.endStream();
          return reader.cancel(reason).catch(() => {});
        },
      },
      { highWaterMark: maxBufferedBytes, size: (chunk) => chunk.byteLength },
    );
  }

  private async pump(
    reader: ReadableStreamDefaultReader<Uint8Array>,
    controller: ReadableStreamDefaultController<Uint8Array>,
  ): Promise<void> {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || this.streamEnded) break;
        controller.enqueue(value);
      }
      controller.close();
    } catch (error) {
      try {
        controller.error(error);
      } catch {
        // Already cancelled by the client.
      }
    } finally {
      this.endStream();
    }
  }

  /** Reads lazily from `source` and calls `finish` when it is fully read, fails or is cancelled. */
  private tracked(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    const reader = source.getReader();
    this.cancelSource ??= () => void reader.cancel(new Error('The client disconnected.')).catch(() => {});
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        try {
          const { value, done } = await reader.read();
          if (done) {
            this.finish();
            controller.close();
          } else controller.enqueue(value);
        } catch (error) {
          this.finish();
          controller.error(error);
        }
      },
      cancel: (reason) => {
        this.finish();
        return reader.cancel(reason);
      },
    });
  }
}
