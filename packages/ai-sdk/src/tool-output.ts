/**
 * What an untyped registry tool's `execute` returns: the MCP result itself (content blocks as
 * the server sent them, `structuredContent`, `isError`), so UI messages can render it and
 * persisted histories can be converted again. Progress, when streamed, arrives first as
 * preliminary results of a second shape.
 */
import type { ServerLogEvent, ToolCallResult } from '@toolwire/core';

/** One MCP content block (text, image, audio, resource link, embedded resource). */
export type MCPContentBlock = ToolCallResult['content'][number];

/** The final output of an untyped tool: the server's `CallToolResult`, JSON-serializable. */
export interface MCPToolOutput {
  content: MCPContentBlock[];
  /** Present when the server sent structured content (validated against the tool's `outputSchema`). */
  structuredContent?: Record<string, unknown>;
  /** True when the tool reported a failure; the model receives it as an error result. */
  isError: boolean;
  /** The result's `_meta`, when the server sent one. */
  _meta?: Record<string, unknown>;
}

/** A progress notification, yielded as a preliminary result when `streamProgress` is on. */
export interface MCPToolProgress {
  status: 'progress';
  progress: number;
  total?: number;
  message?: string;
}

/** A progress notification from a tool call, as handed to the `onProgress` option. */
export interface ToolProgressEvent {
  /** The tool's name in the tool set. */
  toolName: string;
  /** The AI SDK's id of this tool call. */
  toolCallId: string;
  progress: number;
  total: number | undefined;
  message: string | undefined;
}

/** True for the preliminary progress shape (as opposed to the final result). */
export function isMCPToolProgress(value: unknown): value is MCPToolProgress {
  return typeof value === 'object' && value !== null && (value as { status?: unknown }).status === 'progress';
}

export function toMCPToolOutput(result: ToolCallResult): MCPToolOutput {
  // Literals rather than spread conditional objects (this runs on every call), in the same key order.
  const output: MCPToolOutput =
    result.structuredContent === undefined
      ? { content: result.content, isError: result.isError }
      : { content: result.content, structuredContent: result.structuredContent, isError: result.isError };
  if (result.meta !== undefined) output._meta = result.meta;
  return output;
}

/** A server's log message sent during a call (the `onLog` option), with the AI SDK's tool call id. */
export interface ToolServerLogEvent extends ServerLogEvent {
  toolCallId: string;
}
