/**
 * Gives every HTTP request its own abort signal, following the one the SDK passed.
 *
 * The SDK v2 Streamable HTTP client passes one transport-wide `AbortSignal` to every POST, and
 * undici's `Request` adds an abort listener to the signal it is given that it only removes when the
 * request is garbage-collected. On a busy session the listeners pile up on that one signal (Node
 * prints `MaxListenersExceededWarning` after about 1,500 calls) and each new one joins an ever
 * longer list. Here the request gets a fresh signal that follows the shared one through one
 * listener of ours per shared signal (for every request on it), and leaves it as soon as the request is over: when `fetch` fails, when the response
 * has been read by the time it is returned (a bounded JSON reply), or when a streamed body ends or
 * is cancelled. Aborting the shared signal (closing the transport) still aborts every request and
 * every body still being read.
 *
 * Upstream, the transport would pass each POST a signal of its own (an `AbortSignal.any` of the
 * transport's signal and the request's, as it already does for 2026-07-28 per-request streams),
 * or undici would drop its listener when the body is done rather than on collection.
 */
import type { FetchLike } from '@modelcontextprotocol/client';

/**
 * Wraps `inner` (whose JSON responses are read whole before they are returned, `boundResponses`)
 * so that each request carries its own signal.
 */
export function ownRequestSignals(inner: FetchLike): FetchLike {
  return async (url, init) => {
    const shared = init?.signal;
    if (!shared || shared.aborted) return inner(url, init);
    const controller = new AbortController();
    const release = follow(shared, controller);
    let response: Response;
    try {
      response = await inner(url, { ...init, signal: controller.signal });
    } catch (error) {
      release();
      throw error;
    }
    // Redirects and auth challenges stay the very response objects the SDK and the auth layer see.
    if (!response.body || response.bodyUsed || !isStreamed(response) || isPassedAsIs(response.status)) {
      release();
      return response;
    }
    return withReleasingBody(response, release);
  };
}

/**
 * The requests in flight per shared signal, each shared signal holding one listener of ours for
 * all of them (a listener per request would make Node warn of a leak at 16 in flight).
 */
const followers = new WeakMap<AbortSignal, Set<AbortController>>();

/** `controller` aborts with `shared`; the returned function stops that (the request is over). */
function follow(shared: AbortSignal, controller: AbortController): () => void {
  let active = followers.get(shared);
  if (!active) {
    const controllers = new Set<AbortController>();
    active = controllers;
    followers.set(shared, controllers);
    shared.addEventListener(
      'abort',
      () => {
        for (const each of [...controllers]) each.abort(shared.reason);
        controllers.clear();
      },
      { once: true },
    );
  }
  const set = active;
  set.add(controller);
  return () => {
    set.delete(controller);
  };
}

/** Bodies read after `fetch` resolves: event streams, and anything not already read (error text). */
function isStreamed(response: Response): boolean {
  const type = response.headers.get('content-type') ?? '';
  // A JSON reply has been read whole by `boundResponses`; its body is a string in memory.
  return !(response.ok && type.toLowerCase().startsWith('application/json'));
}

function isPassedAsIs(status: number): boolean {
  return (status >= 300 && status < 400) || status === 401 || status === 403;
}

function withReleasingBody(response: Response, release: () => void): Response {
  const body = (response.body as ReadableStream<Uint8Array>).pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      flush: release,
      cancel: release,
    } as Transformer<Uint8Array, Uint8Array>),
  );
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
