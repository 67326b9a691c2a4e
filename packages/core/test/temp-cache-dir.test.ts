/**
 * The test run's default schema cache is a temporary directory (vitest global setup), never
 * the user's ~/.cache/toolwire: a registry created with the defaults writes there.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRegistry, silentLogger } from '../src/index.js';
import { fixtureStdio } from './support/index.js';

describe('the test run’s schema cache', () => {
  it('defaults to a temporary directory, not ~/.cache/toolwire', async () => {
    const directory = process.env.TOOLWIRE_CACHE_DIR;
    expect(directory).toBeDefined();
    expect(relative(tmpdir(), directory as string).startsWith('..')).toBe(false);
    expect(directory).not.toContain(join(homedir(), '.cache'));
    expect(existsSync(directory as string)).toBe(true);
  });

  it('is where a registry with the default file cache writes its catalogue', async () => {
    const directory = process.env.TOOLWIRE_CACHE_DIR as string;
    const before = new Set(await readdir(join(directory, 'schemas')).catch(() => []));
    const registry = await createRegistry({
      servers: { cached: fixtureStdio({ name: 'cached' }) },
      logger: silentLogger,
    });
    try {
      expect(registry.server('cached')?.status).toBe('active');
    } finally {
      await registry.close();
    }
    const after = await readdir(join(directory, 'schemas'));
    expect(after.filter((file) => !before.has(file)).length).toBeGreaterThan(0);
  });
});
