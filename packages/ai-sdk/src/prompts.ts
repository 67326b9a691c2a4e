/**
 * MCP prompts as AI SDK `ModelMessage`s: a rendered prompt's `user` turns become user messages
 * and its `assistant` turns assistant messages, ready for `generateText({ messages })`.
 */
import type { Registry, RequestScopeOptions } from '@toolwire/core';
import type { AssistantModelMessage, ModelMessage, UserModelMessage } from 'ai';
import { contentBlockToPart } from './message-parts.js';
import type { MCPContentBlock } from './tool-output.js';

/**
 * Renders a registry prompt (by its registry name, see `registry.prompts()`) into AI SDK
 * messages. A turn that is one text block becomes a plain string; other turns become parts
 * (`text`, `file` for images, audio and binary resources). Rejects with `TOOL_NOT_FOUND` for an
 * unknown prompt (naming the prompts there are) and `CONNECT_FAILED` when its server is down.
 *
 * @example
 * ```ts
 * const messages = await getPromptMessages(registry, 'everything__args-prompt', { city: 'Oslo' });
 * const { text } = await generateText({ model, messages, tools: toAISDKTools(registry) });
 * ```
 */
export async function getPromptMessages(
  registry: Registry,
  name: string,
  args: Record<string, string> = {},
  options: RequestScopeOptions = {},
): Promise<ModelMessage[]> {
  const result = await registry.getPrompt(name, args, options);
  return result.messages.map((message): UserModelMessage | AssistantModelMessage => {
    const part = contentBlockToPart(message.content as MCPContentBlock);
    const content = part.type === 'text' ? part.text : [part];
    return message.role === 'assistant' ? { role: 'assistant', content } : { role: 'user', content };
  });
}
