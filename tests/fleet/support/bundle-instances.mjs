/**
 * Vitest global setup: one-file builds of the instance scripts (`instance-server.mjs`,
 * `gateway-instance.mjs`) in a temporary directory, named by FLEET_BUNDLE_DIR (inherited by the
 * test workers), which `startInstance` then runs. The suite starts some thirty instance processes,
 * and module loading was most of each one's start-up: bundled, the publisher instance's imports
 * cost 0.51 s of CPU instead of 0.94 s (December 2026). Same code: the built `@toolwire/*`
 * packages (not their sources) and the scripts, joined into one file each.
 *
 * esbuild is a devDependency of this package (the same version the runtimes suite bundles with).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

/** The scripts `startInstance` runs, bundled under their own file names. */
export const INSTANCE_SCRIPTS = ['instance-server.mjs', 'gateway-instance.mjs'];

/** Bundled code still finds Node's built-ins through `require` (ioredis and others are CommonJS). */
const requireBanner =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

export default async function setup() {
  const directory = mkdtempSync(join(tmpdir(), 'toolwire-fleet-instances-'));
  await Promise.all(
    INSTANCE_SCRIPTS.map((script) =>
      build({
        entryPoints: [fileURLToPath(new URL(`./${script}`, import.meta.url))],
        outfile: join(directory, script),
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        mainFields: ['module', 'main'],
        banner: { js: requireBanner },
        logLevel: 'error',
      }),
    ),
  );
  process.env.FLEET_BUNDLE_DIR = directory;
  return () => {
    delete process.env.FLEET_BUNDLE_DIR;
    rmSync(directory, { recursive: true, force: true });
  };
}
