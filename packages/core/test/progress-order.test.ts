/**
 * Every progress notification a server sends before its result reaches the caller, in order —
 * including the last one, which the SDK alone drops when the result follows it immediately.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Registry } from '../src/index.js';

const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'fixture-server.mjs');
let registry: Registry;

beforeAll(async () => {
  registry = await createRegistry({
    mcpServers: { fixture: { command: process.execPath, args: [fixture] } },
    cache: 'memory',
  });
});

afterAll(async () => {
  await registry.close();
});

describe('progress', () => {
  it('delivers every update, the last one included, before the call resolves', async () => {
    for (let round = 0; round < 20; round++) {
      const updates: { progress: number; total?: number | undefined }[] = [];
      const result = await registry.callTool(
        'fixture__sleep',
        { ms: 4, steps: 4 },
        { onProgress: (update) => updates.push({ progress: update.progress, total: update.total }) },
      );
      expect(result.text).toBe('slept 4 ms');
      expect(updates).toEqual([1, 2, 3, 4].map((progress) => ({ progress, total: 4 })));
    }
  });

  it('sends no progress token when nobody listens', async () => {
    const result = await registry.callTool('fixture__sleep', { ms: 1, steps: 2 });
    expect(result.isError).toBe(false);
  });
});
