/**
 * Task status changes as in-process events, the source of `notifications/tasks` on
 * `subscriptions/listen` streams (SEP-2663). `TaskEvents.wrap` decorates a task store so every
 * record this process creates or replaces is seen; an event goes out only when the status or the
 * status message changed (progress-only changes are not status notifications). Changes written
 * by another instance of a fleet (shared Redis store) are not seen here: a client whose stream
 * is held by another instance learns of them by polling `tasks/get`.
 */
import type { TaskRecord } from './task-record.js';
import { isTerminal } from './task-record.js';
import type { TaskStore } from './task-store.js';

/** Called with the stored record after a status change. */
export type TaskStatusListener = (record: TaskRecord) => void;

export class TaskEvents {
  private readonly listeners = new Set<TaskStatusListener>();
  // The last status (and message) seen per live task; dropped once the task is finished.
  private readonly seen = new Map<string, string>();

  constructor(private readonly onError: (error: Error) => void) {}

  /** Calls `listener` after each status change; returns the function that stops it. */
  subscribe(listener: TaskStatusListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** `store`, telling this emitter about every record it creates or replaces. */
  wrap(store: TaskStore): TaskStore {
    const wrapped: TaskStore = {
      create: async (record) => {
        await store.create(record);
        this.seen.set(record.taskId, stateOf(record));
      },
      get: (taskId) => store.get(taskId),
      replace: async (record, expectedVersion) => {
        const replaced = await store.replace(record, expectedVersion);
        if (replaced) this.changed(record);
        return replaced;
      },
    };
    if (store.watch) wrapped.watch = store.watch.bind(store);
    return wrapped;
  }

  private changed(record: TaskRecord): void {
    const state = stateOf(record);
    const previous = this.seen.get(record.taskId);
    if (isTerminal(record.status)) this.seen.delete(record.taskId);
    else this.seen.set(record.taskId, state);
    if (previous === state) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(record);
      } catch (error) {
        this.onError(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}

const stateOf = (record: TaskRecord) => JSON.stringify([record.status, record.statusMessage ?? null]);
