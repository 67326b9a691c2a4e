/** The public shapes a registry hands out: tool and server descriptions, call options, stats. */
import type { Implementation, ServerCapabilities, ToolAnnotations } from '@modelcontextprotocol/client';
import type { ServerDefinition, SessionScope, TransportKind } from '../config/server-config.js';
import type { ElicitationHandler, RootsHandler, SamplingHandler } from '../connection/server-requests.js';
import type { ConfigIssue } from '../errors/config-error.js';
import type { ToolwireErrorCode } from '../errors/toolwire-error.js';
import type { ServerLogEvent, ServerStatus, ToolStatus } from '../events/registry-events.js';
import type { ToolCallInterceptor } from '../interceptors/interceptor-types.js';
import type { TaskRef } from '../tasks/tool-task.js';
import type { LatencySummary } from '../util/latency-window.js';
import type { ToolStats } from './tool-stats.js';

/** A JSON Schema object, exactly as the server published it. */
export type JSONSchemaObject = Record<string, unknown>;

export interface ToolInfo {
  /** Unique, provider-safe name (`^[a-zA-Z0-9_-]{1,64}$`) used to call the tool. */
  name: string;
  /** The configured server name. */
  server: string;
  /** The tool's own name on its server. */
  serverToolName: string;
  title: string | undefined;
  description: string;
  /** The tool's input JSON Schema, unmodified. */
  inputSchema: JSONSchemaObject;
  outputSchema: JSONSchemaObject | undefined;
  annotations: ToolAnnotations | undefined;
  /** The tool's `_meta` (icons, UI hints…), when present. */
  meta: Record<string, unknown> | undefined;
  status: ToolStatus;
  /** Why the tool is disabled, when it is. */
  disabledReason: 'config' | 'call' | 'server' | undefined;
  stats: ToolStats;
}

export interface ServerInfo {
  name: string;
  transport: TransportKind;
  /** The transport actually in use, once connected (`'auto'` resolves to Streamable HTTP or SSE). */
  connectedTransport: 'stdio' | 'streamable-http' | 'sse' | undefined;
  /** For HTTP servers: the URL without credentials or query. For stdio: undefined. */
  url: string | undefined;
  /** For stdio servers: the command (arguments and environment are not shown: they may hold secrets). */
  command: string | undefined;
  status: ServerStatus;
  /**
   * Why the server is `failed`. For `CONFIG_INVALID` (its own configuration has problems; it is
   * never started), `issues` names each problem's path.
   */
  error: { code: ToolwireErrorCode; message: string; issues?: ConfigIssue[] } | undefined;
  /**
   * Unknown keys in its configuration entry, which were ignored: usually another client's
   * settings, or a misspelling (each then suggests the key meant).
   */
  configWarnings: ConfigIssue[];
  /** Milliseconds the last successful connect took. */
  connectLatencyMs: number | undefined;
  toolCount: number;
  /** Tools the server offers that `enabledTools`/`disabledTools` switched off (server-side names). */
  filteredTools: string[];
  session: SessionScope;
  serverVersion: Implementation | undefined;
  protocolVersion: string | undefined;
  capabilities: ServerCapabilities | undefined;
  instructions: string | undefined;
  configPath: string;
  /** Where the listed tools come from: the schema cache (server not yet connected) or the server. */
  toolsSource: 'cache' | 'server' | undefined;
  /** Epoch ms when this server's catalogue was last written to the schema cache. */
  cachedAt: number | undefined;
  /** Live pooled connections (the shared one and one per active conversation). */
  connections: number;
}

export interface CallToolOptions {
  /**
   * The conversation this call belongs to. Servers configured `session: 'per-conversation'` get
   * one connection per key, and refuse a call without one (`SESSION_REQUIRED`); other servers
   * share one connection and ignore it.
   */
  sessionKey?: string | undefined;
  /** Aborting cancels the call and sends MCP `notifications/cancelled` to the server. */
  signal?: AbortSignal | undefined;
  /** Overrides the server's `callTimeoutMs` for this call. A timeout always applies. */
  timeoutMs?: number | undefined;
  /** Receives the server's progress notifications for this call. */
  onProgress?:
    | ((progress: { progress: number; total?: number | undefined; message?: string | undefined }) => void)
    | undefined;
  /** Set `false` to skip client-side argument validation (the server still validates). Default `true`. */
  validate?: boolean | undefined;
  /**
   * Answers the server's elicitation requests made for this call, before the conversation's
   * (`setSessionHandlers`) and the registry's handlers. See `ElicitationHandler`.
   */
  onElicitation?: ElicitationHandler | undefined;
  /** Answers the server's sampling requests made for this call, before the conversation's and registry's. */
  onSampling?: SamplingHandler | undefined;
  /** Answers the server's roots requests made for this call, before the conversation's and the registry's `roots`. */
  onRoots?: RootsHandler | undefined;
  /**
   * Receives the server's log messages sent during this call (as `server:log` events: filtered,
   * redacted, bounded) while it is the only call on its connection; MCP does not tie log
   * messages to requests, so with concurrent calls on one connection they reach only `server:log`.
   */
  onLog?: ((event: ServerLogEvent) => void) | undefined;
  /**
   * Called once when the server answers with a task (MCP Tasks extension) instead of a result;
   * the call goes on waiting for the task's result (polling `tasks/get`, progress through
   * `onProgress`). Keep the reference to pick the result up later with `registry.resumeTask()`,
   * e.g. from another process after a restart. While it waits, `timeoutMs` bounds each request,
   * not the task; aborting `signal` cancels the task on the server.
   */
  onTask?: ((task: TaskRef) => void) | undefined;
  /**
   * This call's interceptors, outermost first, run inside the registry's. They may change the
   * arguments (validated after them, even with `validate: false` once changed), add HTTP headers,
   * change the result or answer without the server. Not applied by `startTask()`.
   */
  interceptors?: readonly ToolCallInterceptor[] | undefined;
  /**
   * `false`: this call declares no MCP Tasks extension, so the server cannot answer it with a
   * task. On 2026-07-28 the request's `_meta` client capabilities leave the extension out: a
   * server runs the tool plainly, or refuses a tool that runs only as a task with `-32021`
   * (`TASK_REQUIRED`, the server's error in `protocolError`). On 2025-11-25 no call is ever a task
   * (toolwire does not ask for that era's tasks), so it changes nothing. Default `true`: the
   * registry declares the extension and follows tasks. A relay uses `false` for a caller that
   * did not declare the extension itself. Not accepted by `startTask()`.
   */
  tasks?: boolean | undefined;
}

/**
 * Options of `registry.startTask()`: those of `callTool` (without `tasks`). The call's
 * `onElicitation`, `onSampling` and `onRoots` also answer the task's questions while its handle
 * follows it (`result()`), before the conversation's and the registry's handlers.
 */
export type StartTaskOptions = Omit<CallToolOptions, 'tasks'>;

/** Options of `registry.resumeTask()`. */
export interface ResumeTaskOptions {
  /** The conversation the task was started in (servers configured `session: 'per-conversation'`). */
  sessionKey?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Answers the task's elicitation questions while the handle follows it, before the conversation's and the registry's. */
  onElicitation?: ElicitationHandler | undefined;
  /** Answers the task's sampling questions, likewise. */
  onSampling?: SamplingHandler | undefined;
  /** Answers the task's roots questions, likewise. */
  onRoots?: RootsHandler | undefined;
}

export interface ToolsFilter {
  /** Only this server's tools. */
  server?: string;
  /** Registry names or globs (`everything__*`) to keep. Default: every tool. */
  include?: readonly string[] | undefined;
  /** Registry names or globs to leave out (applied after `include`). */
  exclude?: readonly string[] | undefined;
  /** Include tools that are disabled (by config, by call, or because their server is). Default `false`. */
  includeDisabled?: boolean;
}

export interface ServerStats {
  status: ServerStatus;
  tools: number;
  calls: number;
  errors: number;
  connectLatencyMs: number | undefined;
  lastError: { code: ToolwireErrorCode; message: string } | undefined;
  /** Live pooled connections. */
  connections: number;
}

export interface RegistryStats {
  servers: number;
  tools: number;
  calls: number;
  errors: number;
  serversByStatus: Record<ServerStatus, number>;
  toolsByStatus: Record<ToolStatus, number>;
  byServer: Record<string, ServerStats>;
  byTool: Record<string, ToolStats>;
  /** Latency over recent calls of all tools. */
  latency: LatencySummary;
}

export type { ServerDefinition };

/** Options for requests other than tool calls (prompts, resources). */
export interface RequestScopeOptions {
  sessionKey?: string | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  /**
   * Answers a prompt's (or resource read's) elicitation requests, before the conversation's and
   * the registry's handlers, while it is the only request running on its connection.
   */
  onElicitation?: ElicitationHandler | undefined;
  /** Answers its sampling requests, likewise. */
  onSampling?: SamplingHandler | undefined;
  /** Answers its roots requests, likewise. */
  onRoots?: RootsHandler | undefined;
}

export interface PromptInfo {
  /** Registry-unique name: `<server><separator><prompt>`. */
  name: string;
  server: string;
  serverPromptName: string;
  title: string | undefined;
  description: string;
  arguments: { name: string; description: string | undefined; required: boolean }[];
}

export interface ResourceInfo {
  server: string;
  uri: string;
  name: string;
  title: string | undefined;
  description: string | undefined;
  mimeType: string | undefined;
}

/** A server's resource template (RFC 6570 URI template); read its resources with `readResource`. */
export interface ResourceTemplateInfo {
  server: string;
  uriTemplate: string;
  name: string;
  title: string | undefined;
  description: string | undefined;
  mimeType: string | undefined;
}
