/**
 * What `#node-http-fetch` resolves to on runtimes without `node:http` (workers, edge,
 * browsers): no Node fetch, so requests go through the global `fetch` as they always did.
 */
import type * as NodeHTTPFetch from '../transports/node-http-fetch.js';

export const createNodeHTTPFetch: typeof NodeHTTPFetch.createNodeHTTPFetch | undefined = undefined;
