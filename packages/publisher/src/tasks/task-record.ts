/**
 * What the publisher keeps about one task (SEP-2663, `io.modelcontextprotocol/tasks`), and the two
 * shapes clients see of it: the `CreateTaskResult` a `tools/call` answers with when it starts a
 * task, and the `DetailedTask` of `tasks/get` (the result or error inlined once it is terminal,
 * the open questions while it waits for input). Records are plain JSON so any `TaskStore` (memory,
 * Redis) can hold them; every change bumps `version`, which stores compare before replacing.
 */
import type { CallToolResult, InputRequest } from '@modelcontextprotocol/server';

/** The extension identifier, under `capabilities.extensions` of both sides. */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** A task's status (SEP-2663). */
export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

/** A JSON-RPC error object, as a failed task inlines it. */
export interface TaskError {
  code: number;
  message: string;
  data?: unknown;
}

/** The latest progress a task's tool reported (`context.reportProgress`). */
export interface TaskProgress {
  progress: number;
  total?: number | undefined;
  message?: string | undefined;
}

/** One stored task. */
export interface TaskRecord {
  taskId: string;
  /** Bumped by every change; a store replaces a record only at the version the writer read. */
  version: number;
  status: TaskStatus;
  statusMessage?: string | undefined;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  lastUpdatedAt: string;
  /** How long the record is kept after its last change, in milliseconds. */
  ttlMs: number;
  /** How often the client should poll `tasks/get`, in milliseconds. */
  pollIntervalMs: number;
  /** The published tool the task runs. */
  tool: string;
  /** The principal key of the caller that created it; other callers do not see it. */
  owner: string;
  /** Set when `status` is `completed`. */
  result?: CallToolResult | undefined;
  /** Set when `status` is `failed`. */
  error?: TaskError | undefined;
  /** Questions the client has not answered yet (status `input_required`), by key. */
  inputRequests?: Record<string, InputRequest> | undefined;
  /** Answers delivered by `tasks/update` that the running tool has not taken yet, by key. */
  inputResponses?: Record<string, unknown> | undefined;
  progress?: TaskProgress | undefined;
}

export const TERMINAL_STATUSES: ReadonlySet<TaskStatus> = new Set(['completed', 'failed', 'cancelled']);

/** True once a task can no longer change status. */
export function isTerminal(status: TaskStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** The `_meta` key under which a task's latest progress is published on `tasks/get`. */
export const TASK_PROGRESS_META_KEY = 'dev.toolwire/progress';

function envelope(record: TaskRecord): Record<string, unknown> {
  return {
    taskId: record.taskId,
    status: record.status,
    ...(record.statusMessage === undefined ? {} : { statusMessage: record.statusMessage }),
    createdAt: record.createdAt,
    lastUpdatedAt: record.lastUpdatedAt,
    ttlMs: record.ttlMs,
    pollIntervalMs: record.pollIntervalMs,
  };
}

/** The flat `CreateTaskResult` (`resultType: "task"`): no result, error or questions. */
export function toCreateTaskResult(record: TaskRecord): Record<string, unknown> {
  return { resultType: 'task', ...envelope(record) };
}

/** The `DetailedTask` of `tasks/get`: the result, error or open questions inlined. */
export function toDetailedTask(record: TaskRecord): Record<string, unknown> {
  const detailed = envelope(record);
  if (record.status === 'completed' && record.result) detailed.result = record.result;
  if (record.status === 'failed' && record.error) detailed.error = record.error;
  if (record.status === 'input_required' && record.inputRequests)
    detailed.inputRequests = record.inputRequests;
  if (record.progress) detailed._meta = { [TASK_PROGRESS_META_KEY]: record.progress };
  return detailed;
}
