// Builds the workspace packages when one was never built or changed since (turbo, output shown
// only on failure); does nothing when every `dist` is newer than its sources. `pnpm demo` and
// `pnpm toolwire` call it, so in CI, after the pipeline's own build, they never rebuild (and never
// rewrite a `dist` another test is reading).
//
//   node scripts/ensure-built.mjs                 # every package under packages/
//   import { ensureBuilt } from './ensure-built.mjs'; ensureBuilt(['core', 'cli'])
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds `packages/<name>` for each stale name, with what they depend on; exits on failure. */
export function ensureBuilt(names = allPackages()) {
  const stale = names.filter(isStale);
  if (stale.length === 0) return;
  const filters = stale.map((name) => `--filter=./packages/${name}...`);
  const build = spawnSync('turbo', ['run', 'build', ...filters, '--output-logs=errors-only'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: process.platform === 'win32',
  });
  if (build.status !== 0) {
    process.stderr.write(
      `${build.stdout ?? ''}${build.stderr ?? ''}${build.error ? `${build.error.message}\n` : ''}`,
    );
    process.stderr.write('building the packages failed (output above); try `pnpm install` first.\n');
    process.exit(build.status ?? 1);
  }
}

function allPackages() {
  return readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

/** True when a package was never built or a source file changed since (turbo is slow to ask). */
function isStale(name) {
  const directory = join(root, 'packages', name);
  let built;
  try {
    built = statSync(join(directory, 'dist', 'index.js')).mtimeMs;
  } catch {
    return true;
  }
  return (
    newestIn(join(directory, 'src')) > built || statSync(join(directory, 'package.json')).mtimeMs > built
  );
}

function newestIn(directory) {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureBuilt();
