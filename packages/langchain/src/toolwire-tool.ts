/**
 * `ToolwireTool`: one registry tool as a LangChain `StructuredTool`. The model sees the tool's own
 * JSON Schema (or a documented profile of it); arguments are validated once, by core, against
 * the server's original schema. LangChain's own JSON Schema check (a second validator that reads
 * `tool.schema`, i.e. the model-facing copy) is bypassed: this class runs the tool-call flow
 * itself (callbacks, `ToolMessage`), so nothing goes through a converted or lossy schema.
 */
import { type CallbackManagerForToolRun, parseCallbackConfigArg } from '@langchain/core/callbacks/manager';
import { type ToolCall, ToolMessage } from '@langchain/core/messages';
import { ensureConfig, mergeConfigs } from '@langchain/core/runnables';
import { StructuredTool, ToolInputParsingException, type ToolRunnableConfig } from '@langchain/core/tools';
import {
  type ElicitationHandler,
  InvalidArgumentsError,
  type JSONSchemaObject,
  type Registry,
  type SamplingHandler,
  type ServerLogEvent,
  type ToolCallInterceptor,
  type ToolCallResult,
  type ToolInfo,
} from '@toolwire/core';
import { type ToolMessageContent, type ToolwireArtifact, toContentAndArtifact } from './map-result.js';
import { configureRunCallbacks } from './run-callbacks.js';
import { type ModelSchema, type SchemaProfile, toModelSchema } from './schema-profiles.js';
import { resolveSessionKey, type SessionKeyOption } from './session-key.js';
import { ToolException } from './tool-exception.js';

/** Name of the LangChain custom callback event that carries MCP progress notifications. */
export const PROGRESS_EVENT = 'toolwire_progress';

/** Payload of a {@link PROGRESS_EVENT} custom event (and of the `onProgress` option). */
export interface ToolProgressEvent {
  /** Registry tool name. */
  tool: string;
  server: string;
  /** The tool call this progress belongs to, when the tool was invoked with a tool call. */
  toolCallId: string | undefined;
  progress: number;
  total: number | undefined;
  message: string | undefined;
}

/** Name of the LangChain custom callback event that carries a server's log messages sent during a call. */
export const SERVER_LOG_EVENT = 'toolwire_server_log';

/** Payload of a {@link SERVER_LOG_EVENT} custom event (and of the `onLog` option). */
export interface ToolServerLogEvent extends ServerLogEvent {
  /** The tool call this message was sent during, when the tool was invoked with a tool call. */
  toolCallId: string | undefined;
}

/** Options shared by every tool an adapter call creates. */
export interface ToolwireToolOptions {
  /**
   * The MCP session key. Default: LangGraph's `config.configurable.thread_id`. A string is used
   * when the run has no thread id; a function decides alone from the run's config.
   */
  sessionKey?: SessionKeyOption | undefined;
  /** Per-call timeout in milliseconds (default: the server's `callTimeoutMs`). */
  timeoutMs?: number | undefined;
  /** Which copy of the schema the model sees. Default `'exact'`: the server's own schema. */
  schemaProfile?: SchemaProfile | undefined;
  /**
   * What a tool-reported failure (`isError: true`) becomes: `'message'` (default), an error
   * `ToolMessage` the agent can recover from; `'throw'`, a {@link ToolException}.
   */
  toolErrors?: 'message' | 'throw' | undefined;
  /** Also receives every progress notification (besides the {@link PROGRESS_EVENT} callback event). */
  onProgress?: ((event: ToolProgressEvent) => void) | undefined;
  /**
   * Also receives the server's log messages sent during a call (besides the
   * {@link SERVER_LOG_EVENT} callback event): filtered by the registry's `serverLogLevel`,
   * redacted and bounded. Messages are tied to a call only while it runs alone on its connection.
   */
  onLog?: ((event: ToolServerLogEvent) => void) | undefined;
  /** Answers the server's elicitation requests during these tools' calls (before the conversation's and registry's). */
  onElicitation?: ElicitationHandler | undefined;
  /**
   * Answers the server's sampling requests during these tools' calls; e.g.
   * `createLangChainSamplingHandler(model)` to answer with your own chat model.
   */
  onSampling?: SamplingHandler | undefined;
  /**
   * Interceptors for these tools' calls, run inside the registry's own (`createRegistry({ interceptors })`,
   * which apply to every call anyway). See `ToolCallInterceptor` in `@toolwire/core`.
   */
  interceptors?: readonly ToolCallInterceptor[] | undefined;
}

type ToolInput = Record<string, unknown> | ToolCall | undefined;

/**
 * A registry tool as a LangChain `StructuredTool` (`responseFormat: 'content_and_artifact'`).
 * Create it with `toLangChainTools()` or `toLangChainTool()`.
 */
export class ToolwireTool extends StructuredTool<
  JSONSchemaObject,
  Record<string, unknown>,
  Record<string, unknown>,
  [ToolMessageContent, ToolwireArtifact]
> {
  static override lc_name(): string {
    return 'ToolwireTool';
  }

  name: string;
  description: string;
  /** The schema the model sees: the server's own (profile `'exact'`) or the profile's copy. */
  schema: JSONSchemaObject;
  /** The registry's description of the tool when this object was made. */
  readonly info: ToolInfo;
  private readonly registry: Registry;
  private readonly options: ToolwireToolOptions;
  private readonly modelSchema: ModelSchema;

  constructor(registry: Registry, info: ToolInfo, options: ToolwireToolOptions = {}) {
    super({
      responseFormat: 'content_and_artifact',
      metadata: { toolwireServer: info.server, toolwireServerToolName: info.serverToolName },
    });
    this.registry = registry;
    this.info = info;
    this.options = options;
    this.name = info.name;
    this.description = info.description || info.title || info.serverToolName;
    this.modelSchema = toModelSchema(info.inputSchema, options.schemaProfile ?? 'exact');
    this.schema = this.modelSchema.schema;
  }

  /** Runs the tool. With a `ToolCall` input it resolves with a `ToolMessage`, else with the content. */
  override async invoke(input: ToolInput, config?: ToolRunnableConfig): Promise<never> {
    // ensureConfig() returns a fresh object (and adds the async context's config): ours to extend.
    const runConfig: ToolRunnableConfig = ensureConfig(mergeConfigs(this.defaultConfig, config));
    if (!isToolCall(input)) return (await this.run(input, runConfig)) as never;
    runConfig.toolCall = input;
    return (await this.run(input.args, runConfig)) as never;
  }

  /** @deprecated Use `invoke()`; kept so every LangChain entry point takes the same path. */
  override async call(arg: ToolInput, configArg?: ToolRunnableConfig, tags?: string[]): Promise<never> {
    const config = parseCallbackConfigArg(configArg) as ToolRunnableConfig;
    if (tags && !config.tags) config.tags = tags;
    if (isToolCall(arg)) return (await this.run(arg.args, { ...config, toolCall: arg })) as never;
    return (await this.run(arg, config)) as never;
  }

  private async run(input: unknown, config: ToolRunnableConfig): Promise<ToolMessage | ToolMessageContent> {
    // Counted: arguments refused here are a failed call in `stats()` and events, as in `callTool`.
    const args = this.readArguments(input, {
      sessionKey: resolveSessionKey(config, this.options.sessionKey),
    });
    const toolCallId = config.toolCall?.id;
    const runManager = await configureRunCallbacks(this, config)?.handleToolStart(
      this.toJSON(),
      args,
      config.runId,
      undefined,
      undefined,
      undefined,
      config.runName ?? this.name,
      toolCallId,
    );
    let output: ToolMessage | ToolMessageContent;
    try {
      const [content, artifact] = await this._call(args, runManager, config);
      if (artifact.isError && (this.options.toolErrors === 'throw' || !toolCallId)) {
        throw new ToolException({ result: artifact });
      }
      output = toolCallId
        ? new ToolMessage({
            content,
            artifact,
            tool_call_id: toolCallId,
            name: this.name,
            status: artifact.isError ? 'error' : 'success',
          })
        : content;
    } catch (error) {
      await runManager?.handleToolError(error);
      throw error;
    }
    await runManager?.handleToolEnd(output);
    return output;
  }

  /**
   * Reads the model's arguments for the call: undoes the schema profile, then validates against
   * the tool's own schema. Throws `ToolInputParsingException` (cause: `InvalidArgumentsError`,
   * every failing path in the message), which agents return to the model as a fixable error.
   */
  prepareArguments(input: unknown): Record<string, unknown> {
    return this.readArguments(input, undefined);
  }

  /** `prepareArguments`; with `counted`, a rejection is recorded by core as a failed call. */
  private readArguments(
    input: unknown,
    counted: { sessionKey: string | undefined } | undefined,
  ): Record<string, unknown> {
    const raw = input === undefined || input === null ? {} : input;
    // The profile's probes are not calls: only the final check below may count.
    const validate = (value: unknown) => this.registry.validateArguments(this.name, value);
    const args =
      typeof raw === 'object' && !Array.isArray(raw)
        ? this.modelSchema.restoreArguments(raw as Record<string, unknown>, validate)
        : raw;
    if (counted) {
      try {
        this.registry.checkArguments(this.name, args, counted);
      } catch (error) {
        if (InvalidArgumentsError.isInstance(error)) throw toParsingException(error, input);
        throw error;
      }
    } else {
      const outcome = validate(args);
      if (!outcome.valid) {
        throw toParsingException(
          new InvalidArgumentsError({
            tool: this.name,
            server: this.info.server,
            issues: outcome.issues,
            issueCount: outcome.issueCount,
          }),
          input,
        );
      }
    }
    return args as Record<string, unknown>;
  }

  protected override async _call(
    args: Record<string, unknown>,
    runManager?: CallbackManagerForToolRun,
    config?: ToolRunnableConfig,
  ): Promise<[ToolMessageContent, ToolwireArtifact]> {
    const toolCallId = config?.toolCall?.id;
    // Progress and server logs are asked for only when someone listens (the run's callbacks or
    // the options): a progress token or a log level makes the server send notifications that
    // core would relay to nobody.
    const onProgress = (progress: {
      progress: number;
      total?: number | undefined;
      message?: string | undefined;
    }) => {
      const event: ToolProgressEvent = {
        tool: this.name,
        server: this.info.server,
        toolCallId,
        progress: progress.progress,
        total: progress.total,
        message: progress.message,
      };
      runManager?.handleCustomEvent(PROGRESS_EVENT, event).catch(() => {});
      this.options.onProgress?.(event);
    };
    const onLog = (log: ServerLogEvent) => {
      const event: ToolServerLogEvent = { ...log, toolCallId };
      runManager?.handleCustomEvent(SERVER_LOG_EVENT, event).catch(() => {});
      this.options.onLog?.(event);
    };
    let result: ToolCallResult;
    try {
      result = await this.registry.callTool(this.name, args, {
        sessionKey: resolveSessionKey(config, this.options.sessionKey),
        signal: config?.signal,
        timeoutMs: this.options.timeoutMs,
        onProgress: runManager || this.options.onProgress ? onProgress : undefined,
        onLog: runManager || this.options.onLog ? onLog : undefined,
        onElicitation: this.options.onElicitation,
        onSampling: this.options.onSampling,
        interceptors: this.options.interceptors,
        validate: false, // prepareArguments() validated against the same schema
      });
    } catch (error) {
      if (InvalidArgumentsError.isInstance(error)) throw toParsingException(error, args);
      throw error;
    }
    return toContentAndArtifact(result);
  }
}

function isToolCall(value: unknown): value is ToolCall {
  // LangChain's own rule: only `type: 'tool_call'` marks a call (a tool may take `name`/`args`).
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'tool_call';
}

function toParsingException(error: InvalidArgumentsError, input: unknown): ToolInputParsingException {
  const exception = new ToolInputParsingException(error.message, JSON.stringify(input));
  exception.cause = error;
  // Agents show `error.stack` to the model: keep it to the message, not our file paths.
  exception.stack = `ToolInputParsingException: ${error.message}`;
  return exception;
}
