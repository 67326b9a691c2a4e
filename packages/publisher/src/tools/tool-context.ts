/**
 * What a published tool sees while it runs: the caller (auth info, session), cancellation, and
 * the channels back to the client (progress, logging, elicitation, sampling). The same shape
 * serves both protocol eras; `era` tells which one the call arrived on.
 */
import type {
  AuthInfo,
  ClientCapabilities,
  CreateMessageRequestParams,
  CreateMessageResult,
  ElicitResult,
  Implementation,
  LoggingLevel,
  Root,
  ServerContext,
} from '@modelcontextprotocol/server';

/** A progress update; `total` and `message` are optional, `progress` should increase. */
export interface ToolProgress {
  progress: number;
  total?: number | undefined;
  message?: string | undefined;
}

/** A form-mode elicitation: a message and a flat JSON Schema of primitive fields. */
export interface ElicitationRequest {
  message: string;
  requestedSchema: Record<string, unknown>;
}

/** Options for `elicit` and `sample`. */
export interface InputOptions {
  /**
   * The key of this question in a 2026-07-28 `input_required` result (default: `toolwire-<n>`,
   * numbered in asking order). Give stable keys when clients or tests look for them.
   */
  key?: string | undefined;
}

/**
 * The protocol era a call arrived on: `'legacy'` for the 2025 revisions (sessions, server to
 * client requests), `'modern'` for 2026-07-28 (per-request, multi-round-trip input).
 */
export type ProtocolEra = 'legacy' | 'modern';

export interface ToolContext {
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
  /** True when the client declared the elicitation capability. */
  readonly canElicit: boolean;
  /** True when the client declared the sampling capability. */
  readonly canSample: boolean;
  /** True when the client declared the roots capability. */
  readonly canListRoots: boolean;
  /**
   * Asks the user for input through the client. When the client does not support elicitation it
   * throws: on the 2025 era a `ToolwireError` (`PROTOCOL_ERROR`, which becomes the call's `isError`
   * result unless caught); on 2026-07-28 the SDK's `MissingRequiredClientCapabilityError`, which
   * the client receives as error -32021. On the 2026-07-28 era this uses a multi-round-trip
   * `input_required` result: the tool is run again with the answer, so work done before the
   * first `elicit()` call runs twice; keep it side-effect free.
   */
  elicit(request: ElicitationRequest, options?: InputOptions): Promise<ElicitResult>;
  /** Asks the client's model for a completion (same era rules as `elicit`). */
  sample(request: CreateMessageRequestParams, options?: InputOptions): Promise<CreateMessageResult>;
  /** Asks the client for its roots (the directories or files it exposes), same era rules as `elicit`. */
  listRoots(options?: InputOptions): Promise<Root[]>;
  /**
   * The SDK's own request context, for what this context does not wrap (e.g. `http.closeSSE`
   * to end a long call's stream so the client polls). Its shape follows the SDK's version.
   */
  sdkContext: ServerContext;
}
