/**
 * `toAISDKTools(registry)`: the registry's catalogue as an AI SDK `ToolSet`, for `generateText`,
 * `streamText` and the agent classes. Untyped tools are dynamic tools with the server's own
 * schema; `schemas` picks tools and types them. Building is cheap (no I/O): build a set per
 * request, or again after the registry emits `tools:changed`.
 */
import type {
  ElicitationHandler,
  Registry,
  SamplingHandler,
  ToolCallInterceptor,
  ToolInfo,
} from '@toolwire/core';
import type { FlexibleSchema, InferSchema, Tool, ToolSet } from 'ai';
import type { NeedsApprovalOption } from './approval.js';
import { type BuildToolOptions, buildTool } from './registry-tool.js';
import type { SessionKeyOption } from './session-key.js';
import type { MCPToolOutput, ToolProgressEvent, ToolServerLogEvent } from './tool-output.js';

/** Schemas that type one tool: its input, and optionally its structured output. */
export interface ToolSchema<INPUT = unknown, OUTPUT = unknown> {
  /** Types the input and checks it (after, and in addition to, the server's own schema). */
  inputSchema: FlexibleSchema<INPUT>;
  /** Types the output: the tool's `structuredContent`, checked against this schema. */
  outputSchema?: FlexibleSchema<OUTPUT>;
}

/** Registry tool names → schemas. Only these tools are returned. */
export type ToolSchemas = Record<string, ToolSchema<unknown, unknown>>;

/** The tool set `toAISDKTools` returns for `schemas`: one typed tool per entry. */
export type TypedToolSet<SCHEMAS extends ToolSchemas> = {
  [NAME in keyof SCHEMAS]: Tool<
    InferSchema<SCHEMAS[NAME]['inputSchema']>,
    SCHEMAS[NAME] extends { outputSchema: FlexibleSchema<unknown> }
      ? InferSchema<SCHEMAS[NAME]['outputSchema']>
      : MCPToolOutput
  >;
};

export interface ToAISDKToolsOptions {
  /** Registry tool names or globs (`everything__*`) to keep (applies to the untyped set). */
  include?: readonly string[] | undefined;
  /** Registry tool names or globs to leave out, after `include` (applies to the untyped set). */
  exclude?: readonly string[] | undefined;
  /** Keeps only the tools for which this returns `true` (applies to the untyped set). */
  filter?: (tool: ToolInfo) => boolean;
  /**
   * Session key for every call (a string), or a function of the call. Default: `sessionKey`
   * from the call's context (`toolsContext` entry with `ai@7`, `experimental_context` with `ai@6`).
   */
  sessionKey?: SessionKeyOption;
  /** Per-call timeout, overriding the server's `callTimeoutMs`. A timeout always applies. */
  timeoutMs?: number;
  /** Receives every progress notification of every call. */
  onProgress?: (event: ToolProgressEvent) => void;
  /**
   * Untyped tools yield each progress notification as a preliminary result (`{ status: 'progress' }`),
   * which `streamText` and UI streams show; the model gets only the final result. Default `false`.
   */
  streamProgress?: boolean;
  /**
   * Ask for the user's approval before a call: `'destructive'` for tools whose MCP annotations
   * allow destruction (unannotated tools count as destructive), `true` for all, or a function.
   */
  needsApproval?: NeedsApprovalOption;
  /**
   * Receives the server's log messages sent during a call, with the call's `toolCallId`:
   * filtered by the registry's `serverLogLevel`, redacted and bounded. Messages are tied to a call
   * only while it runs alone on its connection (all of them reach `registry.on('server:log')`).
   */
  onLog?: (event: ToolServerLogEvent) => void;
  /** Answers the server's elicitation requests during these tools' calls (before the conversation's and registry's). */
  onElicitation?: ElicitationHandler;
  /**
   * Answers the server's sampling requests during these tools' calls; e.g.
   * `createAISDKSamplingHandler(model)` to answer with your own model.
   */
  onSampling?: SamplingHandler;
  /**
   * Interceptors for these tools' calls, run inside the registry's own (`createRegistry({ interceptors })`,
   * which apply to every call anyway). See `ToolCallInterceptor` in `@toolwire/core`.
   */
  interceptors?: readonly ToolCallInterceptor[];
}

/**
 * Returns the registry's tools as an AI SDK tool set, keyed by their registry names.
 *
 * @example
 * ```ts
 * const registry = await createRegistry({ mcpServers: { everything: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything'] } } });
 * const { text } = await generateText({ model, tools: toAISDKTools(registry), stopWhen: stepCountIs(5), prompt });
 * ```
 */
export function toAISDKTools(registry: Registry, options?: ToAISDKToolsOptions): ToolSet;
/**
 * Returns only the tools named in `schemas`, typed by them. Throws `TOOL_NOT_FOUND` for a name
 * the registry does not know.
 */
export function toAISDKTools<const SCHEMAS extends ToolSchemas>(
  registry: Registry,
  options: ToAISDKToolsOptions & { schemas: SCHEMAS },
): TypedToolSet<SCHEMAS>;
export function toAISDKTools(
  registry: Registry,
  options: ToAISDKToolsOptions & { schemas?: ToolSchemas } = {},
): ToolSet {
  const buildOptions: BuildToolOptions = {
    sessionKey: options.sessionKey,
    timeoutMs: options.timeoutMs,
    onProgress: options.onProgress,
    streamProgress: options.streamProgress ?? false,
    needsApproval: options.needsApproval,
    onLog: options.onLog,
    onElicitation: options.onElicitation,
    onSampling: options.onSampling,
    interceptors: options.interceptors,
  };
  const tools: Record<string, Tool> = {};
  if (options.schemas) {
    for (const [name, schemas] of Object.entries(options.schemas)) {
      setOwn(tools, name, buildTool(registry, registry.requireTool(name), buildOptions, schemas));
    }
    return tools as ToolSet;
  }
  for (const info of registry.tools({ include: options.include, exclude: options.exclude })) {
    if (options.filter && !options.filter(info)) continue;
    setOwn(tools, info.name, buildTool(registry, info, buildOptions, undefined));
  }
  return tools as ToolSet;
}

/** Defines an own property, so a tool named `__proto__` is a tool, not the object's prototype. */
function setOwn(tools: Record<string, Tool>, name: string, tool: Tool): void {
  Object.defineProperty(tools, name, { value: tool, enumerable: true, writable: true, configurable: true });
}
