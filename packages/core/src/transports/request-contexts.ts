/**
 * Which caller an HTTP request belongs to, so a `headers` function sees the current caller's
 * context even on a connection every caller shares. A request carries a private marker header
 * (set through the SDK's per-request `headers` option); the fetch wrapper takes the marker off
 * before anything is sent and looks up the caller it stands for. Requests no caller made (the
 * handshake, listing, the event stream) carry none and get the connection's own context.
 */

/** The marker header; it never leaves the process. */
export const REQUEST_CONTEXT_HEADER = 'x-toolwire-request-context';

/** What a `headers` function learns about the caller of one request. */
export interface CallerContext {
  sessionKey: string | undefined;
}

export class RequestContexts {
  private counter = 0;
  private readonly byToken = new Map<string, CallerContext>();

  /** Registers a running request's caller; pass the token as the marker header's value. */
  enter(context: CallerContext): string {
    const token = String(++this.counter);
    this.byToken.set(token, context);
    return token;
  }

  /** The request finished: forget its caller. */
  leave(token: string): void {
    this.byToken.delete(token);
  }

  /**
   * Removes the marker from `headers` and returns the caller it names; `undefined` when the
   * request carried none (or its call already ended).
   */
  take(headers: Headers): CallerContext | undefined {
    const token = headers.get(REQUEST_CONTEXT_HEADER);
    if (token === null) return undefined;
    headers.delete(REQUEST_CONTEXT_HEADER);
    return this.byToken.get(token);
  }
}
