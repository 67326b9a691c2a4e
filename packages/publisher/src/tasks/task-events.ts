/**
 * Task status changes as in-process events, the source of `notifications/tasks` on
 * `subscriptions/listen` streams (SEP-2663). `TaskEvents.wrap` decorates a task store so every
 * record this process creates or replaces is seen; an event goes out only when the status or the
 * status message changed (progress-only changes are not status notifications). On a fleet whose
 * publisher store has a bus (`createRedisStore`), `link` shares the changes with every instance,
 * so a stream held by one instance hears of a task another instance runs.
 */
import type { FleetBus } from '../store/fleet-bus.js';
import type { TaskRecord } from './task-record.js';
import { isTerminal } from './task-record.js';
import type { TaskStore } from './task-store.js';

/** Called with the stored record after a status change. */
export type TaskStatusListener = (record: TaskRecord) => void;

export class TaskEvents {
  private readonly listeners = new Set<TaskStatusListener>();
  // The last status (and message) seen per live task; dropped once the task is finished.
  private readonly seen = new Map<string, string>();
  private forward: ((record: TaskRecord) => void) | undefined;

  constructor(private readonly onError: (error: Error) => void) {}

  /** Calls `listener` after each status change; returns the function that stops it. */
  subscribe(listener: TaskStatusListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Shares this process's changes with the other instances on `bus` and hears theirs; resolves
   * with the function that stops it once the subscription is in place.
   */
  async link(bus: FleetBus): Promise<() => Promise<void>> {
    const self = crypto.randomUUID();
    const stop = await bus.subscribe(TASK_STATUS_CHANNEL, (message) => {
      try {
        const { from, record } = JSON.parse(message) as { from?: unknown; record?: TaskRecord };
        if (from !== self && record && typeof record.taskId === 'string') this.changed(record, false);
      } catch (error) {
        this.onError(error instanceof Error ? error : new Error(String(error)));
      }
    });
    this.forward = (record) => {
      bus.publish(TASK_STATUS_CHANNEL, JSON.stringify({ from: self, record })).catch(this.onError);
    };
    return async () => {
      this.forward = undefined;
      await stop();
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

  private changed(record: TaskRecord, local = true): void {
    const state = stateOf(record);
    const previous = this.seen.get(record.taskId);
    if (isTerminal(record.status)) this.seen.delete(record.taskId);
    else this.seen.set(record.taskId, state);
    if (previous === state) return;
    if (local) this.forward?.(record);
    for (const listener of [...this.listeners]) {
      try {
        listener(record);
      } catch (error) {
        this.onError(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}

/** The fleet bus channel task status changes travel on. */
const TASK_STATUS_CHANNEL = 'tasks:status';

const stateOf = (record: TaskRecord) => JSON.stringify([record.status, record.statusMessage ?? null]);
