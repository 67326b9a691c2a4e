/**
 * Where tasks live: a `TaskStore` keeps each record for `ttlMs` after its last change and
 * replaces it only at the version the writer read (compare-and-set), so instances of a fleet
 * sharing one store (Redis) never lose each other's changes: a cancel or an answer written by
 * one instance and the result written by the instance running the tool. The memory store serves
 * one process and tells its runners about changes at once; others are polled.
 */
import { ToolwireError } from '@toolwire/core';
import type { TaskRecord } from './task-record.js';

/** A place to keep tasks (see `createMemoryTaskStore`, and `createRedisTaskStore` in `/redis`). */
export interface TaskStore {
  /** Stores a new record; resolves once any instance can read it. */
  create(record: TaskRecord): Promise<void>;
  /** The record, or `undefined` when it is unknown or expired. */
  get(taskId: string): Promise<TaskRecord | undefined>;
  /**
   * Replaces the record when the stored one is still at `expectedVersion` (the new record carries
   * the next version); false when it changed meanwhile or is gone.
   */
  replace(record: TaskRecord, expectedVersion: number): Promise<boolean>;
  /**
   * Calls `listener` after each change of the record (in-process stores only); returns the
   * function that stops it. Without it, running tasks poll the store.
   */
  watch?(taskId: string, listener: () => void): () => void;
}

/** Options of {@link createMemoryTaskStore}. */
export interface MemoryTaskStoreOptions {
  /** Most tasks kept at once; the oldest finished ones go first. Default 10 000. */
  maxTasks?: number | undefined;
}

/**
 * A task store in this process's memory: for one publisher instance (tasks are lost when it
 * stops). The default of `createPublisher`.
 */
export function createMemoryTaskStore(options: MemoryTaskStoreOptions = {}): TaskStore {
  const maxTasks = options.maxTasks ?? 10_000;
  const records = new Map<string, { json: string; expiresAt: number }>();
  const listeners = new Map<string, Set<() => void>>();
  const live = (taskId: string) => {
    const entry = records.get(taskId);
    if (entry && entry.expiresAt <= Date.now()) {
      records.delete(taskId);
      return undefined;
    }
    return entry;
  };
  const notify = (taskId: string) => {
    for (const listener of [...(listeners.get(taskId) ?? [])]) listener();
  };
  const evict = () => {
    if (records.size < maxTasks) return;
    const now = Date.now();
    for (const [taskId, entry] of records) if (entry.expiresAt <= now) records.delete(taskId);
    // Still full: the oldest entries go (Map order is insertion order).
    for (const taskId of records.keys()) {
      if (records.size < maxTasks) break;
      records.delete(taskId);
    }
  };
  const save = (record: TaskRecord) => {
    // Re-inserted at the end, so the order stays "least recently changed first".
    records.delete(record.taskId);
    records.set(record.taskId, { json: JSON.stringify(record), expiresAt: Date.now() + record.ttlMs });
  };
  return {
    async create(record) {
      evict();
      save(record);
    },
    async get(taskId) {
      const entry = live(taskId);
      return entry ? (JSON.parse(entry.json) as TaskRecord) : undefined;
    },
    async replace(record, expectedVersion) {
      const entry = live(record.taskId);
      if (!entry || (JSON.parse(entry.json) as TaskRecord).version !== expectedVersion) return false;
      save(record);
      queueMicrotask(() => notify(record.taskId));
      return true;
    },
    watch(taskId, listener) {
      let set = listeners.get(taskId);
      if (!set) {
        set = new Set();
        listeners.set(taskId, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(taskId);
      };
    },
  };
}

const MAX_ATTEMPTS = 20;

/**
 * Reads, changes and replaces a record until no other writer came in between. `change` returns
 * the changed record, or `undefined` to leave it as it is. Resolves with the stored record
 * (`undefined` when the task is unknown).
 */
export async function updateTask(
  store: TaskStore,
  taskId: string,
  change: (record: TaskRecord) => TaskRecord | undefined,
): Promise<TaskRecord | undefined> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await store.get(taskId);
    if (!current) return undefined;
    const next = change(structuredClone(current));
    if (!next) return current;
    const stored: TaskRecord = {
      ...next,
      version: current.version + 1,
      lastUpdatedAt: new Date().toISOString(),
    };
    if (await store.replace(stored, current.version)) return stored;
  }
  throw new ToolwireError({
    code: 'STORE_UNAVAILABLE',
    message: `Task ${taskId} changed ${MAX_ATTEMPTS} times while it was being updated; giving up.`,
  });
}
