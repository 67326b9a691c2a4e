/**
 * Answers MCP servers' sampling requests with the app's own LangChain chat model: the server's
 * messages and system prompt become LangChain messages, the model's reply the sampling result.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { SamplingHandler } from '@toolwire/core';

/** Options of {@link createLangChainSamplingHandler}. */
export interface LangChainSamplingOptions {
  /** The model name reported to the server. Default: the model's `model`/`modelName`, else its type. */
  modelName?: string | undefined;
  /**
   * Decides whether to answer at all (e.g. ask the user first, or refuse some servers): return
   * `false` to refuse the request. Default: answer every request.
   */
  approve?: ((request: SamplingRequest, context: SamplingContext) => boolean | Promise<boolean>) | undefined;
}

type SamplingRequest = Parameters<SamplingHandler>[0];
type SamplingContext = Parameters<SamplingHandler>[1];
type SamplingContent = SamplingRequest['messages'][number]['content'];

/**
 * A sampling handler that answers with `model`. Pass it as `onSampling` to `createRegistry`,
 * `registry.setSessionHandlers`, a call, or `toLangChainTools`. The server's `systemPrompt` leads
 * the messages; `stopSequences` are passed as `stop`; the call's signal aborts the model call.
 * Text and image content are passed on (images as data URLs); other content is described in text.
 *
 * @example
 * ```ts
 * const registry = await createRegistry({ mcpServers, onSampling: createLangChainSamplingHandler(model) });
 * ```
 */
export function createLangChainSamplingHandler(
  model: BaseChatModel,
  options: LangChainSamplingOptions = {},
): SamplingHandler {
  const modelName = options.modelName ?? nameOf(model);
  return async (request, context) => {
    if (options.approve && !(await options.approve(request, context))) {
      throw new Error('sampling request refused by the approve option');
    }
    const messages: BaseMessage[] = [];
    if (request.systemPrompt) messages.push(new SystemMessage(request.systemPrompt));
    for (const message of request.messages) {
      const content = toLangChainContent(message.content);
      messages.push(
        message.role === 'assistant' ? new AIMessage({ content }) : new HumanMessage({ content }),
      );
    }
    const reply = await model.invoke(messages, {
      signal: context.signal,
      ...(request.stopSequences?.length ? { stop: request.stopSequences } : {}),
    });
    return {
      role: 'assistant',
      content: { type: 'text', text: reply.text },
      model: modelName,
      stopReason: 'endTurn',
    };
  };
}

function toLangChainContent(
  content: SamplingContent,
): string | ({ type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } })[] {
  const blocks = Array.isArray(content) ? content : [content];
  const parts = blocks.map((block) => {
    if (block.type === 'text') return { type: 'text' as const, text: block.text };
    if (block.type === 'image') {
      return {
        type: 'image_url' as const,
        image_url: { url: `data:${block.mimeType};base64,${block.data}` },
      };
    }
    return { type: 'text' as const, text: `[${block.type} content omitted]` };
  });
  const [first] = parts;
  return parts.length === 1 && first?.type === 'text' ? first.text : parts;
}

function nameOf(model: BaseChatModel): string {
  const fields = model as unknown as { model?: unknown; modelName?: unknown };
  if (typeof fields.model === 'string') return fields.model;
  if (typeof fields.modelName === 'string') return fields.modelName;
  return model._llmType();
}
