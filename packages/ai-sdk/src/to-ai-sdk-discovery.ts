/**
 * `toAISDKDiscovery(registry)`: progressive disclosure for the AI SDK. The model starts with only
 * `search_tools` (and any `alwaysActive` tools); what it finds is offered from the next step on,
 * through `prepareStep` → `activeTools`, at most `maxActiveTools` at a time. Everything else is
 * core's (`createToolDisclosure`): this file only reads the AI SDK's messages.
 */
import {
  createToolDisclosure,
  type DisclosureEvent,
  type Registry,
  type SearchToolsOutput,
  type ToolDisclosure,
  type ToolDisclosureOptions,
} from '@toolwire/core';
import { jsonSchema, type Tool, type ToolSet, tool } from 'ai';
import { type ToAISDKToolsOptions, toAISDKTools } from './to-ai-sdk-tools.js';

/** Options of {@link toAISDKDiscovery}: the disclosure's, and those of the tools it offers. */
export interface AISDKDiscoveryOptions extends ToolDisclosureOptions, Omit<ToAISDKToolsOptions, 'filter'> {}

/** The pieces to hand to `generateText`, `streamText` or an agent: spread it, or wire each one. */
export interface AISDKDiscovery {
  /** `search_tools` and every registry tool the disclosure may offer (any of them can execute). */
  tools: ToolSet;
  /** What the first step offers: `search_tools` and the `alwaysActive` tools. */
  activeTools: string[];
  /** Offers, in each step, `search_tools` plus the tools active after the messages so far. */
  prepareStep: (options: { messages: readonly unknown[] }) => { activeTools: string[] };
  /** The tool names to offer after these messages (for your own `prepareStep`). */
  activeToolsFor: (messages: readonly unknown[]) => string[];
  /** The framework-independent disclosure underneath. */
  disclosure: ToolDisclosure;
}

/**
 * Progressive disclosure over a registry for the AI SDK. Build it per request, like
 * `toAISDKTools` (cheap, no I/O): the tool set is a snapshot of the catalogue.
 *
 * @example
 * ```ts
 * const discovery = toAISDKDiscovery(registry, { maxActiveTools: 6 });
 * const { text } = await generateText({ model, ...discovery, stopWhen: stepCountIs(8), prompt });
 * ```
 */
export function toAISDKDiscovery(registry: Registry, options: AISDKDiscoveryOptions = {}): AISDKDiscovery {
  const {
    maxActiveTools,
    alwaysActive,
    searchLimit,
    filter,
    searchToolName,
    sessionKey,
    timeoutMs,
    onProgress,
    streamProgress,
    needsApproval,
  } = options;
  const disclosure = createToolDisclosure(registry, {
    maxActiveTools,
    alwaysActive,
    searchLimit,
    filter,
    searchToolName,
  });
  const registryTools = toAISDKTools(registry, {
    filter: (info) => disclosure.isDisclosable(info.name),
    ...(sessionKey === undefined ? {} : { sessionKey }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(onProgress === undefined ? {} : { onProgress }),
    ...(streamProgress === undefined ? {} : { streamProgress }),
    ...(needsApproval === undefined ? {} : { needsApproval }),
  });
  const searchTool: Tool = tool({
    description: disclosure.searchToolDescription,
    inputSchema: jsonSchema<Record<string, unknown>>(
      disclosure.searchToolInputSchema as Parameters<typeof jsonSchema>[0],
    ),
    execute: async (input: Record<string, unknown>): Promise<SearchToolsOutput> => disclosure.search(input),
  });
  const tools: Record<string, Tool> = {};
  Object.defineProperty(tools, disclosure.searchToolName, { value: searchTool, enumerable: true });
  for (const [name, registryTool] of Object.entries(registryTools)) {
    Object.defineProperty(tools, name, { value: registryTool, enumerable: true });
  }

  const activeToolsFor = (messages: readonly unknown[]): string[] => [
    disclosure.searchToolName,
    ...disclosure.activeTools(eventsIn(messages, disclosure)),
  ];
  return {
    tools: tools as ToolSet,
    activeTools: activeToolsFor([]),
    prepareStep: ({ messages }) => ({ activeTools: activeToolsFor(messages) }),
    activeToolsFor,
    disclosure,
  };
}

interface MessageLike {
  role?: unknown;
  content?: unknown;
}

interface PartLike {
  type?: unknown;
  toolName?: unknown;
  output?: unknown;
}

/** Found and used tools, in order, from the AI SDK's model messages. */
function* eventsIn(messages: readonly unknown[], disclosure: ToolDisclosure): Generator<DisclosureEvent> {
  for (const message of messages as MessageLike[]) {
    if (!Array.isArray(message?.content)) continue;
    for (const part of message.content as PartLike[]) {
      if (typeof part?.toolName !== 'string') continue;
      if (part.type === 'tool-call' && part.toolName !== disclosure.searchToolName) {
        yield { type: 'used', tool: part.toolName };
      } else if (part.type === 'tool-result' && part.toolName === disclosure.searchToolName) {
        yield { type: 'found', tools: disclosure.foundIn(outputValue(part.output)) };
      }
    }
  }
}

/** A tool result's output as the model was given it: `{ type: 'json' | 'text', value }`. */
function outputValue(output: unknown): unknown {
  if (typeof output === 'object' && output !== null && 'value' in output) {
    return (output as { value: unknown }).value;
  }
  return output;
}
