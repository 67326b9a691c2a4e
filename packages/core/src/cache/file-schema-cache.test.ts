import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileSchemaCache, defaultCacheDirectory } from './file-schema-cache.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});
function directory(): string {
  const path = mkdtempSync(join(tmpdir(), 'toolwire-file-cache-'));
  directories.push(path);
  return path;
}

describe('file schema cache', () => {
  it('stores, expires and deletes entries, readable by the user only', async () => {
    const root = directory();
    const store = createFileSchemaCache({ directory: root });
    expect(await store.get('missing')).toBeUndefined();
    await store.set('key', 'value', 60_000);
    expect(await store.get('key')).toBe('value');
    const file = join(root, 'schemas', 'key.json');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    await store.set('short', 'gone soon', 50);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await store.get('short')).toBeUndefined();
    await store.delete('key');
    expect(await store.get('key')).toBeUndefined();
    expect(readdirSync(join(root, 'schemas')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('follows XDG_CACHE_HOME, then ~/.cache', () => {
    expect(defaultCacheDirectory({ XDG_CACHE_HOME: '/x/cache' })).toBe(join('/x/cache', 'toolwire'));
    expect(defaultCacheDirectory({ TOOLWIRE_CACHE_DIR: '/y' })).toBe('/y');
    expect(defaultCacheDirectory({})).toMatch(/\.cache[\\/]toolwire$|toolwire$/);
  });

  it('two processes writing the same key never leave a torn file for a reader', async () => {
    const root = directory();
    const module = fileURLToPath(new URL('./file-schema-cache.ts', import.meta.url));
    const writer = (label: string) =>
      promisify(execFile)(process.execPath, [
        '--input-type=module',
        '-e',
        `const { createFileSchemaCache } = await import(${JSON.stringify(module)});
         const store = createFileSchemaCache({ directory: ${JSON.stringify(root)} });
         const big = ${JSON.stringify(label)}.repeat(20000);
         for (let index = 0; index < 150; index++) await store.set('shared', JSON.stringify({ label: ${JSON.stringify(label)}, index, big }), 60000);`,
      ]);
    const store = createFileSchemaCache({ directory: root });
    let done = false;
    const writers = Promise.all([writer('a'), writer('b')]).finally(() => {
      done = true;
    });
    let reads = 0;
    while (!done) {
      const value = await store.get('shared');
      if (typeof value === 'string') {
        const parsed = JSON.parse(value) as { label: string; big: string };
        expect(parsed.big).toBe(parsed.label.repeat(20000));
        reads++;
      }
    }
    await writers;
    expect(reads).toBeGreaterThan(0);
    expect(readdirSync(join(root, 'schemas'))).toEqual(['shared.json']);
  }, 60_000);
});
