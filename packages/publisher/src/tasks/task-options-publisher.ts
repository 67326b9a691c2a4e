/** `createPublisher({ tasks })`: the task store and defaults, checked at start-up. */
import { positive } from '../check-option.js';
import { TaskManager } from './task-manager.js';
import { createMemoryTaskStore, type TaskStore } from './task-store.js';

/** Task settings of a publisher. */
export interface TaskOptions {
  /**
   * Where tasks are kept. Default: this process's memory. Give every instance of a fleet the same
   * shared store (`createRedisTaskStore` from `@toolwire/publisher/redis`), so any instance can
   * answer `tasks/get`, `tasks/update` and `tasks/cancel` for a task another one runs.
   */
  store?: TaskStore | undefined;
  /** How long a task and its result are kept after its last change, in ms. Default 1 hour. */
  ttlMs?: number | undefined;
  /** The poll interval suggested to clients, in ms. Default 1000. */
  pollIntervalMs?: number | undefined;
  /**
   * How often a running task reads a shared store (one without change notifications, e.g. Redis)
   * for a cancellation or answers written by another instance, in ms. Default 500.
   */
  watchIntervalMs?: number | undefined;
}

export const DEFAULT_TASK_TTL_MS = 60 * 60 * 1000;
export const DEFAULT_TASK_POLL_INTERVAL_MS = 1000;
export const DEFAULT_TASK_WATCH_INTERVAL_MS = 500;

export function createTaskManager(
  options: TaskOptions | undefined,
  onError: (error: Error) => void,
): TaskManager {
  return new TaskManager(
    {
      store: options?.store ?? createMemoryTaskStore(),
      ttlMs: positive('tasks.ttlMs', options?.ttlMs, DEFAULT_TASK_TTL_MS, true),
      pollIntervalMs: positive(
        'tasks.pollIntervalMs',
        options?.pollIntervalMs,
        DEFAULT_TASK_POLL_INTERVAL_MS,
        true,
      ),
      watchIntervalMs: positive(
        'tasks.watchIntervalMs',
        options?.watchIntervalMs,
        DEFAULT_TASK_WATCH_INTERVAL_MS,
        true,
      ),
    },
    onError,
  );
}
