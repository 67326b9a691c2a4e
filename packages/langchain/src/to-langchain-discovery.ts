/**
 * `toLangChainDiscovery(registry)`: progressive disclosure for LangChain. The model starts with
 * only `search_tools` (and any `alwaysActive` tools); what it finds is bound from its next model
 * call on, at most `maxActiveTools` at a time. For `createAgent` it is a middleware whose
 * `wrapModelCall` narrows the bound tools; for a hand-built graph, `selectTools(messages)` gives
 * the tools to bind. Ranking and the active set are core's (`createToolDisclosure`); this file
 * only reads LangChain messages.
 */
import { AIMessage, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import {
  createToolDisclosure,
  type DisclosureEvent,
  type Registry,
  type ToolDisclosure,
  type ToolDisclosureOptions,
} from '@toolwire/core';
import { SearchToolsTool } from './search-tools-tool.js';
import { ToolwireTool, type ToolwireToolOptions } from './toolwire-tool.js';

/** Options of {@link toLangChainDiscovery}: the disclosure's, and those of the tools it offers. */
export interface LangChainDiscoveryOptions extends ToolDisclosureOptions, ToolwireToolOptions {}

/** The part of a `createAgent` model request the discovery middleware reads and narrows. */
export interface DiscoveryModelRequest {
  messages: BaseMessage[];
  tools: readonly unknown[];
}

/**
 * A `createAgent` middleware (`middleware: [discovery.middleware]`). It registers
 * `search_tools` and the registry's tools with the agent, and narrows what each model call binds.
 */
export interface DiscoveryMiddleware {
  readonly name: string;
  readonly tools: (SearchToolsTool | ToolwireTool)[];
  wrapModelCall<REQUEST extends DiscoveryModelRequest, RESULT>(
    request: REQUEST,
    handler: (request: REQUEST) => RESULT,
  ): RESULT;
}

/** Progressive disclosure for LangChain: the pieces for `createAgent` or your own graph. */
export interface LangChainDiscovery {
  /** The discovery tool. */
  searchTool: SearchToolsTool;
  /** Every registry tool the disclosure may offer (a snapshot of the catalogue). */
  tools: ToolwireTool[];
  /** For `createAgent({ model, middleware: [discovery.middleware] })`. */
  middleware: DiscoveryMiddleware;
  /** The registry tool names to offer after these messages (`search_tools` first). */
  activeToolNames(messages: readonly BaseMessage[]): string[];
  /** The tools to bind after these messages: `search_tools` and the active registry tools. */
  selectTools(messages: readonly BaseMessage[]): (SearchToolsTool | ToolwireTool)[];
  /** The framework-independent disclosure underneath. */
  disclosure: ToolDisclosure;
}

/** The brand `createMiddleware()` from `langchain` puts on its middleware objects. */
const MIDDLEWARE_BRAND = Symbol.for('AgentMiddleware');

/**
 * Progressive disclosure over a registry for LangChain. Build it per agent (cheap, no I/O): its
 * tools are a snapshot of the catalogue.
 *
 * @example
 * ```ts
 * const discovery = toLangChainDiscovery(registry, { maxActiveTools: 6 });
 * const agent = createAgent({ model, tools: [], middleware: [discovery.middleware] });
 * ```
 */
export function toLangChainDiscovery(
  registry: Registry,
  options: LangChainDiscoveryOptions = {},
): LangChainDiscovery {
  const { maxActiveTools, alwaysActive, searchLimit, filter, searchToolName, ...toolOptions } = options;
  const disclosure = createToolDisclosure(registry, {
    maxActiveTools,
    alwaysActive,
    searchLimit,
    filter,
    searchToolName,
  });
  const searchTool = new SearchToolsTool(disclosure);
  const tools = registry
    .tools()
    .filter((info) => disclosure.isDisclosable(info.name))
    .map((info) => new ToolwireTool(registry, info, toolOptions));
  const byName = new Map(tools.map((tool) => [tool.name, tool]));

  const activeToolNames = (messages: readonly BaseMessage[]): string[] => [
    disclosure.searchToolName,
    ...disclosure.activeTools(eventsIn(messages, disclosure)),
  ];
  const selectTools = (messages: readonly BaseMessage[]): (SearchToolsTool | ToolwireTool)[] => [
    searchTool,
    ...activeToolNames(messages)
      .map((name) => byName.get(name))
      .filter((tool): tool is ToolwireTool => tool !== undefined),
  ];

  const middleware = {
    [MIDDLEWARE_BRAND]: true,
    name: 'ToolwireDiscovery',
    tools: [searchTool, ...tools],
    wrapModelCall<REQUEST extends DiscoveryModelRequest, RESULT>(
      request: REQUEST,
      handler: (request: REQUEST) => RESULT,
    ): RESULT {
      const active = new Set(activeToolNames(request.messages));
      // Only our own tools are narrowed: the agent's other tools are always bound.
      const narrowed = request.tools.filter((tool) => {
        const name = toolName(tool);
        const ours = name === disclosure.searchToolName || (name !== undefined && byName.has(name));
        return !ours || active.has(name);
      });
      return handler({ ...request, tools: narrowed });
    },
  };
  return { searchTool, tools, middleware, activeToolNames, selectTools, disclosure };
}

function toolName(tool: unknown): string | undefined {
  if (typeof tool !== 'object' || tool === null) return undefined;
  const name = (tool as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

/** Found and used tools, in order, from LangChain messages. */
function* eventsIn(messages: readonly BaseMessage[], disclosure: ToolDisclosure): Generator<DisclosureEvent> {
  const searchCalls = new Set<string>();
  for (const message of messages) {
    if (AIMessage.isInstance(message)) {
      for (const call of message.tool_calls ?? []) {
        if (call.name === disclosure.searchToolName) {
          if (call.id) searchCalls.add(call.id);
        } else {
          yield { type: 'used', tool: call.name };
        }
      }
    } else if (
      ToolMessage.isInstance(message) &&
      (message.name === disclosure.searchToolName || searchCalls.has(message.tool_call_id))
    ) {
      const fromArtifact = disclosure.foundIn(message.artifact);
      yield {
        type: 'found',
        tools: fromArtifact.length > 0 ? fromArtifact : disclosure.foundIn(textOf(message.content)),
      };
    }
  }
}

function textOf(content: ToolMessage['content']): string {
  if (typeof content === 'string') return content;
  return content
    .map((block) =>
      typeof block === 'object' && block !== null && 'text' in block ? String(block.text) : '',
    )
    .join('');
}
