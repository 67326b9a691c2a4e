// `pnpm toolwire …`: the CLI from this checkout. The name `toolwire` on the npm registry is not
// ours, so the README never says `npx toolwire`. Builds the CLI and the packages it uses when
// they changed (see ensure-built.mjs), then runs it with the arguments given, in the directory
// pnpm was called from (pnpm runs scripts from the repository root and passes the caller's
// directory as INIT_CWD).
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBuilt } from './ensure-built.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
ensureBuilt(['core', 'publisher', 'inspector', 'cli']);
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pnpm for this script, not a turbo task input.
process.chdir(process.env.INIT_CWD ?? process.cwd());
await import(pathToFileURL(join(root, 'packages', 'cli', 'dist', 'bin.js')).href);
