/**
 * Duck-typed shapes of the framework tools the publisher accepts. Only the members we call are
 * described, so neither LangChain nor the AI SDK has to be installed for the publisher to load.
 */

/** A LangChain `StructuredTool` (or `DynamicStructuredTool`, `tool()` result). */
import { isNativeTool } from './define-tool.js';
export interface LangChainToolLike {
  name: string;
  description: string;
  /** zod v3, zod v4, or JSON Schema. */
  schema: unknown;
  invoke(input: unknown, config?: Record<string, unknown>): Promise<unknown>;
  lc_namespace?: string[];
}

/** An AI SDK tool (`tool({ description, inputSchema, execute })`); named by its key in a `ToolSet`. */
export interface AISDKToolLike {
  /** AI SDK 7 also accepts a function of the call's context; it is called once, with an empty context. */
  description?: string | ((options: never) => string) | undefined;
  title?: string | undefined;
  /** AI SDK 5+: zod, `jsonSchema()`, or a Standard Schema. */
  inputSchema?: unknown;
  /** AI SDK 4 name for `inputSchema`. */
  parameters?: unknown;
  outputSchema?: unknown;
  execute?: ((input: never, options: never) => unknown) | undefined;
  type?: string | undefined;
}

export function isLangChainTool(value: unknown): value is LangChainToolLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.invoke === 'function' &&
    typeof candidate.name === 'string' &&
    'schema' in candidate &&
    (Array.isArray(candidate.lc_namespace) || typeof candidate._call === 'function')
  );
}

export function isAISDKTool(value: unknown): value is AISDKToolLike {
  if (typeof value !== 'object' || value === null || isLangChainTool(value)) return false;
  const candidate = value as Record<string, unknown>;
  return (
    ('inputSchema' in candidate || 'parameters' in candidate) &&
    !('name' in candidate && 'invoke' in candidate)
  );
}

/**
 * True for anything `createPublisher` can serve on its own: a `defineTool` tool, a LangChain
 * tool, or an AI SDK tool (which is named by the key it is given). For tools collected from a
 * module's exports (what `toolwire serve` does).
 */
export function isPublishableTool(value: unknown): boolean {
  return isNativeTool(value) || isLangChainTool(value) || isAISDKTool(value);
}
