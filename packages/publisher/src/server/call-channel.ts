/**
 * What a tool call knows about the HTTP exchange that carries it. The HTTP layer attaches a
 * channel to each POST it hands to the SDK; the SDK gives the same `Request` back to the call as
 * `ctx.http.req`, so the call finds its channel here: a gate that holds the tool's progress and
 * log messages while the client is not reading its response stream. (Disconnects need no channel:
 * the SDK aborts the call's own signal where the protocol era makes a disconnect a cancellation.)
 * stdio has no channel.
 */

export interface CallChannel {
  /**
   * Resolves when the response stream has room for another message: at once when it has, or
   * when the stream is gone; otherwise once the client has read enough, or when `signal` aborts.
   */
  writable(signal: AbortSignal): Promise<void>;
  /**
   * True while an answer sent now still goes out as one JSON body (`adaptive-answer.ts`): the
   * exchange has not turned into a stream yet. Such an answer can never be resumed.
   */
  answersInOneBody(): boolean;
}

const channels = new WeakMap<object, CallChannel>();

/** Attaches the channel of the exchange that carries `request`. */
export function attachChannel(request: Request, channel: CallChannel): void {
  channels.set(request, channel);
}

/** The channel of the exchange that carries `request` (the SDK context's `http.req`), if any. */
export function channelOf(request: unknown): CallChannel | undefined {
  return typeof request === 'object' && request !== null ? channels.get(request) : undefined;
}
