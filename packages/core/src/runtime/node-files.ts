/**
 * Node-only: the file reads and path arithmetic that `loadConfig` and `serverJson` files need.
 * Reached through the `#node-files` import, which resolves here under the `node` condition and
 * to `node-files-unavailable.ts` everywhere else (workers, edge, browsers), so a bundler for
 * those targets never sees `node:fs`.
 */
export { readFile } from 'node:fs/promises';
export { dirname, isAbsolute, resolve } from 'node:path';
