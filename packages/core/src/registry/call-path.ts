/**
 * The one path every tool call takes: refused early when the registry is closed, the tool is
 * unknown or disabled, or the call was already cancelled; then interceptors, argument
 * validation, a leased connection (connecting just in time), a deadline over all attempts, a
 * retry only when that is safe, task hand-off, result normalisation, and stats and events for
 * every outcome. Errors leave it redacted.
 */
import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import { InvalidArgumentsError } from '../errors/invalid-arguments-error.js';
import { ToolwireError } from '../errors/toolwire-error.js';
import type { TypedEmitter } from '../events/event-emitter.js';
import type { RegistryEvents } from '../events/registry-events.js';
import { type InterceptedCall, interceptCall } from '../interceptors/intercept-call.js';
import type { PlacedInterceptor } from '../interceptors/run-interceptors.js';
import { type ConnectionLease, SHARED_SCOPE } from '../pool/connection-pool.js';
import { classifyFailure, isConnectionBroken, mayRetry } from '../pool/retry-policy.js';
import type { Redactor } from '../redaction/redactor.js';
import { normalizeToolResult, type ToolCallResult } from '../results/tool-call-result.js';
import type { ValidationResult } from '../schema/schema-types.js';
import { createdTaskOf } from '../tasks/created-task-reply.js';
import { followTask } from '../tasks/follow-task.js';
import { parseServerTask } from '../tasks/task-wire.js';
import { checkTimeoutOption, Deadline } from '../util/deadline.js';
import type { ArgumentValidation } from './argument-validation.js';
import type { CallStats } from './call-stats.js';
import type { Catalogue } from './catalogue.js';
import type { CallToolOptions } from './registry-types.js';
import type { ServerLogRelay } from './server-log-relay.js';
import type { ServerRequestScopes } from './server-request-scopes.js';
import type { ServerSlot } from './server-slot.js';
import { CreatedTask, taskEvent } from './task-hand-off.js';

/** What the call path needs from the registry. */
export interface CallPathOptions {
  catalogue: Catalogue;
  validation: ArgumentValidation;
  callStats: CallStats;
  emitter: TypedEmitter<RegistryEvents>;
  redactor: Redactor;
  interceptors: PlacedInterceptor[];
  serverRequests: ServerRequestScopes;
  logRelay: ServerLogRelay;
  isClosed(): boolean;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, server?: string): void;
}

/** Tool calls and argument checks, counted in stats and events. */
export class CallPath {
  private readonly options: CallPathOptions;
  private callCounter = 0;

  constructor(options: CallPathOptions) {
    this.options = options;
  }

  /**
   * Calls the tool `name`. With `detach`, a call the server answers with a task ends with the
   * `CreatedTask` (for `startTask()`) instead of following the task to its result.
   */
  async invoke(
    name: string,
    args: Record<string, unknown>,
    options: CallToolOptions,
    detach: boolean,
  ): Promise<ToolCallResult | CreatedTask> {
    const { catalogue, emitter, redactor, callStats } = this.options;
    if (this.options.isClosed()) {
      throw new ToolwireError({ code: 'REGISTRY_CLOSED', tool: name, message: 'The registry is closed' });
    }
    const entry = catalogue.get(name);
    if (!entry) throw catalogue.notFound(name);
    const { slot, tool } = entry;
    checkTimeoutOption(options.timeoutMs, { option: 'timeoutMs', server: slot.name, tool: name });
    if (entry.disabledReason || slot.status === 'disabled') {
      const why =
        entry.disabledReason === 'config'
          ? `by enabledTools/disabledTools at ${slot.definition.configPath}`
          : entry.disabledReason === 'call'
            ? 'by disableTool()'
            : `because server "${slot.name}" is disabled`;
      throw new ToolwireError({
        code: 'TOOL_DISABLED',
        server: slot.name,
        tool: name,
        message: `Tool "${name}" is disabled ${why}`,
      });
    }
    if (options.signal?.aborted) {
      throw new ToolwireError({
        code: 'CANCELLED',
        server: slot.name,
        tool: name,
        message: `Call to tool "${name}" was cancelled before it started`,
      });
    }
    const callId = ++this.callCounter;
    const base = { tool: name, server: slot.name, callId, sessionKey: options.sessionKey };
    emitter.emit('call:start', base);
    const started = performance.now();
    try {
      const identity = { tool: name, server: slot.name, serverToolName: tool.name };
      const outcome = await interceptCall(
        this.options.interceptors,
        identity,
        args,
        options,
        detach,
        async (sent) => {
          const raw = await this.callOnPool(name, slot, tool, sent, args, options, callId, detach);
          if (raw instanceof CreatedTask) return raw;
          return normalizeToolResult(raw, {
            tool: name,
            server: slot.name,
            serverToolName: tool.name,
            durationMs: performance.now() - started,
          });
        },
      );
      const durationMs = performance.now() - started;
      if (outcome instanceof CreatedTask) {
        // startTask(): the call ended with a task the caller follows on its own.
        callStats.record(slot, tool.name, durationMs, undefined);
        emitter.emit('call:end', { ...base, durationMs, outcome: 'ok', error: undefined });
        return outcome;
      }
      const result = outcome;
      const toolError = result.isError
        ? {
            code: 'TOOL_ERROR' as const,
            message: redactor.text(result.text) || 'the tool reported an error',
          }
        : undefined;
      callStats.record(slot, tool.name, durationMs, toolError);
      emitter.emit('call:end', {
        ...base,
        durationMs,
        outcome: result.isError ? 'tool-error' : 'ok',
        error: undefined,
      });
      return result;
    } catch (error) {
      const durationMs = performance.now() - started;
      const failure = redactor.error(
        ToolwireError.isInstance(error)
          ? error
          : new ToolwireError({
              code: 'INTERNAL',
              server: slot.name,
              tool: name,
              cause: error,
              message: String(error),
            }),
      );
      callStats.record(slot, tool.name, durationMs, failure);
      emitter.emit('call:end', { ...base, durationMs, outcome: 'failed', error: failure });
      throw failure;
    }
  }

  /** `Registry.validateArguments()`: the outcome, neither thrown nor counted. */
  validate(name: string, args: unknown): ValidationResult {
    const { catalogue, validation } = this.options;
    const entry = catalogue.get(name);
    if (!entry) throw catalogue.notFound(name);
    return validation.validate(name, entry.slot.name, entry.tool, args);
  }

  /** `Registry.checkArguments()`: throws for invalid arguments, counted as a refused call. */
  check(name: string, args: unknown, options: { sessionKey?: string | undefined }): void {
    const { catalogue, validation, redactor, emitter, callStats } = this.options;
    const entry = catalogue.get(name);
    if (!entry) throw catalogue.notFound(name);
    const { slot, tool } = entry;
    const outcome = validation.validate(name, slot.name, tool, args);
    if (outcome.valid) return;
    // Counted like a call that `callTool` refused for its arguments: one path for stats and events.
    const callId = ++this.callCounter;
    const base = { tool: name, server: slot.name, callId, sessionKey: options.sessionKey };
    const error = redactor.error(invalidArguments(name, slot.name, outcome));
    emitter.emit('call:start', base);
    callStats.record(slot, tool.name, 0, error);
    emitter.emit('call:end', { ...base, durationMs: 0, outcome: 'failed', error });
    throw error;
  }

  private requireValidArguments(
    name: string,
    slot: ServerSlot,
    tool: Tool,
    args: unknown,
    options: CallToolOptions,
  ): asserts args is Record<string, unknown> {
    // Not an object is refused even with `validate: false`: nothing else can be sent as arguments.
    const outcome =
      options.validate === false && typeof args === 'object' && args !== null && !Array.isArray(args)
        ? { valid: true as const }
        : this.options.validation.validate(name, slot.name, tool, args);
    if (!outcome.valid) throw invalidArguments(name, slot.name, outcome);
  }

  /**
   * Sends a call on the scope's connection (connecting just in time). A call that cannot have run
   * (expired HTTP session, server unreachable) is re-sent once on a fresh connection; one that may
   * have run is re-sent only for tools annotated idempotent or read-only.
   */
  private async callOnPool(
    name: string,
    slot: ServerSlot,
    listedTool: Tool,
    sent: InterceptedCall,
    callerArgs: Record<string, unknown>,
    options: CallToolOptions,
    callId: number,
    detach: boolean,
  ): Promise<CallToolResult | CreatedTask> {
    const { serverRequests, emitter } = this.options;
    const args = sent.arguments;
    // Arguments a model got wrong count as failed calls in stats and events (invoke's catch).
    // Checked as sent, after interceptors: `validate: false` covers only the caller's own.
    this.requireValidArguments(name, slot, listedTool, args, args === callerArgs ? options : {});
    const scope = slot.scopeFor(options.sessionKey, { strict: true, tool: name });
    const handlers = serverRequests.forCall(
      options.sessionKey,
      { onElicitation: options.onElicitation, onSampling: options.onSampling, onRoots: options.onRoots },
      scope === SHARED_SCOPE,
    );
    const budgetMs = options.timeoutMs ?? slot.definition.callTimeoutMs;
    let deadline: Deadline | undefined;
    for (let attempt = 1; ; attempt++) {
      // An open connection is lent at once: a sequential call spends no turn waiting for it.
      const lease: ConnectionLease =
        slot.leaseOpen(scope, options.sessionKey) ?? (await slot.lease(scope, options.sessionKey, name));
      let tool = listedTool;
      // Once the server answered with a task the call has run: nothing after that is re-sent.
      let taskCreated = false;
      try {
        tool = this.confirmTool(name, slot, listedTool, args, options);
        // The first attempt starts the clock; a retry gets only what is left of it.
        deadline ??= new Deadline(budgetMs);
        const timeoutMs = deadline.remainingMs();
        if (timeoutMs === 0) throw callTimedOut(slot.name, name, budgetMs);
        try {
          return await lease.connection.callTool(
            tool.name,
            args,
            {
              signal: options.signal,
              sessionKey: options.sessionKey,
              timeoutMs,
              budgetMs,
              onProgress: options.onProgress,
              handlers,
              callId,
              onLog: options.onLog,
              logLevel: this.options.logRelay.callLevel(slot, options),
              headers: sent.headers,
              meta: sent.meta,
              tasks: options.tasks,
            },
            name,
          );
        } catch (error) {
          const created = createdTaskOf(error);
          if (!created) throw error;
          taskCreated = true;
          const task = parseServerTask(created, { server: slot.name, tool: name });
          options.onTask?.({ server: slot.name, taskId: task.taskId, tool: name });
          emitter.emit('task:update', taskEvent(slot.name, name, task));
          if (detach) return new CreatedTask(slot, tool.name, task);
          // Each poll gets the call's timeout; the wait for the task itself has no deadline
          // beyond the caller's signal (a task is meant to outlive a call's budget).
          return await followTask(task, {
            connection: lease.connection,
            tool: name,
            signal: options.signal,
            requestTimeoutMs: slot.definition.callTimeoutMs,
            sessionKey: options.sessionKey,
            onProgress: options.onProgress,
            onUpdate: (update) => emitter.emit('task:update', taskEvent(slot.name, name, update)),
            handlers: serverRequests.handlersFor(options.sessionKey, {
              onElicitation: options.onElicitation,
              onSampling: options.onSampling,
              onRoots: options.onRoots,
            }),
            handlerTimeoutMs: serverRequests.timeoutMs,
          });
        }
      } catch (error) {
        if (taskCreated) throw error;
        const kind = classifyFailure(error);
        if (isConnectionBroken(kind)) void slot.pool.discard(lease.connection);
        if (
          attempt === 1 &&
          mayRetry(kind, tool.annotations) &&
          !options.signal?.aborted &&
          !this.options.isClosed()
        ) {
          this.options.log(
            'debug',
            `"${name}" failed (${kind}); sending it again on a new connection`,
            slot.name,
          );
          continue;
        }
        throw error;
      } finally {
        lease.release();
      }
    }
  }

  /**
   * After a just-in-time connect the live tool list replaces the cached one: the tool must still
   * exist, and arguments checked against a cached schema are checked again against the live one.
   */
  private confirmTool(
    name: string,
    slot: ServerSlot,
    listedTool: Tool,
    args: Record<string, unknown>,
    options: CallToolOptions,
  ): Tool {
    const current = this.options.catalogue.get(name);
    if (current?.tool === listedTool) return listedTool;
    if (!current || current.slot !== slot || current.tool.name !== listedTool.name) {
      throw new ToolwireError({
        code: 'TOOL_NOT_FOUND',
        tool: name,
        server: slot.name,
        message: `Tool "${name}" is no longer offered by server "${slot.name}" (its tool list changed since it was cached)`,
      });
    }
    if (options.validate !== false) {
      const outcome = this.options.validation.validate(name, slot.name, current.tool, args);
      if (!outcome.valid) throw invalidArguments(name, slot.name, outcome);
    }
    return current.tool;
  }
}

/** The retry of a call found its deadline already spent (reconnecting took the rest). */
function callTimedOut(server: string, tool: string, budgetMs: number): ToolwireError {
  return new ToolwireError({
    code: 'TIMEOUT',
    server,
    tool,
    message: `Tool "${tool}" timed out after ${budgetMs} ms (the time ran out before it could be sent again)`,
  });
}

function invalidArguments(
  tool: string,
  server: string,
  outcome: Extract<ValidationResult, { valid: false }>,
): InvalidArgumentsError {
  return new InvalidArgumentsError({ tool, server, issues: outcome.issues, issueCount: outcome.issueCount });
}
