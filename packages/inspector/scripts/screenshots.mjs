// Refreshes the committed screenshots (docs/images/inspect-*.png, shown in the CLI README): runs
// the browser tests, which write them to .artifacts/ on every run, then copies them over.
// Run by hand after changing the page: pnpm --filter @toolwire/inspector screenshots
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDirectory = dirname(dirname(fileURLToPath(import.meta.url)));
const artifacts = join(packageDirectory, '.artifacts');
const images = join(packageDirectory, '..', '..', 'docs', 'images');

execFileSync('pnpm', ['exec', 'vitest', 'run', 'test/inspector.browser.test.ts'], {
  cwd: packageDirectory,
  stdio: 'inherit',
});
mkdirSync(images, { recursive: true });
const shots = readdirSync(artifacts).filter((name) => /^inspect-.*\.png$/.test(name));
if (shots.length === 0) throw new Error(`no screenshots in ${artifacts}: did the browser tests run?`);
for (const name of shots) copyFileSync(join(artifacts, name), join(images, name));
console.log(`copied ${shots.join(', ')} to ${images}`);
