/**
 * How a tool says it may run as a task (`defineTool({ task })`), checked once when the tool is
 * published. A task tool called by a 2026-07-28 client that declared the Tasks extension answers
 * at once with a task the client polls, while the tool runs on.
 */
import { ToolwireError } from '@toolwire/core';

/** `'optional'`: a task when the client supports tasks, else a plain call; `'required'`: only as a task. */
export type TaskSupport = 'optional' | 'required';

/** The long form of `defineTool({ task })`. */
export interface ToolTaskOptions {
  /** Default `'optional'`. A `'required'` tool is refused (`-32021`) to clients without the Tasks extension. */
  support?: TaskSupport | undefined;
  /**
   * `'immediate'` (default): the task starts before `execute` runs. `'explicit'`: `execute` runs
   * as a plain call (its questions are `input_required` rounds) until it calls
   * `context.startTask()`; from then on the call is a task. A tool that returns without starting
   * one answers with its result directly.
   */
  start?: 'immediate' | 'explicit' | undefined;
  /** How long the task and its result are kept after its last change, in ms (default: the publisher's `tasks.ttlMs`). */
  ttlMs?: number | undefined;
  /** How often clients should poll it, in ms (default: the publisher's `tasks.pollIntervalMs`). */
  pollIntervalMs?: number | undefined;
}

/** `defineTool({ task })`: `true` is `'optional'`. */
export type ToolTaskOption = boolean | TaskSupport | ToolTaskOptions;

/** A tool's task settings after checking. */
export interface ResolvedTaskOptions {
  support: TaskSupport;
  start: 'immediate' | 'explicit';
  ttlMs: number | undefined;
  pollIntervalMs: number | undefined;
}

/** Checks `defineTool({ task })`; `undefined` for a tool that never runs as a task. */
export function resolveTaskOptions(option: unknown, toolName: string): ResolvedTaskOptions | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true || option === 'optional' || option === 'required') {
    return {
      support: option === true ? 'optional' : option,
      start: 'immediate',
      ttlMs: undefined,
      pollIntervalMs: undefined,
    };
  }
  if (typeof option !== 'object' || option === null) {
    throw invalid(toolName, `task must be true, 'optional', 'required' or an options object`);
  }
  const { support = 'optional', start = 'immediate', ttlMs, pollIntervalMs } = option as ToolTaskOptions;
  if (support !== 'optional' && support !== 'required') {
    throw invalid(toolName, `task.support must be 'optional' or 'required', not ${String(support)}`);
  }
  if (start !== 'immediate' && start !== 'explicit') {
    throw invalid(toolName, `task.start must be 'immediate' or 'explicit', not ${String(start)}`);
  }
  for (const [key, value] of [
    ['ttlMs', ttlMs],
    ['pollIntervalMs', pollIntervalMs],
  ] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      throw invalid(toolName, `task.${key} must be a positive integer of milliseconds, not ${String(value)}`);
    }
  }
  return { support, start, ttlMs, pollIntervalMs };
}

function invalid(toolName: string, detail: string): ToolwireError {
  return new ToolwireError({
    code: 'CONFIG_INVALID',
    tool: toolName,
    message: `Tool "${toolName}": ${detail}.`,
  });
}
