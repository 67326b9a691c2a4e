/**
 * Builds one AI SDK tool for one registry tool. The model sees the server's input schema as
 * sent; inputs are checked by core's validator for that same schema (and by the user's schema
 * for typed tools). `execute` calls through the registry with the call's abort signal, session
 * key, timeout and progress callback; tool-level errors (`isError`) come back as results.
 */
import {
  type ElicitationHandler,
  type Registry,
  type SamplingHandler,
  type ToolCallInterceptor,
  type ToolCallResult,
  type ToolInfo,
  ToolwireError,
} from '@toolwire/core';
import { asSchema, type FlexibleSchema, jsonSchema, type Tool } from 'ai';
import { installedContentPartStyle } from './ai-version.js';
import { approvalFor, type NeedsApprovalOption } from './approval.js';
import { mcpOutputToModelOutput, structuredOutputToModelOutput } from './model-output.js';
import { type Progress, streamWithProgress } from './progress-stream.js';
import { type ExecutionOptionsLike, resolveSessionKey, type SessionKeyOption } from './session-key.js';
import {
  type MCPToolProgress,
  type ToolProgressEvent,
  type ToolServerLogEvent,
  toMCPToolOutput,
} from './tool-output.js';
import { ValidatedInputs } from './validated-inputs.js';

export interface BuildToolOptions {
  sessionKey: SessionKeyOption | undefined;
  timeoutMs: number | undefined;
  onProgress: ((event: ToolProgressEvent) => void) | undefined;
  streamProgress: boolean;
  needsApproval: NeedsApprovalOption | undefined;
  onLog?: ((event: ToolServerLogEvent) => void) | undefined;
  onElicitation?: ElicitationHandler | undefined;
  onSampling?: SamplingHandler | undefined;
  interceptors?: readonly ToolCallInterceptor[] | undefined;
}

/** A user-supplied schema pair that types (and further checks) one tool. */
export interface TypedSchemas {
  inputSchema: FlexibleSchema<unknown>;
  outputSchema?: FlexibleSchema<unknown> | undefined;
}

type ValidationResult = { success: true; value: unknown } | { success: false; error: Error };

export function buildTool(
  registry: Registry,
  info: ToolInfo,
  options: BuildToolOptions,
  typed: TypedSchemas | undefined,
): Tool {
  const name = info.name;
  const userInput = typed ? asSchema(typed.inputSchema) : undefined;
  const userOutput = typed?.outputSchema === undefined ? undefined : asSchema(typed.outputSchema);

  // Inputs this tool's `inputSchema` has just accepted against the server's schema: the AI SDK
  // validates every tool call's input before `execute`, so `execute` need not have the registry
  // check the same object again. Anything else (a direct `execute` call) is still validated.
  const validated = new ValidatedInputs();
  // The AI SDK validates before `execute` and tells no call context here: only a fixed key is known.
  const fixedSessionKey = typeof options.sessionKey === 'string' ? options.sessionKey : undefined;
  const acceptWithServerSchema = (candidate: unknown): ValidationResult => {
    const outcome = validateWithServerSchema(registry, name, candidate, fixedSessionKey);
    if (outcome.success && typeof candidate === 'object' && candidate !== null) validated.add(candidate);
    return outcome;
  };
  const inputSchema = jsonSchema(modelFacingSchema(info.inputSchema), {
    // Synchronous unless the user's schema is asked first: the AI SDK awaits whatever this
    // returns, and a promise of our own would cost every call a turn of the event loop more.
    validate: userInput?.validate
      ? async (value): Promise<ValidationResult> => {
          const outcome = await userInput.validate!(value);
          if (!outcome.success) return { success: false, error: outcome.error };
          return acceptWithServerSchema(outcome.value);
        }
      : acceptWithServerSchema,
  });

  const call = (input: unknown, execution: ExecutionOptionsLike, onProgress?: (progress: Progress) => void) =>
    registry.callTool(name, input as Record<string, unknown>, {
      sessionKey: resolveSessionKey(options.sessionKey, name, execution),
      signal: execution.abortSignal,
      timeoutMs: options.timeoutMs,
      onProgress: progressHandler(options.onProgress, name, execution.toolCallId, onProgress),
      onLog: options.onLog && ((event) => options.onLog?.({ ...event, toolCallId: execution.toolCallId })),
      onElicitation: options.onElicitation,
      onSampling: options.onSampling,
      interceptors: options.interceptors,
      validate: validated.take(input) ? false : undefined,
    });

  const needsApproval = approvalFor(options.needsApproval, info);
  const metadata = {
    server: info.server,
    serverToolName: info.serverToolName,
    ...(info.title === undefined ? {} : { title: info.title }),
    ...(info.annotations === undefined ? {} : { annotations: info.annotations }),
  };
  const common = {
    description: info.description || info.title || '',
    inputSchema,
    metadata,
    ...(needsApproval === undefined ? {} : { needsApproval }),
  };

  if (userOutput) {
    return {
      ...common,
      outputSchema: typed!.outputSchema,
      execute: async (input: unknown, execution: ExecutionOptionsLike) => {
        const result = await call(input, execution);
        if (result.isError) throw toolReportedError(info, result);
        return extractStructured(info, result, userOutput);
      },
      toModelOutput: ({ output }: { output: unknown }) => structuredOutputToModelOutput(output),
    } as Tool;
  }

  const style = installedContentPartStyle;
  const execute =
    options.streamProgress && !typed
      ? (input: unknown, execution: ExecutionOptionsLike) =>
          streamWithProgress(
            (onProgress) => call(input, execution, onProgress).then(toMCPToolOutput),
            toProgressOutput,
          )
      : async (input: unknown, execution: ExecutionOptionsLike) =>
          toMCPToolOutput(await call(input, execution));
  return {
    ...common,
    ...(typed ? {} : { type: 'dynamic' as const }),
    execute,
    toModelOutput: ({ output }: { output: unknown }) => mcpOutputToModelOutput(output, style),
  } as Tool;
}

/**
 * The schema as the server sent it. Only an object schema without `properties` gains an empty
 * `properties` (same meaning), because some providers reject an object schema without it.
 */
function modelFacingSchema(schema: Record<string, unknown>): Parameters<typeof jsonSchema>[0] {
  const copy =
    schema.type === 'object' && schema.properties === undefined ? { ...schema, properties: {} } : schema;
  return copy as Parameters<typeof jsonSchema>[0];
}

/**
 * The final check of a model's input. Core counts a rejection as a failed call (`stats()`,
 * `call:start`/`call:end`), as it does for `callTool`: the AI SDK never calls `execute` then.
 */
function validateWithServerSchema(
  registry: Registry,
  name: string,
  value: unknown,
  sessionKey: string | undefined,
): ValidationResult {
  try {
    registry.checkArguments(name, value, { sessionKey });
    return { success: true, value };
  } catch (error) {
    return { success: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

function progressHandler(
  listener: ((event: ToolProgressEvent) => void) | undefined,
  toolName: string,
  toolCallId: string,
  stream: ((progress: Progress) => void) | undefined,
): ((progress: Progress) => void) | undefined {
  if (!listener && !stream) return undefined;
  return (progress) => {
    listener?.({
      toolName,
      toolCallId,
      progress: progress.progress,
      total: progress.total,
      message: progress.message,
    });
    stream?.(progress);
  };
}

function toProgressOutput(progress: Progress): MCPToolProgress {
  return {
    status: 'progress',
    progress: progress.progress,
    ...(progress.total === undefined ? {} : { total: progress.total }),
    ...(progress.message === undefined ? {} : { message: progress.message }),
  };
}

function toolReportedError(info: ToolInfo, result: ToolCallResult): ToolwireError {
  const detail = result.text || JSON.stringify(result.structuredContent ?? result.content);
  return new ToolwireError({
    code: 'TOOL_ERROR',
    server: info.server,
    tool: info.name,
    message: `Tool "${info.name}" reported an error: ${detail}`,
  });
}

/** A typed tool's result: `structuredContent` (or, from older servers, JSON text) checked against the user's schema. */
async function extractStructured(
  info: ToolInfo,
  result: ToolCallResult,
  schema: ReturnType<typeof asSchema>,
): Promise<unknown> {
  let value: unknown = result.structuredContent;
  if (value === undefined) {
    const text = result.content.find((block) => block.type === 'text');
    if (text?.type !== 'text') throw invalidOutput(info, 'it returned no structured content');
    try {
      value = JSON.parse(text.text);
    } catch (error) {
      throw invalidOutput(info, 'it returned neither structured content nor JSON text', error);
    }
  }
  if (!schema.validate) return value;
  const outcome = await schema.validate(value);
  if (!outcome.success) throw invalidOutput(info, outcome.error.message, outcome.error);
  return outcome.value;
}

function invalidOutput(info: ToolInfo, reason: string, cause?: unknown): ToolwireError {
  return new ToolwireError({
    code: 'PROTOCOL_ERROR',
    server: info.server,
    tool: info.name,
    cause,
    message: `The result of tool "${info.name}" does not match the output schema you gave: ${reason}`,
  });
}
