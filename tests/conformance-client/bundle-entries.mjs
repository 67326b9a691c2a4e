/**
 * One-file builds of the processes every scenario starts: the suite's CLI and our client. A Node
 * process that imports a few hundred small modules spends most of its start-up resolving and
 * loading them (package.json reads, stats, one compile each), and each scenario starts two such
 * processes: bundled, the CLI costs about 0.55 s of CPU instead of 0.97 s and the client 0.39 s
 * instead of 0.61 s (December 2026, 65 scenarios). The code is the same: the CLI's own dist and
 * the client on @toolwire/core's built dist, only joined into one file each.
 *
 * esbuild is a devDependency of this package (the same version the runtimes suite bundles with).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { build } from 'esbuild';

/** Bundled code still finds Node's built-ins (and anything left external) through `require`. */
const requireBanner =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/**
 * Writes `entry` and what it imports as one ES module at `outfile`; resolves `outfile`.
 * `import.meta.url` keeps the entry's own URL: the 0.2.0 CLI reads its requirement sets from
 * `<package>/requirements`. tests/conformance-server bundles its CLIs and servers with it too.
 */
export async function bundle(entry, outfile) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // jsonc-parser's `main` is a UMD build that requires its parts at run time.
    mainFields: ['module', 'main'],
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(entry).href) },
    banner: { js: requireBanner },
    logLevel: 'error',
  });
  return outfile;
}

/**
 * Bundles the client and each CLI into `outDir`; resolves `{ client, clis }`, `clis` keyed by the
 * CLI's own path.
 */
export async function bundleEntries(outDir, clientEntry, cliEntries) {
  const [client, ...bundled] = await Promise.all([
    bundle(clientEntry, join(outDir, 'client.mjs')),
    ...cliEntries.map((cli, index) => bundle(cli, join(outDir, `cli-${index}.mjs`))),
  ]);
  return { client, clis: new Map(cliEntries.map((cli, index) => [cli, bundled[index]])) };
}
