/**
 * The one internal shape every tool is turned into before serving: its published definition
 * (name, JSON Schemas, annotations, required scopes), its argument check, and `run`, which calls
 * the original tool in its own framework's way and maps the result to MCP.
 */
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/server';
import type { PublishedToolInfo } from '../publisher.js';
import type { ArgumentValidator } from '../schema/argument-validator.js';
import type { ResolvedTaskOptions } from '../tasks/task-options.js';
import type { ToolContext } from './tool-context.js';

export type ToolOrigin = 'native' | 'langchain' | 'ai-sdk';

export interface PublishedTool {
  /** The name clients see. */
  name: string;
  /** The name the tool was given in code (before renaming). */
  sourceName: string;
  origin: ToolOrigin;
  title: string | undefined;
  description: string;
  /** The tool's input schema as converted (2020-12 unless it declares another dialect); arguments are validated against it. */
  inputSchema: Record<string, unknown>;
  /** What `tools/list` shows instead of `inputSchema`, when the publisher lists another dialect (draft-07). */
  listedInputSchema?: Record<string, unknown> | undefined;
  outputSchema: Record<string, unknown> | undefined;
  annotations: ToolAnnotations | undefined;
  meta: Record<string, unknown> | undefined;
  /** OAuth scopes a caller's token must carry (empty: none). */
  scopes: string[];
  /** This tool's own call deadline (overrides the publisher's `callTimeoutMs`). */
  timeoutMs: number | undefined;
  /** How the tool may run as a task; `undefined`: never. */
  task: ResolvedTaskOptions | undefined;
  validate: ArgumentValidator;
  /** Runs the tool with validated arguments (`args`) and the caller's raw arguments (`rawArgs`). */
  run(
    args: Record<string, unknown>,
    rawArgs: Record<string, unknown>,
    context: ToolContext,
  ): Promise<CallToolResult>;
}

/** A published tool as `publisher.ready()`, `addTools()` and `toolVisibility` describe it. */
export function toPublishedToolInfo(tool: PublishedTool, enabled: boolean): PublishedToolInfo {
  const { name, sourceName, origin, description, outputSchema, scopes } = tool;
  const inputSchema = tool.listedInputSchema ?? tool.inputSchema;
  return { name, sourceName, origin, description, inputSchema, outputSchema, scopes, enabled };
}
