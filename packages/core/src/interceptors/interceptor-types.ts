/**
 * The shapes of tool-call interceptors: middleware around `registry.callTool()` that may change
 * a call's arguments and HTTP headers, change its result, or answer it without the server.
 */
import type { ToolCallResult } from '../results/tool-call-result.js';

/** What an interceptor sees of one tool call. Read-only: changes go through `next(changes)`. */
export interface ToolCallContext {
  /** The registry's name of the tool (`server__tool` when prefixed). */
  readonly tool: string;
  /** The configured server name. */
  readonly server: string;
  /** The tool's name on its server. */
  readonly serverToolName: string;
  /** The conversation the call belongs to (`callTool`'s `sessionKey`). */
  readonly sessionKey: string | undefined;
  /** The caller's signal: aborted when the call is cancelled. */
  readonly signal: AbortSignal | undefined;
  /** The arguments that will be sent, as changed by the interceptors outside this one. */
  readonly arguments: Readonly<Record<string, unknown>>;
  /**
   * Extra HTTP headers for this call's request, as set by the interceptors outside this one.
   * Sent to Streamable HTTP and SSE servers; stdio servers have no headers and never see them.
   */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Extra `_meta` entries for the `tools/call` request (every transport), e.g. W3C trace context
   * under `traceparent`/`tracestate`/`baggage` (MCP SEP-414).
   */
  readonly meta: Readonly<Record<string, unknown>>;
}

/** What an interceptor may change before handing the call on. */
export interface ToolCallChanges {
  /** Replaces the arguments (validated against the tool's schema after every interceptor ran). */
  arguments?: Record<string, unknown> | undefined;
  /** Merged over the headers set so far (same name, case-insensitive: the new value wins). */
  headers?: Record<string, string> | undefined;
  /** Merged over the `_meta` entries set so far; `progressToken` and MCP-reserved keys are refused. */
  meta?: Record<string, unknown> | undefined;
}

/**
 * Hands the call to the next interceptor (inner ones, then the server) with `changes` applied,
 * and resolves with its result. Not calling it short-circuits the call: the server is not contacted.
 */
export type ToolCallNext = (changes?: ToolCallChanges) => Promise<ToolCallResult>;

/**
 * A tool-call interceptor. Registry interceptors (`createRegistry({ interceptors })`) run
 * outside per-call ones (`callTool(name, args, { interceptors })`), each list in order: the
 * first is outermost, like middleware.
 *
 * @example
 * ```ts
 * const addTenant: ToolCallInterceptor = async (context, next) => {
 *   const result = await next({
 *     arguments: { ...context.arguments, tenant: 'acme' },
 *     headers: { 'x-tenant': 'acme' },
 *   });
 *   return { ...result, text: result.text.trim() };
 * };
 * ```
 */
export type ToolCallInterceptor = (context: ToolCallContext, next: ToolCallNext) => Promise<ToolCallResult>;
