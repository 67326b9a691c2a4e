/**
 * The Tasks extension (SEP-2663, `io.modelcontextprotocol/tasks`) as a client reads it: the
 * statuses, and a server's task as `tools/call` (`CreateTaskResult`, `resultType: "task"`) and
 * `tasks/get` (`DetailedTask`) carry it. What a server sends is checked here before anything
 * uses it; a malformed task is a `PROTOCOL_ERROR` naming what is wrong.
 */
import type { CallToolResult } from '@modelcontextprotocol/client';
import { ToolwireError } from '../errors/toolwire-error.js';

/** The extension identifier, under `capabilities.extensions` of both sides. */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** The `_meta` key under which a toolwire publisher reports a task's latest progress. */
export const TASK_PROGRESS_META_KEY = 'dev.toolwire/progress';

/** A task's status. */
export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

const STATUSES: ReadonlySet<string> = new Set([
  'working',
  'input_required',
  'completed',
  'failed',
  'cancelled',
]);

/** True for `completed`, `failed` and `cancelled`: the task will not change any more. */
export function isTerminalStatus(status: TaskStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/** A task as the server last described it. */
export interface ServerTask {
  taskId: string;
  status: TaskStatus;
  statusMessage: string | undefined;
  createdAt: string | undefined;
  lastUpdatedAt: string | undefined;
  /** How long the server keeps it after its last change (ms); `undefined`: not said. */
  ttlMs: number | undefined;
  /** How often the server wants to be polled (ms); `undefined`: not said. */
  pollIntervalMs: number | undefined;
  /** The tool's result, once `completed`. */
  result: CallToolResult | undefined;
  /** The protocol error, once `failed`. */
  error: { code: number; message: string; data?: unknown } | undefined;
  /** Open questions, while `input_required`. */
  inputRequests: Record<string, { method: string; params?: Record<string, unknown> }> | undefined;
  /** The latest progress a toolwire publisher reported, when it did. */
  progress: { progress: number; total?: number | undefined; message?: string | undefined } | undefined;
}

/** Reads a task from a server's answer; `PROTOCOL_ERROR` when it is not one. */
export function parseServerTask(
  value: unknown,
  context: { server: string; tool?: string | undefined },
): ServerTask {
  const fail = (detail: string) =>
    new ToolwireError({
      code: 'PROTOCOL_ERROR',
      server: context.server,
      tool: context.tool,
      message: `Server "${context.server}" sent a malformed task: ${detail}.`,
    });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('not an object');
  const task = value as Record<string, unknown>;
  if (typeof task.taskId !== 'string' || task.taskId === '')
    throw fail('"taskId" must be a non-empty string');
  if (typeof task.status !== 'string' || !STATUSES.has(task.status)) {
    throw fail(`"status" must be one of ${[...STATUSES].join(', ')}`);
  }
  const text = (key: string) => (typeof task[key] === 'string' ? (task[key] as string) : undefined);
  const integer = (key: string) =>
    typeof task[key] === 'number' && Number.isInteger(task[key]) && (task[key] as number) > 0
      ? (task[key] as number)
      : undefined;
  const status = task.status as TaskStatus;
  const result = task.result;
  if (status === 'completed' && (typeof result !== 'object' || result === null || Array.isArray(result))) {
    // A `tasks/get` of a completed task inlines its result; a CreateTaskResult never does.
    if (task.resultType !== 'task') throw fail('a completed task must inline its "result"');
  }
  const error = task.error as { code?: unknown; message?: unknown; data?: unknown } | undefined;
  const meta = task._meta as Record<string, unknown> | undefined;
  const progress = meta?.[TASK_PROGRESS_META_KEY] as ServerTask['progress'];
  return {
    taskId: task.taskId,
    status,
    statusMessage: text('statusMessage'),
    createdAt: text('createdAt'),
    lastUpdatedAt: text('lastUpdatedAt'),
    ttlMs: integer('ttlMs'),
    pollIntervalMs: integer('pollIntervalMs'),
    result: status === 'completed' ? (result as CallToolResult | undefined) : undefined,
    error:
      status === 'failed'
        ? {
            code: typeof error?.code === 'number' ? error.code : -32603,
            message: typeof error?.message === 'string' ? error.message : 'the task failed',
            ...(error?.data === undefined ? {} : { data: error.data }),
          }
        : undefined,
    inputRequests:
      status === 'input_required' && typeof task.inputRequests === 'object' && task.inputRequests !== null
        ? (task.inputRequests as ServerTask['inputRequests'])
        : undefined,
    progress: typeof progress?.progress === 'number' ? progress : undefined,
  };
}
