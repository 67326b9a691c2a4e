/**
 * `ToolException`: thrown instead of returning an error `ToolMessage` when the tool itself
 * reported a failure (`isError: true`) and the caller asked for exceptions (`toolErrors: 'throw'`),
 * or when there is no tool call to answer with a message.
 */
import { type ToolCallResult, ToolwireError } from '@toolwire/core';

const marker = Symbol.for('toolwire.error.tool-exception');

/** Options for {@link ToolException}. */
export interface ToolExceptionOptions {
  /** The registry's result of the failed call (its text is the message). */
  result: ToolCallResult;
}

/** A tool reported an error (`isError: true`); `code` is `TOOL_ERROR` and `result` holds the full result. */
export class ToolException extends ToolwireError {
  readonly [marker] = true;
  override name = 'ToolException';
  /** The tool's result, as the registry normalized it. */
  readonly result: ToolCallResult;

  constructor({ result }: ToolExceptionOptions) {
    super({
      code: 'TOOL_ERROR',
      server: result.server,
      tool: result.tool,
      message: `Tool "${result.tool}" reported an error: ${result.text || 'the tool reported an error'}`,
    });
    this.result = result;
  }

  /** True for a `ToolException` from any copy of the package. */
  static override isInstance(error: unknown): error is ToolException {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
