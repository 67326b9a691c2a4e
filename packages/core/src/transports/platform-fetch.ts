/**
 * The fetch core sends with when the registry is given no `fetch` option. On Node it is
 * `node-http-fetch.ts` (Node's `http` module: the cheaper client path for MCP requests), loaded
 * once by `createRegistry` through the `#node-http-fetch` import; elsewhere, and until it is
 * loaded, the global `fetch`. Node's path steps aside for whoever has taken over the global one:
 * when `globalThis.fetch` has been replaced (test interceptors, instrumentation) or undici's
 * global dispatcher is not its plain `Agent` (a `ProxyAgent`, `EnvHttpProxyAgent`, `MockAgent`
 * set with `setGlobalDispatcher`), requests go through the global `fetch` as before. Passing
 * `fetch: globalThis.fetch` to `createRegistry` keeps every request on undici.
 */
import type { FetchLike } from '@modelcontextprotocol/client';

/** Where undici keeps the dispatcher `setGlobalDispatcher` installs (shared by Node's and npm's undici). */
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

/** The global fetch as this module found it: a later replacement means someone wants theirs used. */
const originalFetch = globalThis.fetch;

let nodeFetch: FetchLike | undefined;
let loading: Promise<void> | undefined;

/** Sends on Node's path when it is loaded and nobody has taken over the global fetch. */
export const platformFetch: FetchLike = (url, init) =>
  nodeFetch !== undefined && globalFetchIsUntouched() ? nodeFetch(url, init) : globalThis.fetch(url, init);

/** Loads Node's path (once; a no-op on other runtimes, where the stub has none). */
export function loadPlatformFetch(): Promise<void> {
  loading ??= import('#node-http-fetch').then(
    ({ createNodeHTTPFetch }) => {
      nodeFetch = createNodeHTTPFetch?.();
    },
    () => {},
  );
  return loading;
}

function globalFetchIsUntouched(): boolean {
  if (globalThis.fetch !== originalFetch) return false;
  const dispatcher = (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER];
  return dispatcher === undefined || (dispatcher as object).constructor?.name === 'Agent';
}
