/**
 * One `tools/call`, from request to result, on either protocol era:
 * - an unknown tool or a malformed request is a JSON-RPC error (a protocol error);
 * - arguments that fail the tool's schema are a tool execution error, an `isError` result naming
 *   each failing path, capped (MCP 2025-11-25, SEP-1303), and the tool never runs;
 * - the tool runs with a signal that fires on client cancellation, on a disconnect where the era
 *   makes that a cancellation, at its deadline (`callTimeoutMs` / a tool's `timeoutMs`), and on
 *   shutdown; a call past its deadline is answered at once with an `isError` result;
 * - a thrown error becomes an `isError` result with its message only; a result that cannot be
 *   written as JSON becomes an `isError` result, and the operator's `onError` hears about it;
 * - on 2026-07-28 the `requestState` of earlier input rounds is verified before the tool runs, and
 *   a run that asked the client what it has not answered yet ends with an `input_required` result
 *   (`input/input-round-trip.ts`).
 */
import {
  type CallToolResult,
  type InputRequiredResult,
  type McpServer,
  MissingRequiredClientCapabilityError,
  ProtocolError,
  ProtocolErrorCode,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { ToolwireError } from '@toolwire/core';
import { sessionOwnerKey } from '../http/session-owner.js';
import { bindingFor, closeRound, type LazyBinding, openRounds } from '../input/input-round-trip.js';
import type { InputRounds } from '../input/input-rounds.js';
import { invalidArgumentsResult } from '../schema/argument-issues.js';
import { clientSupportsTasks, TaskCall, tasksRequiredError } from '../tasks/task-call.js';
import { runTraced } from '../telemetry/run-traced.js';
import type { PublishedTool } from '../tools/published-tool.js';
import type { ProtocolEra, ToolContext } from '../tools/tool-context.js';
import {
  errorResult,
  serializationError,
  toErrorResult,
  UnserializableResultError,
} from '../tools/tool-result.js';
import { limitText } from '../util/limit-text.js';
import type { ServerBlueprint } from './build-server.js';
import { channelOf } from './call-channel.js';
import type { TrackedCall } from './call-tracker.js';
import { createToolContext } from './create-tool-context.js';

type CallRequest = { params: { name: string; arguments?: Record<string, unknown> | undefined } };

/** Returns the `tools/call` handler for one SDK server instance. */
export function createToolCallHandler(server: McpServer, blueprint: ServerBlueprint, era: ProtocolEra) {
  return async (
    request: CallRequest,
    context: ServerContext,
  ): Promise<CallToolResult | InputRequiredResult> => {
    // The live catalogue: a tool removed or disabled at run time is unknown from then on.
    const tool = blueprint.catalogue.tool(request.params.name);
    if (!tool) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Unknown tool "${limitText(request.params.name, 200)}".`,
      );
    }
    if (blueprint.enforceScopes) assertScopes(tool, context);
    // SEP-2663: a task-only tool cannot serve a 2026-07-28 client without the Tasks extension.
    const asTask = era === 'modern' && tool.task !== undefined && clientSupportsTasks(server, context);
    if (era === 'modern' && tool.task?.support === 'required' && !asTask) {
      throw tasksRequiredError(`Tool "${tool.name}"`);
    }
    const rawArgs = request.params.arguments ?? {};
    let check: Awaited<ReturnType<PublishedTool['validate']>>;
    try {
      check = await tool.validate(rawArgs);
    } catch (error) {
      blueprint.onError(
        new ToolwireError({
          code: 'TOOL_ERROR',
          tool: tool.name,
          message: `The input schema of tool "${tool.name}" threw while checking arguments.`,
          cause: error,
        }),
      );
      return errorResult(`The arguments for tool "${tool.name}" could not be checked.`);
    }
    if (!check.valid) return invalidArgumentsResult(tool.name, check.issues, check.issueCount);
    // 2026-07-28: the state of earlier rounds is verified before the tool runs, bound to this
    // tool, these arguments and this caller.
    let input: Input | undefined;
    if (era === 'modern') {
      const binding = bindingFor('tools/call', tool.name, rawArgs, context.http?.authInfo);
      input = {
        binding,
        rounds: await openRounds(context, binding, blueprint.requestState, blueprint.onError),
      };
    }
    return run(server, blueprint, era, tool, check.value, rawArgs, context, input, asTask);
  };
}

/** A 2026-07-28 call's input rounds and what their state is bound to. */
interface Input {
  binding: LazyBinding;
  rounds: InputRounds;
}

const TIMED_OUT = Symbol('timed out');

async function run(
  server: McpServer,
  blueprint: ServerBlueprint,
  era: ProtocolEra,
  tool: PublishedTool,
  args: Record<string, unknown>,
  rawArgs: Record<string, unknown>,
  context: ServerContext,
  input: Input | undefined,
  asTask: boolean,
): Promise<CallToolResult | InputRequiredResult> {
  const channel = channelOf(context.http?.req);
  // A call that may become a task is linked to its request by hand, so the link can be cut when
  // the request answers with the task and the tool runs on.
  const requestSignal = context.mcpReq.signal;
  const call = blueprint.calls.start(asTask ? [] : [requestSignal]);
  const taskCall = asTask ? linkTaskCall(blueprint, tool, context, call) : undefined;
  const rounds = input?.rounds;
  const plainContext = createToolContext({
    server,
    context,
    era,
    signal: call.signal,
    channel,
    rounds,
    task: () => taskCall?.run,
  });
  const toolContext = taskCall ? taskContext(plainContext, taskCall) : plainContext;
  // A run that asked what the client has not answered ends the round, whatever it returned.
  const round = () => (input ? closeRound(input.rounds, input.binding, blueprint.requestState) : undefined);
  if (taskCall && tool.task?.start === 'immediate') {
    try {
      await taskCall.start();
    } catch (error) {
      call.finish();
      throw taskStoreError(blueprint, tool, error);
    }
  }
  // The tool counts as running until it settles, even when its answer was already sent (deadline).
  const running = Promise.resolve()
    .then(() =>
      runTraced(blueprint.telemetry, tool.name, context, () => tool.run(args, rawArgs, toolContext)),
    )
    .finally(call.finish);
  running.catch(() => {});

  const timeoutMs = tool.timeoutMs ?? blueprint.callTimeoutMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline =
    timeoutMs === undefined
      ? undefined
      : new Promise<typeof TIMED_OUT>((resolve) => {
          timer = setTimeout(() => {
            // Answer first, then abort: the result must not race the tool's reaction to its signal.
            resolve(TIMED_OUT);
            call.abort(timeoutError(tool.name, timeoutMs));
          }, timeoutMs);
        });
  try {
    const outcome = await Promise.race([
      running,
      ...(deadline ? [deadline] : []),
      ...(taskCall ? [taskCall.created] : []),
    ]);
    // A tool that asked for its task without waiting for it still becomes one.
    if (taskCall?.requested) await taskCall.start().catch(() => false);
    if (taskCall?.started) {
      // The call is a task now: the client gets it at once, the task settles when the tool does.
      taskCall.follow(running, {
        result: (value) => projectResult(server, blueprint, tool, value),
        error: (error) =>
          error instanceof UnserializableResultError
            ? unserializable(blueprint, tool, error.cause)
            : toErrorResult(error, tool.name),
        abortReason: () => (call.signal.aborted ? call.signal.reason : undefined),
      });
      return (await taskCall.created) as unknown as CallToolResult;
    }
    if (outcome === TIMED_OUT) return timedOut(blueprint, tool, timeoutMs as number);
    const needed = await round();
    if (needed) return needed;
    return projectResult(server, blueprint, tool, outcome as CallToolResult);
  } catch (error) {
    // 2026-07-28: a call that needs a capability the client did not declare is a protocol error (-32021).
    if (error instanceof MissingRequiredClientCapabilityError) throw error;
    const needed = await round();
    if (needed) return needed;
    if (error instanceof UnserializableResultError) return unserializable(blueprint, tool, error.cause);
    return toErrorResult(error, tool.name);
  } finally {
    clearTimeout(timer);
  }
}

function projectResult(
  server: McpServer,
  blueprint: ServerBlueprint,
  tool: PublishedTool,
  outcome: CallToolResult,
): CallToolResult {
  const result = server.server.projectCallToolResult(outcome, tool.outputSchema);
  const problem = serializationError(result);
  return problem ? unserializable(blueprint, tool, problem) : result;
}

/** The task side of a call that may become one (the request link is cut when it does). */
function linkTaskCall(
  blueprint: ServerBlueprint,
  tool: PublishedTool,
  context: ServerContext,
  call: TrackedCall,
): TaskCall {
  const requestSignal = context.mcpReq.signal;
  const onAbort = () => call.abort(requestSignal.reason);
  if (requestSignal.aborted) onAbort();
  else requestSignal.addEventListener('abort', onAbort, { once: true });
  return new TaskCall({
    manager: blueprint.tasks,
    toolName: tool.name,
    options: tool.task as NonNullable<PublishedTool['task']>,
    owner: () => sessionOwnerKey(context.http?.authInfo),
    abort: (reason) => call.abort(reason),
    detachFromRequest: () => requestSignal.removeEventListener('abort', onAbort),
  });
}

/** A tool's context that follows the call into its task: progress goes to the task, logs nowhere. */
function taskContext(plain: ToolContext, taskCall: TaskCall): ToolContext {
  return {
    ...plain,
    get taskId() {
      return taskCall.taskId;
    },
    startTask: () => taskCall.start(),
    reportProgress: (progress) =>
      taskCall.run ? taskCall.run.progress(progress) : plain.reportProgress(progress),
    log: (level, data, logger) => (taskCall.run ? Promise.resolve() : plain.log(level, data, logger)),
  };
}

function taskStoreError(blueprint: ServerBlueprint, tool: PublishedTool, cause: unknown): ProtocolError {
  blueprint.onError(
    new ToolwireError({
      code: 'STORE_UNAVAILABLE',
      tool: tool.name,
      message: `A task for tool "${tool.name}" could not be stored.`,
      cause,
    }),
  );
  return new ProtocolError(
    ProtocolErrorCode.InternalError,
    `A task for tool "${tool.name}" could not be started.`,
  );
}

function timeoutError(toolName: string, timeoutMs: number): ToolwireError {
  return new ToolwireError({
    code: 'TIMEOUT',
    tool: toolName,
    message: `Tool "${toolName}" did not finish within ${timeoutMs} ms; its signal was aborted.`,
  });
}

function timedOut(blueprint: ServerBlueprint, tool: PublishedTool, timeoutMs: number): CallToolResult {
  blueprint.onError(timeoutError(tool.name, timeoutMs));
  return errorResult(`Tool "${tool.name}" did not finish within ${timeoutMs} ms and was stopped.`);
}

function unserializable(blueprint: ServerBlueprint, tool: PublishedTool, cause: unknown): CallToolResult {
  blueprint.onError(
    new ToolwireError({
      code: 'TOOL_ERROR',
      tool: tool.name,
      message: `Tool "${tool.name}" returned a result that cannot be serialized to JSON (a BigInt, a circular reference or a throwing toJSON).`,
      cause,
    }),
  );
  return errorResult(
    `Tool "${tool.name}" returned a result that cannot be sent as JSON. This is a bug in the tool, not in the arguments.`,
  );
}

function assertScopes(tool: PublishedTool, context: ServerContext): void {
  if (tool.scopes.length === 0) return;
  const granted = new Set(context.http?.authInfo?.scopes ?? []);
  const missing = tool.scopes.filter((scope) => !granted.has(scope));
  if (missing.length > 0) {
    throw new ProtocolError(
      ProtocolErrorCode.InvalidRequest,
      `Insufficient scope for tool "${tool.name}": missing ${missing.join(', ')}.`,
    );
  }
}
