import { describe, expect, it } from 'vitest';
import { FallbackSchemaCacheStore } from './fallback-schema-cache.js';
import { createMemorySchemaCache } from './memory-schema-cache.js';
import type { SchemaCacheStore } from './schema-cache-store.js';

/** A store whose availability a test switches (our own logic under test, not Redis). */
function flakyStore() {
  const inner = createMemorySchemaCache();
  const state = { up: true, hang: false };
  const guard = async () => {
    if (state.hang) await new Promise(() => {});
    if (!state.up) throw new Error('store is down');
  };
  const store: SchemaCacheStore = {
    kind: 'flaky',
    async get(key) {
      await guard();
      return inner.get(key);
    },
    async set(key, value, ttlMs) {
      await guard();
      inner.set(key, value, ttlMs);
    },
    async delete(key) {
      await guard();
      inner.delete(key);
    },
  };
  return { store, inner, state };
}

describe('FallbackSchemaCacheStore', () => {
  it('warns once per outage, serves the local copy, and copies back what was written meanwhile', async () => {
    const { store, inner, state } = flakyStore();
    const logs: string[] = [];
    const fallback = new FallbackSchemaCacheStore(store, {
      operationTimeoutMs: 100,
      log: (level, message) => logs.push(`${level}: ${message}`),
    });
    await fallback.set('a', '1', 60_000);
    expect(await fallback.get('a')).toBe('1');
    state.up = false;
    expect(await fallback.get('a')).toBe('1');
    await fallback.set('b', '2', 60_000);
    await fallback.set('c', '3', 60_000);
    expect(await fallback.get('b')).toBe('2');
    expect(logs.filter((line) => line.startsWith('warn'))).toHaveLength(1);
    expect(fallback.isDegraded).toBe(true);
    state.up = true;
    const deadline = Date.now() + 10_000;
    while (fallback.isDegraded && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fallback.isDegraded).toBe(false);
    expect(inner.get('b')).toBe('2');
    expect(inner.get('c')).toBe('3');
    expect(logs.some((line) => line.startsWith('info') && /answers again/.test(line))).toBe(true);
    await fallback.close();
  });

  it('does not wait on a hanging store longer than the operation timeout', async () => {
    const { store, state } = flakyStore();
    const fallback = new FallbackSchemaCacheStore(store, { operationTimeoutMs: 50, log: () => {} });
    await fallback.set('a', '1', 60_000);
    state.hang = true;
    // The store never answers: only the operation timeout can end this read, with the local copy.
    expect(await fallback.get('a')).toBe('1');
    expect(fallback.isDegraded).toBe(true);
    await fallback.close();
  });
});
