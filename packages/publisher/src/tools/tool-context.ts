/**
 * What a published tool sees while it runs: the caller (auth info, session), cancellation, and
 * the channels back to the client (progress, logging, elicitation, sampling). The same shape
 * serves both protocol eras; `era` tells which one the call arrived on.
 */
import type {
  AuthInfo,
  ClientCapabilities,
  Implementation,
  LoggingLevel,
  ServerContext,
} from '@modelcontextprotocol/server';
import type { InputContext } from '../input/input-api.js';

/** A progress update; `total` and `message` are optional, `progress` should increase. */
export interface ToolProgress {
  progress: number;
  total?: number | undefined;
  message?: string | undefined;
}

/**
 * The protocol era a call arrived on: `'legacy'` for the 2025 revisions (sessions, server to
 * client requests), `'modern'` for 2026-07-28 (per-request, multi-round-trip input).
 */
export type ProtocolEra = 'legacy' | 'modern';

/**
 * What every running tool and prompt sees: the caller, cancellation, and the questions it may ask
 * the client (`InputContext`: `elicit`, `sample`, `listRoots`, `input`).
 */
export interface RequestContext extends InputContext {
  /**
   * Aborted when the client cancels the call, at the call's deadline (`callTimeoutMs` /
   * `timeoutMs`, reason code `TIMEOUT`), when the publisher shuts down, and when the client
   * disconnects where the protocol era makes that a cancellation: on 2026-07-28 and on stateless
   * 2025 servers. On a 2025 session a dropped connection is not a cancellation (the client may
   * resume the stream); the session's deletion or expiry aborts its calls.
   */
  signal: AbortSignal;
  /** The MCP session id (stateful Streamable HTTP), or `undefined` (stdio, stateless, 2026-07-28). */
  sessionId: string | undefined;
  /** The verified bearer token's info when the publisher requires auth; never the raw header. */
  authInfo: AuthInfo | undefined;
  /** The JSON-RPC id of this call. */
  requestId: string | number;
  era: ProtocolEra;
  /** The client's name and version, when it sent them. */
  clientInfo: Implementation | undefined;
  clientCapabilities: ClientCapabilities | undefined;
  /**
   * The SDK's own request context, for what this context does not wrap (e.g. `http.closeSSE`
   * to end a long call's stream so the client polls). Its shape follows the SDK's version.
   */
  sdkContext: ServerContext;
}

/** What a running tool sees: the request context, plus progress and logging back to the client. */
export interface ToolContext extends RequestContext {
  /**
   * Sends `notifications/progress` when the caller asked for progress; a no-op otherwise. Waits
   * while the client is not reading its response stream (backpressure), and does nothing once
   * the call is aborted.
   */
  reportProgress(progress: ToolProgress): Promise<void>;
  /**
   * Sends a log message to the client (`notifications/message`), honouring the client's log
   * level; waits like `reportProgress` while the client is not reading.
   */
  log(level: LoggingLevel, data: unknown, logger?: string): Promise<void>;
  /**
   * The id of the task this call runs as (a `defineTool({ task })` tool called by a client with
   * the Tasks extension), or `undefined` for a plain call.
   */
  readonly taskId: string | undefined;
  /**
   * True when the caller declared the Tasks extension (SEP-2663, `io.modelcontextprotocol/tasks`):
   * in this request's `_meta` capabilities on 2026-07-28, else in the session's (2025 era,
   * `initialize`). A relay such as a gateway calls its upstreams without the extension when this
   * is false, so a task-only upstream tool refuses the caller as it would refuse it directly.
   */
  readonly tasksDeclared: boolean;
  /**
   * For a tool declared `task: { start: 'explicit' }`: turns the call into a task now (the client
   * gets the task at once; the tool runs on). Questions asked before this are plain
   * `input_required` rounds (the tool runs again with the answers); after it they are questions
   * of the task. Resolves `true` once the call is a task, `false` when it cannot be one (a
   * 2025-era call, a client without the Tasks extension, a tool without `task`): it then goes on
   * as a plain call. While a task, `reportProgress` sets the task's status message and `log`
   * sends nothing (there is no response stream).
   */
  startTask(): Promise<boolean>;
}
