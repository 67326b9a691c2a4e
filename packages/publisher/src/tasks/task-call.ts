/**
 * One `tools/call` of a task tool on 2026-07-28, from the request's side: whether the client can
 * take a task (it declared the extension, for the session or in this request's `_meta`), the
 * refusal a `'required'` tool gives a client that cannot (`-32021`), and the switch from a plain
 * call to a task (`start`): the record is stored first, then the request answers with the
 * `CreateTaskResult` while the tool runs on, and the task settles when the tool does.
 */
import {
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  type McpServer,
  MissingRequiredClientCapabilityError,
  ProtocolError,
  ProtocolErrorCode,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { ToolwireError } from '@toolwire/core';
import type { TaskManager, TaskRun } from './task-manager.js';
import type { ResolvedTaskOptions } from './task-options.js';
import { TASKS_EXTENSION, type TaskRecord, toCreateTaskResult } from './task-record.js';

/**
 * True when this request's client declared the Tasks extension: in the request's own `_meta`
 * envelope (2026-07-28; stdio instances have no per-request backfill of the instance's
 * capabilities), else in what the instance knows of the client.
 */
export function clientSupportsTasks(server: McpServer, context: ServerContext): boolean {
  const envelope = context.mcpReq.envelope as Record<string, unknown> | undefined;
  const declared = (envelope?.[CLIENT_CAPABILITIES_META_KEY] ?? server.server.getClientCapabilities()) as
    | ClientCapabilities
    | undefined;
  return declared?.extensions?.[TASKS_EXTENSION] !== undefined;
}

/** The `-32021` a task-only request gets from a client without the Tasks extension. */
export function tasksRequiredError(what: string): MissingRequiredClientCapabilityError {
  return new MissingRequiredClientCapabilityError(
    { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
    `${what} needs the ${TASKS_EXTENSION} extension, which the client did not declare.`,
  );
}

export interface TaskCallSource {
  manager: TaskManager;
  toolName: string;
  options: ResolvedTaskOptions;
  /** The caller's principal key: only it may read, answer or cancel the task. */
  owner: () => Promise<string>;
  /** Aborts the tool (the call's own signal). */
  abort: (reason: unknown) => void;
  /** Detaches the tool from the request (its end no longer aborts the tool). */
  detachFromRequest: () => void;
}

/** How the tool's outcome becomes the task's result (the same mapping as a plain call's). */
export interface OutcomeMapping {
  result(outcome: CallToolResult): CallToolResult;
  error(error: unknown): CallToolResult;
  /** Why the tool's signal was aborted, if it was. */
  abortReason(): unknown;
}

export class TaskCall {
  private record: TaskRecord | undefined;
  private starting: Promise<boolean> | undefined;
  private resolveCreated!: (result: Record<string, unknown>) => void;
  /** Resolves with the `CreateTaskResult` once the call is a task. */
  readonly created = new Promise<Record<string, unknown>>((resolve) => {
    this.resolveCreated = resolve;
  });
  /** The local side of the task, once started. */
  run: TaskRun | undefined;

  constructor(private readonly source: TaskCallSource) {}

  /** True once `start()` was called (it may still be storing the task). */
  get requested(): boolean {
    return this.starting !== undefined;
  }

  get started(): boolean {
    return this.run !== undefined;
  }

  get taskId(): string | undefined {
    return this.record?.taskId;
  }

  /** Turns the call into a task (once); resolves `true` when it is one. */
  start(): Promise<boolean> {
    this.starting ??= (async () => {
      const { manager, toolName, options } = this.source;
      const record = await manager.create(toolName, await this.source.owner(), options);
      this.record = record;
      this.run = manager.attach(record, this.source.abort);
      this.resolveCreated(toCreateTaskResult(record));
      return true;
    })();
    return this.starting;
  }

  /** Settles the task when the tool settles (after the request answered with the task). */
  follow(running: Promise<CallToolResult>, mapping: OutcomeMapping): void {
    const run = this.run;
    if (!run) throw new Error('unreachable: follow() before start()');
    // The request answers with the task now: from here on only the task can stop the tool. (A
    // request aborted before this, while the task was being stored, aborted the tool with it.)
    this.source.detachFromRequest();
    running
      .then(
        (outcome) => {
          // Mapping the result (output schema, JSON) may throw: that is the tool's error too.
          let result: CallToolResult;
          try {
            result = mapping.result(outcome);
          } catch (error) {
            result = mapping.error(error);
          }
          return run.complete(result);
        },
        (error) => {
          const reason = mapping.abortReason();
          if (ToolwireError.isInstance(reason) && reason.code === 'SERVER_CLOSED') {
            return run.fail({
              code: ProtocolErrorCode.InternalError,
              message: 'The server shut down before the task finished.',
            });
          }
          // SEP-2663: a protocol-level error fails the task; anything else the tool threw is a
          // tool execution error, a completed task with an `isError` result.
          if (error instanceof ProtocolError) {
            return run.fail({
              code: error.code,
              message: error.message,
              ...(error.data === undefined ? {} : { data: error.data }),
            });
          }
          return run.complete(mapping.error(error));
        },
      )
      .catch(() => {});
  }
}
