// Every tarball carries the MIT LICENSE (the root file, byte for byte): `npm pack --dry-run`
// lists exactly what a publish would upload, so a `files` list that drops it fails here.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { publishedPackages, root } from './packages.mjs';

const run = promisify(execFile);

test('the repository has an MIT LICENSE naming the toolwire contributors', async () => {
  const license = await readFile(join(root, 'LICENSE'), 'utf8');
  assert.match(license, /^MIT License/);
  assert.match(license, /Copyright \(c\) \d{4} toolwire contributors/);
});

test('every published package ships the same LICENSE in its tarball', async () => {
  const license = await readFile(join(root, 'LICENSE'), 'utf8');
  const packages = await publishedPackages();
  assert.ok(packages.length >= 6, `found only ${packages.length} published packages`);
  await Promise.all(
    packages.map(async ({ directory, manifest }) => {
      assert.equal(manifest.license, 'MIT', `${manifest.name}: "license" must be "MIT"`);
      assert.equal(
        await readFile(join(directory, 'LICENSE'), 'utf8'),
        license,
        `${manifest.name}: LICENSE differs from the repository's`,
      );
      const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: directory,
        shell: process.platform === 'win32',
      });
      const files = JSON.parse(stdout)[0].files.map((file) => file.path);
      assert.ok(
        files.includes('LICENSE'),
        `${manifest.name}: LICENSE is not in the tarball (${files.length} files)`,
      );
    }),
  );
});
