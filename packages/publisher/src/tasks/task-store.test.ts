import { describe, expect, it } from 'vitest';
import type { TaskRecord } from './task-record.js';
import { createMemoryTaskStore, updateTask } from './task-store.js';

const record = (taskId: string, ttlMs = 60_000): TaskRecord => ({
  taskId,
  version: 1,
  status: 'working',
  createdAt: new Date().toISOString(),
  lastUpdatedAt: new Date().toISOString(),
  ttlMs,
  pollIntervalMs: 1000,
  tool: 'tool',
  owner: 'anonymous',
});

describe('the memory task store', () => {
  it('replaces a record only at the version the writer read', async () => {
    const store = createMemoryTaskStore();
    await store.create(record('a'));
    expect(await store.replace({ ...record('a'), version: 2, status: 'cancelled' }, 1)).toBe(true);
    // A writer that read version 1 lost the race: nothing is overwritten.
    expect(await store.replace({ ...record('a'), version: 2, status: 'completed' }, 1)).toBe(false);
    expect((await store.get('a'))?.status).toBe('cancelled');
  });

  it('updateTask retries on a concurrent change and keeps both writers’ changes', async () => {
    const store = createMemoryTaskStore();
    await store.create(record('b'));
    let interfered = false;
    const updated = await updateTask(store, 'b', (current) => {
      if (!interfered) {
        interfered = true;
        // Another writer gets in between this read and the replace.
        void store.replace(
          { ...current, version: current.version + 1, statusMessage: 'other' },
          current.version,
        );
      }
      return { ...current, progress: { progress: 1 } };
    });
    expect(updated).toMatchObject({ statusMessage: 'other', progress: { progress: 1 }, version: 3 });
  });

  it('tells watchers about changes, forgets expired records and evicts the oldest when full', async () => {
    const store = createMemoryTaskStore({ maxTasks: 2 });
    await store.create(record('c'));
    const changed = new Promise<void>((resolve) => store.watch?.('c', resolve));
    await updateTask(store, 'c', (current) => ({ ...current, statusMessage: 'moved' }));
    await changed;
    await store.create(record('d', 1));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await store.get('d')).toBeUndefined();
    await store.create(record('e'));
    await store.create(record('f'));
    expect(await store.get('c')).toBeUndefined();
    expect(await store.get('f')).toBeDefined();
  });

  it('answers undefined for an unknown task', async () => {
    const store = createMemoryTaskStore();
    expect(await updateTask(store, 'nope', (current) => current)).toBeUndefined();
  });
});
