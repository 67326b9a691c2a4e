/**
 * Tasks handed to the caller: a call the server answered with a task becomes a `CreatedTask` on
 * the call path, and `startTask()`/`resumeTask()` turn it (or a stored `TaskRef`) into a
 * `ToolTask` handle whose every operation leases a connection of its own.
 */
import type { ServerRequestHandlers } from '../connection/server-requests.js';
import { ToolwireError } from '../errors/toolwire-error.js';
import type { TypedEmitter } from '../events/event-emitter.js';
import type { RegistryEvents } from '../events/registry-events.js';
import type { Redactor } from '../redaction/redactor.js';
import { normalizeToolResult } from '../results/tool-call-result.js';
import type { ServerTask } from '../tasks/task-wire.js';
import { createToolTask, type TaskRef, type ToolTask } from '../tasks/tool-task.js';
import type { Catalogue } from './catalogue.js';
import type { ResumeTaskOptions, StartTaskOptions } from './registry-types.js';
import type { ServerRequestScopes } from './server-request-scopes.js';
import type { ServerSlot } from './server-slot.js';

/** A call the server answered with a task, for `startTask()` to hand out. */
export class CreatedTask {
  readonly slot: ServerSlot;
  readonly serverToolName: string;
  readonly task: ServerTask;
  // No parameter properties: core's sources also run type-stripped (Node's strip-only mode).
  constructor(slot: ServerSlot, serverToolName: string, task: ServerTask) {
    this.slot = slot;
    this.serverToolName = serverToolName;
    this.task = task;
  }
}

/** The `task:update` event for a task's state. */
export function taskEvent(
  server: string,
  tool: string | undefined,
  task: ServerTask,
): RegistryEvents['task:update'] {
  return {
    server,
    tool,
    taskId: task.taskId,
    status: task.status,
    statusMessage: task.statusMessage,
    progress: task.progress,
  };
}

/** What task handles need from the registry. */
export interface TaskHandOffOptions {
  emitter: TypedEmitter<RegistryEvents>;
  redactor: Redactor;
  serverRequests: ServerRequestScopes;
  catalogue: Catalogue;
  requireSlot(name: string): ServerSlot;
  isClosed(): boolean;
}

/** Makes `ToolTask` handles for created and resumed tasks. */
export class TaskHandOff {
  private readonly options: TaskHandOffOptions;

  constructor(options: TaskHandOffOptions) {
    this.options = options;
  }

  /**
   * `startTask()`'s handle on the task a call of `name` created; the call's own handlers answer
   * the task's questions, before its conversation's and the registry's.
   */
  started(created: CreatedTask, name: string, options: StartTaskOptions): ToolTask {
    return this.handle(
      created.slot,
      { server: created.slot.name, taskId: created.task.taskId, tool: name },
      {
        sessionKey: options.sessionKey,
        serverToolName: created.serverToolName,
        initial: created.task,
        handlers: this.options.serverRequests.handlersFor(
          options.sessionKey,
          handlersOf(options),
          'startTask',
        ),
      },
    );
  }

  /** `resumeTask()`: a handle on a task known by its reference, once the server confirms it exists. */
  async resume(ref: TaskRef, options: ResumeTaskOptions): Promise<ToolTask> {
    if (this.options.isClosed()) {
      throw new ToolwireError({ code: 'REGISTRY_CLOSED', message: 'The registry is closed' });
    }
    const slot = this.options.requireSlot(ref.server);
    const entry = ref.tool === undefined ? undefined : this.options.catalogue.get(ref.tool);
    const handle = this.handle(slot, ref, {
      sessionKey: options.sessionKey,
      serverToolName: entry?.tool.name,
      initial: undefined,
      handlers: this.options.serverRequests.handlersFor(
        options.sessionKey,
        handlersOf(options),
        'resumeTask',
      ),
    });
    // The task must exist (TASK_NOT_FOUND otherwise) before the caller relies on the handle.
    await handle.get({ signal: options.signal });
    return handle;
  }

  /** A handle on a task of `slot`'s server; every operation leases a connection of its own. */
  private handle(
    slot: ServerSlot,
    ref: TaskRef,
    context: {
      sessionKey: string | undefined;
      serverToolName: string | undefined;
      initial: ServerTask | undefined;
      /** Who answers the task's questions while the handle follows it. */
      handlers: ServerRequestHandlers;
    },
  ): ToolTask {
    const { emitter, redactor, serverRequests } = this.options;
    const scope = slot.scopeFor(context.sessionKey, { strict: true, tool: ref.tool });
    return createToolTask({
      ref,
      serverToolName: context.serverToolName,
      sessionKey: context.sessionKey,
      requestTimeoutMs: slot.definition.callTimeoutMs,
      handlers: context.handlers,
      handlerTimeoutMs: serverRequests.timeoutMs,
      initial: context.initial,
      lease: () => slot.lease(scope, context.sessionKey, ref.tool),
      onUpdate: (update) => emitter.emit('task:update', taskEvent(slot.name, ref.tool, update)),
      redactError: (error) =>
        redactor.error(
          ToolwireError.isInstance(error)
            ? error
            : new ToolwireError({
                code: 'INTERNAL',
                server: slot.name,
                tool: ref.tool,
                cause: error,
                message: String(error),
              }),
        ),
      normalize: (raw, durationMs) =>
        normalizeToolResult(raw, {
          tool: ref.tool ?? context.serverToolName ?? '',
          server: slot.name,
          serverToolName: context.serverToolName ?? ref.tool ?? '',
          durationMs,
        }),
    });
  }
}

/** Only the handler options of a call's options (never its other fields). */
function handlersOf(options: ServerRequestHandlers): ServerRequestHandlers {
  return { onElicitation: options.onElicitation, onSampling: options.onSampling, onRoots: options.onRoots };
}
