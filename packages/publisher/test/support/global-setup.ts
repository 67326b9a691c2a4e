/**
 * Compiles the package once into `.tmp/dist-test` for tests that run a publisher in a child
 * process (stdio). A separate directory, so a concurrent `build` of `dist` is never disturbed.
 * JavaScript only and without type checking (`build` and `typecheck` check these sources): the
 * build config's project settings (composite, its build info file) are turned off for this copy.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(
    process.execPath,
    [
      tsc,
      '-p',
      'tsconfig.build.json',
      '--outDir',
      '.tmp/dist-test',
      '--noCheck',
      '--composite',
      'false',
      '--tsBuildInfoFile',
      'null',
      '--declaration',
      'false',
      '--declarationMap',
      'false',
      '--sourceMap',
      'false',
    ],
    { cwd: packageDir, stdio: 'inherit' },
  );
}
