// Every package's vitest run keeps the schema cache in a temporary directory (the global setup
// in packages/core/test/support/temp-cache-dir.ts), so `pnpm test` and `pnpm test:all` write nothing to
// ~/.cache/toolwire; core's own test/temp-cache-dir.test.ts checks that the setup works.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { root } from './packages.mjs';

test('every package’s vitest config installs the temporary schema cache', async () => {
  let configs = 0;
  for (const entry of await readdir(join(root, 'packages'), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const config = await readFile(join(root, 'packages', entry.name, 'vitest.config.ts'), 'utf8').catch(
      () => undefined,
    );
    if (config === undefined) continue;
    configs++;
    assert.match(
      config,
      /globalSetup:\s*\[\s*'(?:\.\/|\.\.\/core\/)test\/support\/temp-cache-dir\.ts'/,
      `packages/${entry.name}/vitest.config.ts does not start with the temporary schema cache setup`,
    );
  }
  assert.ok(configs >= 6, `found only ${configs} vitest configs`);
});
