/**
 * The one error base of toolwire. Every error we throw is a `ToolwireError` with a stable
 * string `code`, the server and tool it concerns, and the underlying `cause`.
 *
 * Recognise errors with `ToolwireError.isInstance(error)` (or a subclass's own `isInstance`),
 * not `instanceof`: two copies of the package in one process would make `instanceof` lie.
 */

const marker = Symbol.for('toolwire.error');

/** Stable codes; new ones may be added, existing ones never change meaning. */
export type ToolwireErrorCode =
  | 'CONFIG_INVALID'
  | 'CONNECT_FAILED'
  | 'AUTH_FAILED'
  | 'TOOL_NOT_FOUND'
  | 'TOOL_DISABLED'
  | 'INVALID_ARGUMENTS'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'TOOL_ERROR'
  | 'PROTOCOL_ERROR'
  | 'SERVER_CLOSED'
  | 'REGISTRY_CLOSED'
  | 'CACHE_ERROR'
  | 'POOL_EXHAUSTED'
  | 'SESSION_REQUIRED'
  | 'INVALID_OPTIONS'
  | 'RESULT_TOO_LARGE'
  | 'STORE_UNAVAILABLE'
  | 'HANDLER_FAILED'
  /** The server does not know the task (never created, expired, or another caller's). */
  | 'TASK_NOT_FOUND'
  /** The server does not offer tasks (MCP Tasks extension), or refused them to this client. */
  | 'TASK_UNSUPPORTED'
  /** The task ended with a protocol-level error (`status: "failed"`). */
  | 'TASK_FAILED'
  /**
   * The tool runs only as a task, and the call declared no Tasks extension (`tasks: false`):
   * the server refused it with `-32021` (Missing Required Client Capability).
   */
  | 'TASK_REQUIRED'
  /**
   * A stored value could not be decrypted with the store's `encryptionKey` (another key wrote it,
   * it was written unencrypted, or it was altered).
   */
  | 'DECRYPTION_FAILED'
  /** A tool-call interceptor failed: it threw, set a bad header, or returned no tool result. */
  | 'INTERCEPTOR_FAILED'
  /** A gateway's policy refused the call (tool not allowed to the caller, arguments too large). */
  | 'POLICY_DENIED'
  /** A rate limit refused the call; the error says which limit and when to retry. */
  | 'RATE_LIMITED'
  | 'INTERNAL';

export interface ToolwireErrorOptions {
  message: string;
  code: ToolwireErrorCode;
  /** The configured server name this error concerns, when there is one. */
  server?: string | undefined;
  /** The registry (exposed) tool name this error concerns, when there is one. */
  tool?: string | undefined;
  cause?: unknown;
  /** The JSON-RPC error the server answered with, when the failure is one (see `ToolwireError.protocolError`). */
  protocolError?: ProtocolErrorInfo | undefined;
}

/** A JSON-RPC error as the server sent it: its code, message and `data`. */
export interface ProtocolErrorInfo {
  code: number;
  message: string;
  data?: unknown;
}

export class ToolwireError extends Error {
  readonly [marker] = true;
  override name = 'ToolwireError';
  readonly code: ToolwireErrorCode;
  readonly server: string | undefined;
  readonly tool: string | undefined;
  /**
   * The JSON-RPC error the server answered with, unchanged (redacted like the rest of the error),
   * when the failure is one: a refused request (`TOOL_ERROR`, `TASK_REQUIRED`, …) or a task that
   * failed (`TASK_FAILED`: the task's `error`). A relay such as a gateway passes it on as it came.
   */
  readonly protocolError: ProtocolErrorInfo | undefined;

  constructor({ message, code, server, tool, cause, protocolError }: ToolwireErrorOptions) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.server = server;
    this.tool = tool;
    this.protocolError = protocolError;
  }

  /** True for any toolwire error, from any copy of the package. */
  static isInstance(error: unknown): error is ToolwireError {
    return hasMarker(error, marker);
  }

  /**
   * A plain object for logs and JSON output. A registry redacts its errors before they leave it
   * (message, stack, fields and `cause` chain; see `redaction/redactor.ts`), so this holds no secret.
   */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.server === undefined ? {} : { server: this.server }),
      ...(this.tool === undefined ? {} : { tool: this.tool }),
      ...(this.protocolError === undefined ? {} : { protocolCode: this.protocolError.code }),
    };
  }
}

/** Shared by the subclasses: checks a `Symbol.for` brand without trusting `instanceof`. */
export function hasMarker(value: unknown, symbol: symbol): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    symbol in value &&
    (value as Record<symbol, unknown>)[symbol] === true
  );
}
