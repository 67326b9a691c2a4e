/**
 * The adapter's entry points: the registry's catalogue as LangChain tools, all at once
 * (`toLangChainTools`) or one by name (`toLangChainTool`). Names are the registry's unique,
 * provider-safe names; nothing here speaks MCP.
 */
import type { Registry } from '@toolwire/core';
import { ToolwireTool, type ToolwireToolOptions } from './toolwire-tool.js';

/** Options of {@link toLangChainTools}. */
export interface LangChainToolsOptions extends ToolwireToolOptions {
  /** Registry tool names or globs (`everything__*`) to keep. Default: every callable tool. */
  include?: readonly string[] | undefined;
  /** Registry tool names or globs to leave out (applied after `include`). */
  exclude?: readonly string[] | undefined;
}

/**
 * The registry's callable tools as LangChain `StructuredTool`s (`ToolwireTool`), in catalogue
 * order. The list is a snapshot: call again after `registry.on('tools:changed', …)` to pick up
 * new tools (a removed tool's call fails with `TOOL_NOT_FOUND`).
 *
 * @example
 * ```ts
 * import { createRegistry } from '@toolwire/core';
 * import { toLangChainTools } from '@toolwire/langchain';
 * import { createAgent } from 'langchain';
 *
 * const registry = await createRegistry({ mcpServers: { everything: { command: 'npx',
 *   args: ['-y', '@modelcontextprotocol/server-everything'] } } });
 * const agent = createAgent({ model, tools: toLangChainTools(registry, { exclude: ['*__get-env'] }) });
 * ```
 */
export function toLangChainTools(registry: Registry, options: LangChainToolsOptions = {}): ToolwireTool[] {
  const { include, exclude, ...toolOptions } = options;
  return registry.tools({ include, exclude }).map((info) => new ToolwireTool(registry, info, toolOptions));
}

/**
 * One registry tool as a LangChain tool, by its registry name. Throws `ToolNotFoundError`
 * (`TOOL_NOT_FOUND`, with the closest names) when there is no such callable tool.
 */
export function toLangChainTool(
  registry: Registry,
  name: string,
  options: ToolwireToolOptions = {},
): ToolwireTool {
  return new ToolwireTool(registry, registry.requireTool(name), options);
}
