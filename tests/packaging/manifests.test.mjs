// What the manifests promise users: subpaths are documented, and SDK dependencies are ranges
// (an exact pin gives an app that also depends on the SDK a second copy of it).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { publishedPackages } from './packages.mjs';

test('every /testing subpath is documented in its package README', async () => {
  let documented = 0;
  for (const { directory, manifest } of await publishedPackages()) {
    if (!manifest.exports?.['./testing']) continue;
    const readme = await readFile(join(directory, 'README.md'), 'utf8');
    assert.ok(
      readme.includes(`\`${manifest.name}/testing\``),
      `${manifest.name}: its README does not document ${manifest.name}/testing`,
    );
    documented++;
  }
  assert.ok(documented >= 2, 'expected the /testing subpaths of @toolwire/langchain and @toolwire/ai-sdk');
});

test('third-party dependencies are caret ranges, so apps dedupe them', async () => {
  for (const { manifest } of await publishedPackages()) {
    for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
      if (range.startsWith('workspace:')) continue;
      assert.match(
        range,
        /^\^\d/,
        `${manifest.name}: dependency ${name} is pinned as "${range}"; use a caret range`,
      );
    }
  }
});
