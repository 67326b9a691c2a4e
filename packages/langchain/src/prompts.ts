/**
 * MCP prompts as LangChain messages: a rendered prompt's `user` turns become `HumanMessage`s and
 * its `assistant` turns `AIMessage`s, with the same content mapping as tool results.
 */
import { AIMessage, type BaseMessage, HumanMessage } from '@langchain/core/messages';
import type { Registry, RequestScopeOptions } from '@toolwire/core';
import { type MCPContentBlock, toMessageContent } from './map-result.js';

/**
 * Renders a registry prompt (by its registry name, see `registry.prompts()`) into LangChain
 * messages, ready to prepend to an agent's input.
 *
 * @example
 * ```ts
 * const messages = await getPromptMessages(registry, 'everything__args-prompt', { city: 'Oslo' });
 * await agent.invoke({ messages });
 * ```
 */
export async function getPromptMessages(
  registry: Registry,
  name: string,
  args: Record<string, string> = {},
  options: RequestScopeOptions = {},
): Promise<BaseMessage[]> {
  const result = await registry.getPrompt(name, args, options);
  return result.messages.map((message) => {
    const content = toMessageContent([message.content as MCPContentBlock]);
    return message.role === 'assistant' ? new AIMessage({ content }) : new HumanMessage({ content });
  });
}
