/**
 * `ToolTask`: a handle on one task of one server, from `registry.startTask()` (a call the server
 * answered with a task) or `registry.resumeTask()` (a task id kept from earlier, e.g. by another
 * process before a restart). Each operation leases a connection of its own, so a handle outlives
 * connections, and several processes may hold handles on the same task.
 */
import type { CallToolResult } from '@modelcontextprotocol/client';
import type { ServerConnection } from '../connection/server-connection.js';
import type { ServerRequestHandlers } from '../connection/server-requests.js';
import type { ToolCallResult } from '../results/tool-call-result.js';
import { followTask, type TaskProgressListener } from './follow-task.js';
import { cancelTask, getTask } from './task-requests.js';
import type { ServerTask, TaskStatus } from './task-wire.js';

/** Where a task lives: keep it to resume the task later (`registry.resumeTask(ref)`). */
export interface TaskRef {
  /** The configured server name. */
  server: string;
  /** The server's task id. */
  taskId: string;
  /** The registry tool name, when known (it names the tool in results and errors). */
  tool?: string | undefined;
}

/** What a task looks like now. */
export interface TaskSnapshot {
  taskId: string;
  status: TaskStatus;
  statusMessage: string | undefined;
  /** The latest progress a toolwire publisher reported, when it did. */
  progress: { progress: number; total?: number | undefined; message?: string | undefined } | undefined;
  createdAt: string | undefined;
  lastUpdatedAt: string | undefined;
  ttlMs: number | undefined;
  pollIntervalMs: number | undefined;
}

/** Options of `ToolTask.result()`. */
export interface TaskResultOptions {
  /** Aborting stops waiting (`CANCELLED`) and cancels the task on the server, unless `cancelOnAbort: false`. */
  signal?: AbortSignal | undefined;
  /** Default `true`. */
  cancelOnAbort?: boolean | undefined;
  /** Receives the task's progress (status message, and a toolwire publisher's numbers) as it changes. */
  onProgress?: TaskProgressListener | undefined;
}

/** A running (or finished) task of a tool, on one server. */
export interface ToolTask {
  readonly ref: TaskRef;
  readonly server: string;
  readonly taskId: string;
  /** The status last seen (updated by `get()` and while `result()` waits). */
  readonly status: TaskStatus;
  /** Asks the server for the task now (`tasks/get`); `TASK_NOT_FOUND` once it is unknown or expired. */
  get(options?: { signal?: AbortSignal | undefined }): Promise<TaskSnapshot>;
  /**
   * Waits for the task to end and resolves with the tool's result (an `isError` result too);
   * rejects with `TASK_FAILED` (a protocol-level failure), `CANCELLED` (cancelled on the server,
   * or `signal` aborted) or `TASK_NOT_FOUND`.
   */
  result(options?: TaskResultOptions): Promise<ToolCallResult>;
  /** Asks the server to cancel the task; a finished task stays as it is. */
  cancel(): Promise<void>;
}

/** What a task handle needs from the registry. */
export interface ToolTaskSource {
  ref: TaskRef;
  /** The tool's name on its server, when known. */
  serverToolName: string | undefined;
  sessionKey: string | undefined;
  requestTimeoutMs: number;
  /** Who answers the task's questions, and how long each answer may take. */
  handlers: ServerRequestHandlers;
  handlerTimeoutMs: number;
  /** Leases a connection to the task's server. */
  lease(): Promise<{ connection: ServerConnection; release(): void }>;
  /** The registry's one redaction path for errors that leave it. */
  redactError(error: unknown): unknown;
  /** Turns a raw result into the registry's result shape (named). */
  normalize(raw: CallToolResult, durationMs: number): ToolCallResult;
  /** Sees each state of the task (registry events). */
  onUpdate?: ((task: ServerTask) => void) | undefined;
  /** The last state seen, when the handle starts from one. */
  initial?: ServerTask | undefined;
}

export function createToolTask(source: ToolTaskSource): ToolTask {
  const { ref } = source;
  let last = source.initial;
  const seen = (task: ServerTask) => {
    last = task;
    source.onUpdate?.(task);
  };
  const withConnection = async <T>(run: (connection: ServerConnection) => Promise<T>): Promise<T> => {
    try {
      const lease = await source.lease();
      try {
        return await run(lease.connection);
      } finally {
        lease.release();
      }
    } catch (error) {
      throw source.redactError(error);
    }
  };
  const requestOptions = (signal?: AbortSignal) => ({
    signal,
    timeoutMs: source.requestTimeoutMs,
    sessionKey: source.sessionKey,
    tool: ref.tool,
  });
  return {
    ref,
    server: ref.server,
    taskId: ref.taskId,
    get status() {
      return last?.status ?? 'working';
    },
    get: (options = {}) =>
      withConnection(async (connection) => {
        const task = await getTask(connection, ref.taskId, requestOptions(options.signal));
        seen(task);
        return snapshot(task);
      }),
    result: (options = {}) => {
      const started = performance.now();
      return withConnection(async (connection) => {
        const first = last ?? (await getTask(connection, ref.taskId, requestOptions(options.signal)));
        const raw = await followTask(first, {
          connection,
          tool: ref.tool,
          signal: options.signal,
          requestTimeoutMs: source.requestTimeoutMs,
          sessionKey: source.sessionKey,
          onProgress: options.onProgress,
          onUpdate: seen,
          handlers: source.handlers,
          handlerTimeoutMs: source.handlerTimeoutMs,
          cancelOnAbort: options.cancelOnAbort,
        });
        return source.normalize(raw, performance.now() - started);
      });
    },
    cancel: () => withConnection((connection) => cancelTask(connection, ref.taskId, requestOptions())),
  };
}

function snapshot(task: ServerTask): TaskSnapshot {
  return {
    taskId: task.taskId,
    status: task.status,
    statusMessage: task.statusMessage,
    progress: task.progress,
    createdAt: task.createdAt,
    lastUpdatedAt: task.lastUpdatedAt,
    ttlMs: task.ttlMs,
    pollIntervalMs: task.pollIntervalMs,
  };
}
