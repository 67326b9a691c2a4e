/**
 * Where test fixtures and the pinned reference servers live on disk. Paths are resolved from
 * this file, so other workspace packages can import these helpers by relative path and still
 * start the servers installed in `@toolwire/core`'s own devDependencies (no `npx`, no network).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** `packages/core`. */
export const coreRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `packages/core/test/fixtures`. */
export const fixturesDir = join(coreRoot, 'test', 'fixtures');

/** Absolute path of a file in `test/fixtures`. */
export function fixturePath(file: string): string {
  return join(fixturesDir, file);
}

/** The preload that forces every `listen()` in a process onto 127.0.0.1 (for `node --import`). */
export const loopbackOnlyPreload = fixturePath('loopback-only.mjs');

/**
 * The preload that lets a child Node 22 process import `src/*.ts` directly (`node --import`):
 * types are stripped by Node, `./x.js` imports resolve to `./x.ts`.
 */
export const sourceLoaderPreload = fixturePath('source-register.mjs');

/**
 * The Node options, before the script, of a child process that runs workspace sources (`src/*.ts`)
 * across packages: their source export condition, the loader above, and type transforms, which
 * the publisher's parameter properties need (type stripping alone refuses them).
 */
export const sourceNodeArgs: readonly string[] = [
  '--conditions=@toolwire/source',
  '--experimental-transform-types',
  '--no-warnings',
  '--import',
  sourceLoaderPreload,
];

/** Absolute path of a file inside an installed package, e.g. `packageFile('@modelcontextprotocol/server-memory', 'dist/index.js')`. */
export function packageFile(packageName: string, relativePath: string): string {
  return join(dirname(require.resolve(`${packageName}/package.json`)), relativePath);
}
