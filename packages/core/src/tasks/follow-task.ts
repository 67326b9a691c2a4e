/**
 * Waiting for a task to end, on behalf of a caller: polls `tasks/get` at the interval the server
 * asks for, reports progress (the status message, and a toolwire publisher's progress numbers)
 * as it changes, answers the task's questions while it is `input_required` (elicitation, through
 * the elicitation, sampling and roots handlers that answer for the call), and ends with the tool's result, or a typed error for a failed
 * (`TASK_FAILED`) or cancelled (`CANCELLED`) task. Aborting the caller's signal cancels the task
 * on the server (unless told not to) and fails with `CANCELLED`. A poll that fails for a reason
 * that may pass (the connection dropped, a server instance restarted) is tried again a few times.
 */
import type { CallToolResult } from '@modelcontextprotocol/client';
import type { ServerConnection } from '../connection/server-connection.js';
import {
  answerServerRequest,
  DEFAULT_SERVER_REQUEST_TIMEOUT_MS,
  SERVER_REQUEST_METHODS,
  type ServerRequestHandlers,
  type ServerRequestMethod,
} from '../connection/server-requests.js';
import { ToolwireError } from '../errors/toolwire-error.js';
import { classifyFailure } from '../pool/retry-policy.js';
import { cancelTask, getTask, updateTask } from './task-requests.js';
import { isTerminalStatus, type ServerTask } from './task-wire.js';

/** Progress as a registry reports it (`CallToolOptions.onProgress`). */
export type TaskProgressListener = (progress: {
  progress: number;
  total?: number | undefined;
  message?: string | undefined;
}) => void;

export interface FollowTaskOptions {
  connection: ServerConnection;
  /** The registry tool name, for errors (`undefined` for a task resumed without it). */
  tool: string | undefined;
  signal?: AbortSignal | undefined;
  /** Deadline of each request to the server. */
  requestTimeoutMs: number;
  sessionKey?: string | undefined;
  onProgress?: TaskProgressListener | undefined;
  /** Sees every state of the task (each poll). */
  onUpdate?: ((task: ServerTask) => void) | undefined;
  /** Who answers the task's questions (the call's, conversation's or registry's handlers). */
  handlers?: ServerRequestHandlers | undefined;
  /** How long one handler may take (the registry's `serverRequestTimeoutMs`). */
  handlerTimeoutMs?: number | undefined;
  /** Default `true`: an aborted wait cancels the task on the server. */
  cancelOnAbort?: boolean | undefined;
}

const DEFAULT_POLL_MS = 1000;
const MAX_POLL_MS = 60_000;
const TRANSIENT_RETRIES = 5;

/** Follows `task` until it ends; resolves with the tool's result. */
export async function followTask(task: ServerTask, options: FollowTaskOptions): Promise<CallToolResult> {
  const { connection, tool, signal } = options;
  const server = connection.definition.name;
  const requestOptions = {
    signal,
    timeoutMs: options.requestTimeoutMs,
    sessionKey: options.sessionKey,
    tool,
  };
  const answered = new Set<string>();
  let lastProgress = '';
  let current = task;
  try {
    for (;;) {
      options.onUpdate?.(current);
      lastProgress = reportProgress(current, lastProgress, options.onProgress);
      // A completed task read from a CreateTaskResult has no result inlined yet: read it.
      const complete = current.status !== 'completed' || current.result !== undefined;
      if (isTerminalStatus(current.status) && complete) return outcome(current, server, tool);
      const open = Object.entries(current.inputRequests ?? {}).filter(([key]) => !answered.has(key));
      if (current.status === 'input_required' && open.length > 0) {
        const responses = await answer(open, options, server, tool);
        for (const key of Object.keys(responses)) answered.add(key);
        await updateTask(connection, current.taskId, responses, requestOptions);
      } else if (!isTerminalStatus(current.status)) {
        await delay(Math.min(current.pollIntervalMs ?? DEFAULT_POLL_MS, MAX_POLL_MS), signal);
      }
      current = await poll(connection, current.taskId, requestOptions, signal);
      // A key the server no longer lists may be asked again later (a new question).
      for (const key of answered) if (!(key in (current.inputRequests ?? {}))) answered.delete(key);
    }
  } catch (error) {
    if (signal?.aborted) {
      if (options.cancelOnAbort !== false) {
        // Best effort, on its own short deadline: the caller is gone either way.
        await cancelTask(connection, current.taskId, { ...requestOptions, signal: undefined }).catch(
          () => {},
        );
      }
      throw new ToolwireError({
        code: 'CANCELLED',
        server,
        tool,
        message: `Waiting for task "${current.taskId}" was cancelled${options.cancelOnAbort === false ? '' : '; the task was cancelled on the server'}.`,
        cause: error,
      });
    }
    throw error;
  }
}

/** `tasks/get`, tried again after failures that may pass. */
async function poll(
  connection: ServerConnection,
  taskId: string,
  requestOptions: Parameters<typeof getTask>[2],
  signal: AbortSignal | undefined,
): Promise<ServerTask> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await getTask(connection, taskId, requestOptions);
    } catch (error) {
      const transient =
        classifyFailure(error) !== 'other' ||
        (ToolwireError.isInstance(error) && (error.code === 'TIMEOUT' || error.code === 'CONNECT_FAILED'));
      if (!transient || attempt >= TRANSIENT_RETRIES || signal?.aborted) throw error;
      await delay(Math.min(DEFAULT_POLL_MS * 2 ** attempt, 10_000), signal);
    }
  }
}

function outcome(task: ServerTask, server: string, tool: string | undefined): CallToolResult {
  if (task.status === 'completed' && task.result) return task.result;
  if (task.status === 'failed') {
    throw new ToolwireError({
      code: 'TASK_FAILED',
      server,
      tool,
      // The server's error as it came (a relay reports the same code and message downstream).
      protocolError: task.error,
      message: `Task "${task.taskId}" on server "${server}" failed: ${task.error?.message ?? 'no reason given'} (code ${task.error?.code ?? 'unknown'}).`,
    });
  }
  throw new ToolwireError({
    code: 'CANCELLED',
    server,
    tool,
    message: `Task "${task.taskId}" on server "${server}" was cancelled${task.statusMessage ? `: ${task.statusMessage}` : ''}.`,
  });
}

/**
 * Answers open questions, all of a round at once (SEP-2663: they are independent, and a client
 * relaying them, e.g. a gateway, can then ask its own client all of them in one round); what this
 * registry cannot answer fails the wait.
 */
async function answer(
  open: [string, { method: string; params?: Record<string, unknown> }][],
  options: FollowTaskOptions,
  server: string,
  tool: string | undefined,
): Promise<Record<string, unknown>> {
  for (const [, request] of open) {
    if (!SERVER_REQUEST_METHODS.includes(request.method as ServerRequestMethod)) {
      throw new ToolwireError({
        code: 'PROTOCOL_ERROR',
        server,
        tool,
        message: `Task on server "${server}" asks for ${request.method}, which this registry does not answer.`,
      });
    }
  }
  // Without a handler an elicitation is declined and a sampling request refused (typed), never a hang.
  const answers = await Promise.all(
    open.map(([key, request]) =>
      answerServerRequest(request.method as ServerRequestMethod, request.params ?? {}, {
        server,
        sessionKey: options.sessionKey,
        tool,
        handlers: options.handlers ?? {},
        timeoutMs: options.handlerTimeoutMs ?? DEFAULT_SERVER_REQUEST_TIMEOUT_MS,
        signal: options.signal,
        inputKey: key,
      }),
    ),
  );
  return Object.fromEntries(open.map(([key], index) => [key, answers[index]]));
}

function reportProgress(task: ServerTask, last: string, listener: TaskProgressListener | undefined): string {
  const progress =
    task.progress ?? (task.statusMessage ? { progress: 0, message: task.statusMessage } : undefined);
  if (!progress) return last;
  const key = JSON.stringify(progress);
  if (key !== last && listener) {
    listener({
      progress: progress.progress,
      ...(progress.total === undefined ? {} : { total: progress.total }),
      ...(progress.message === undefined ? {} : { message: progress.message }),
    });
  }
  return key;
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
