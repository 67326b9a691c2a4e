// `pnpm toolwire …`: the CLI from this checkout. The name `toolwire` on the npm registry is not
// ours, so the README never says `npx toolwire`. Builds the CLI and the packages it uses (turbo;
// from its cache after the first time, with the build's output shown only when it fails), then
// runs it with the arguments given, in the directory pnpm was called from (pnpm runs scripts
// from the repository root and passes the caller's directory as INIT_CWD).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The CLI and the workspace packages it imports. */
const packages = ['core', 'publisher', 'inspector', 'cli'];

if (packages.some(isStale)) buildCli();
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pnpm for this script, not a turbo task input.
process.chdir(process.env.INIT_CWD ?? process.cwd());
await import(pathToFileURL(join(root, 'packages', 'cli', 'dist', 'bin.js')).href);

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

function buildCli() {
  const build = spawnSync('turbo', ['run', 'build', '--filter=toolwire...', '--output-logs=errors-only'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: process.platform === 'win32',
  });
  if (build.status !== 0) {
    process.stderr.write(
      `${build.stdout ?? ''}${build.stderr ?? ''}${build.error ? `${build.error.message}\n` : ''}`,
    );
    process.stderr.write('toolwire: building the CLI failed (output above); try `pnpm install` first.\n');
    process.exit(build.status ?? 1);
  }
}
