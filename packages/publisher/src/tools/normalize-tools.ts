/**
 * Turns the `tools` given to `createPublisher` (LangChain tools, AI SDK tool sets, `defineTool`
 * tools, in any mix) into published tools: applies the selection (include / exclude / rename /
 * scopes), converts every schema to JSON Schema once, and rejects what cannot be served (no
 * `execute`, duplicate or invalid names) with a `CONFIG_INVALID` error naming the tool.
 */

import { createNameFilter, ToolwireError } from '@toolwire/core';
import { createArgumentValidator } from '../schema/argument-validator.js';
import { type InputSchemaDialect, toDraft07 } from '../schema/draft-07.js';
import { checkHeaderParams } from '../schema/header-params.js';
import { isObject } from '../schema/schema-kinds.js';
import { toJSONSchema } from '../schema/to-json-schema.js';
import { resolveTaskOptions } from '../tasks/task-options.js';
import { isNativeTool, type NativeTool } from './define-tool.js';
import type { PublishedTool, ToolOrigin } from './published-tool.js';
import type { ToolContext } from './tool-context.js';
import { type AISDKToolLike, isAISDKTool, isLangChainTool, type LangChainToolLike } from './tool-kinds.js';
import { fromLangChainContent, toCallToolResult } from './tool-result.js';

/** Any `defineTool` tool, whatever its schema type. */
export type AnyNativeTool = Omit<NativeTool, 'execute' | 'inputSchema'> & {
  inputSchema?: unknown;
  execute(args: never, context: ToolContext): unknown;
};

/** One tool the publisher can serve. AI SDK tools have no name of their own: put them in a record. */
export type PublishableTool = AnyNativeTool | LangChainToolLike;

/** A record of tools keyed by name (an AI SDK `ToolSet`, or named LangChain / native tools). */
export type ToolRecord = Record<string, PublishableTool | AISDKToolLike>;

/** `tools` for `createPublisher`: an array of tools and tool records, or one record. */
export type ToolsInput = readonly (PublishableTool | ToolRecord)[] | ToolRecord;

/** Which tools are exposed, and under which names. Patterns match the tools' own names. */
export interface ToolSelection {
  /** Exact names or globs (`get_*`); when set, only matching tools are published. */
  include?: readonly string[] | undefined;
  /** Exact names or globs; matching tools are not published. Applied after `include`. */
  exclude?: readonly string[] | undefined;
  /** New names, by original name, or a function of the original name. */
  rename?: Readonly<Record<string, string>> | ((name: string) => string) | undefined;
  /** OAuth scopes a caller needs, by published name (added to a `defineTool`'s own `scopes`). */
  scopes?: Readonly<Record<string, readonly string[]>> | undefined;
}

const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

interface Candidate {
  name: string;
  tool: unknown;
}

/**
 * Normalizes and selects the tools; schemas are converted here, once. `checkScopes`: every name
 * in `selection.scopes` must be among these tools (at start-up, not for tools added later).
 */
export async function normalizeTools(
  input: ToolsInput,
  selection: ToolSelection = {},
  {
    checkScopes = true,
    inputSchemaDialect = '2020-12',
  }: { checkScopes?: boolean; inputSchemaDialect?: InputSchemaDialect | undefined } = {},
): Promise<PublishedTool[]> {
  const candidates = flatten(input);
  const keep = createNameFilter(selection.include, selection.exclude);
  const chosen = candidates.filter(({ name }) => keep(name));
  const published = await Promise.all(chosen.map((candidate) => normalizeOne(candidate, selection)));
  if (inputSchemaDialect === 'draft-07') {
    for (const tool of published) tool.listedInputSchema = toDraft07(tool.inputSchema, tool.name);
  }
  const seen = new Map<string, string>();
  for (const tool of published) {
    const previous = seen.get(tool.name);
    if (previous !== undefined)
      throw configError(
        `Two tools are published as "${tool.name}" ("${previous}" and "${tool.sourceName}"); rename one with selection.rename.`,
        tool.name,
      );
    seen.set(tool.name, tool.sourceName);
  }
  for (const name of checkScopes ? Object.keys(selection.scopes ?? {}) : []) {
    if (!seen.has(name))
      throw configError(`selection.scopes names "${name}", which is not a published tool.`, name);
  }
  return published;
}

function flatten(input: ToolsInput): Candidate[] {
  const items: readonly unknown[] = Array.isArray(input) ? input : [input];
  const candidates: Candidate[] = [];
  items.forEach((item, index) => {
    if (isNativeTool(item) || isLangChainTool(item)) {
      candidates.push({ name: item.name, tool: item });
    } else if (isObject(item)) {
      for (const [name, tool] of Object.entries(item)) candidates.push({ name, tool });
    } else {
      throw configError(`tools[${index}] is not a tool or a record of tools.`);
    }
  });
  return candidates;
}

async function normalizeOne(
  { name: sourceName, tool }: Candidate,
  selection: ToolSelection,
): Promise<PublishedTool> {
  const name = renamed(sourceName, selection.rename);
  if (!TOOL_NAME.test(name))
    throw configError(
      `Tool name "${name}" is not valid for MCP (letters, digits, "_", "-", "."; 1-128 characters).`,
      name,
    );
  const extraScopes = [...(selection.scopes?.[name] ?? [])];
  if (isNativeTool(tool)) return normalizeNative(tool as NativeTool, name, sourceName, extraScopes);
  if (isLangChainTool(tool)) return normalizeLangChain(tool, name, sourceName, extraScopes);
  if (isAISDKTool(tool)) return normalizeAISDK(tool, name, sourceName, extraScopes);
  throw configError(
    `Tool "${sourceName}" is not a defineTool() tool, a LangChain tool, or an AI SDK tool.`,
    sourceName,
  );
}

async function schemas(origin: ToolOrigin, name: string, input: unknown, output: unknown) {
  const inputSchema = await toJSONSchema(input, { tool: name, origin, role: 'input' });
  // Header parameters clients would reject make the whole tool invisible to them: refuse now.
  checkHeaderParams(inputSchema, name);
  const outputSchema =
    output === undefined ? undefined : await toJSONSchema(output, { tool: name, origin, role: 'output' });
  return { inputSchema, outputSchema, validate: createArgumentValidator(input, inputSchema) };
}

async function normalizeNative(
  tool: NativeTool,
  name: string,
  sourceName: string,
  extraScopes: string[],
): Promise<PublishedTool> {
  if (typeof tool.execute !== 'function')
    throw configError(`Tool "${sourceName}" has no execute function.`, name);
  if (tool.timeoutMs !== undefined && !isPositiveMilliseconds(tool.timeoutMs))
    throw configError(
      `Tool "${sourceName}" has timeoutMs ${String(tool.timeoutMs)}; give a positive number of milliseconds.`,
      name,
    );
  const converted = await schemas('native', name, tool.inputSchema, tool.outputSchema);
  const structured = converted.outputSchema !== undefined;
  return {
    name,
    sourceName,
    origin: 'native',
    title: tool.title,
    description: tool.description ?? '',
    ...converted,
    annotations: tool.annotations,
    meta: tool.meta,
    scopes: unique([...(tool.scopes ?? []), ...extraScopes]),
    timeoutMs: tool.timeoutMs,
    task: resolveTaskOptions(tool.task, name),
    async run(args, _rawArgs, context) {
      return toCallToolResult(await tool.execute(args as never, context), structured);
    },
  };
}

async function normalizeLangChain(
  tool: LangChainToolLike,
  name: string,
  sourceName: string,
  extraScopes: string[],
): Promise<PublishedTool> {
  const converted = await schemas('langchain', name, tool.schema, undefined);
  return {
    name,
    sourceName,
    origin: 'langchain',
    title: undefined,
    description: tool.description ?? '',
    ...converted,
    annotations: undefined,
    meta: undefined,
    scopes: unique(extraScopes),
    timeoutMs: undefined,
    task: undefined,
    async run(_args, rawArgs, context) {
      // LangChain parses with its own schema again, so it gets the caller's arguments unchanged.
      const output = await tool.invoke(rawArgs, {
        signal: context.signal,
        configurable: { toolwire: context },
      });
      return fromLangChainContent(output);
    },
  };
}

async function normalizeAISDK(
  tool: AISDKToolLike,
  name: string,
  sourceName: string,
  extraScopes: string[],
): Promise<PublishedTool> {
  if (typeof tool.execute !== 'function')
    throw configError(
      `AI SDK tool "${sourceName}" has no execute function (provider tools cannot be published).`,
      name,
    );
  const execute = tool.execute as (input: unknown, options: Record<string, unknown>) => unknown;
  const converted = await schemas('ai-sdk', name, tool.inputSchema ?? tool.parameters, tool.outputSchema);
  const structured = converted.outputSchema !== undefined;
  return {
    name,
    sourceName,
    origin: 'ai-sdk',
    title: tool.title,
    description: describeAISDKTool(tool.description),
    ...converted,
    annotations: undefined,
    meta: undefined,
    scopes: unique(extraScopes),
    timeoutMs: undefined,
    task: undefined,
    async run(args, _rawArgs, context) {
      let output = await execute(args, {
        toolCallId: `mcp-${String(context.requestId)}`,
        messages: [],
        abortSignal: context.signal,
        experimental_context: context,
        context,
      });
      // Streaming tools yield preliminary results; the last one is the result.
      if (isAsyncIterable(output)) {
        let last: unknown;
        for await (const chunk of output) last = chunk;
        output = last;
      }
      return toCallToolResult(output, structured);
    },
  };
}

function describeAISDKTool(description: AISDKToolLike['description']): string {
  if (typeof description !== 'function') return description ?? '';
  try {
    const text = (description as (options: { context: Record<string, never> }) => unknown)({ context: {} });
    return typeof text === 'string' ? text : '';
  } catch {
    return '';
  }
}

function renamed(name: string, rename: ToolSelection['rename']): string {
  if (rename === undefined) return name;
  if (typeof rename === 'function') return rename(name);
  return rename[name] ?? name;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function'
  );
}

/** A usable timer delay: positive, finite, and within what `setTimeout` accepts. */
export function isPositiveMilliseconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= 2 ** 31 - 1;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function configError(message: string, tool?: string): ToolwireError {
  return new ToolwireError({ code: 'CONFIG_INVALID', message, tool });
}
