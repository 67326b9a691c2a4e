/**
 * Response bodies that can be read whole without going through their web stream. The Node
 * transport fetch (`node-http-fetch.ts`) registers each response it makes here with a reader of
 * the socket's bytes; `bounded-fetch.ts` reads a JSON reply through it (same limit, same result
 * as reading the stream) and so skips the web stream's reader, its promises and its queue. The
 * registry lives in a module with no Node import so that the root entry can consult it anywhere.
 */

/** Reads a body as text, or `undefined` once it passes `limitBytes` (the rest is never read). */
export type DirectBodyReader = (limitBytes: number) => Promise<string | undefined>;

const readers = new WeakMap<Response, DirectBodyReader>();

/** Registers `response`'s direct reader (its body stream and this reader share one source). */
export function registerDirectBody(response: Response, reader: DirectBodyReader): void {
  readers.set(response, reader);
}

/**
 * The direct reader of `response`'s body, taken off the registry (a body is read once);
 * `undefined` for responses from any other fetch, or whose body has been touched already.
 */
export function takeDirectBody(response: Response): DirectBodyReader | undefined {
  const reader = readers.get(response);
  if (reader === undefined) return undefined;
  readers.delete(response);
  return response.bodyUsed ? undefined : reader;
}
