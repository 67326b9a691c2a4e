// A peer range's lower bound is a version tests/peer-ranges installs (under an npm alias) and
// runs the package's key paths against, so no range promises a version nobody tried. Ranges
// are caret ranges joined by ||: open-ended ones (>=5) would promise majors not yet written.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { publishedPackages, root } from './packages.mjs';

/** The peers tests/peer-ranges covers; ioredis's lower bound is not installed there. */
const covered = ['ai', '@langchain/core', 'zod'];

async function testedVersions() {
  const manifest = JSON.parse(await readFile(join(root, 'tests', 'peer-ranges', 'package.json'), 'utf8'));
  const versions = new Map(covered.map((peer) => [peer, []]));
  for (const spec of Object.values(manifest.devDependencies)) {
    const alias = /^npm:(@?[^@]+)@(\d+\.\d+\.\d+)$/.exec(spec);
    if (alias && versions.has(alias[1])) versions.get(alias[1]).push(alias[2]);
  }
  return versions;
}

function compare(left, right) {
  const a = left.split('.').map(Number);
  const b = right.split('.').map(Number);
  for (let index = 0; index < 3; index++) if (a[index] !== b[index]) return a[index] - b[index];
  return 0;
}

test('every peer range is caret ranges, its lower bound tested in tests/peer-ranges', async () => {
  const tested = await testedVersions();
  let checked = 0;
  for (const { manifest } of await publishedPackages()) {
    for (const [peer, range] of Object.entries(manifest.peerDependencies ?? {})) {
      const parts = range.split('||').map((part) => part.trim());
      for (const part of parts) {
        assert.match(
          part,
          /^\^\d+\.\d+\.\d+$/,
          `${manifest.name}: peer ${peer} "${range}" is not caret ranges`,
        );
      }
      if (!covered.includes(peer)) continue;
      const lowest = parts.map((part) => part.slice(1)).sort(compare)[0];
      assert.ok(
        tested.get(peer).includes(lowest),
        `${manifest.name}: peer ${peer} starts at ${lowest}, but tests/peer-ranges installs ${tested.get(peer).join(', ') || 'none'}`,
      );
      checked++;
    }
  }
  assert.ok(checked >= 5, `checked only ${checked} peer ranges`);
});
