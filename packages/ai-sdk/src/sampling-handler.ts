/**
 * Answers MCP servers' sampling requests with the app's own AI SDK model: the server's messages,
 * system prompt and limits go to `generateText`, its text comes back as the sampling result.
 */
import type { SamplingHandler } from '@toolwire/core';
import { generateText, type LanguageModel, type ModelMessage } from 'ai';

/** Options of {@link createAISDKSamplingHandler}. */
export interface AISDKSamplingOptions {
  /** The model name reported to the server. Default: the model id the provider reports. */
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
 * A sampling handler that answers with `model` through `generateText`. Pass it as `onSampling` to
 * `createRegistry`, `registry.setSessionHandlers`, a call, or `toAISDKTools`. The server's
 * `systemPrompt`, `maxTokens`, `temperature` and `stopSequences` are passed on; the call's signal
 * aborts the generation. Text and image content are passed on; other content is described in text.
 *
 * @example
 * ```ts
 * const registry = await createRegistry({ mcpServers, onSampling: createAISDKSamplingHandler(openai('gpt-5-mini')) });
 * ```
 */
export function createAISDKSamplingHandler(
  model: LanguageModel,
  options: AISDKSamplingOptions = {},
): SamplingHandler {
  return async (request, context) => {
    if (options.approve && !(await options.approve(request, context))) {
      throw new Error('sampling request refused by the approve option');
    }
    const messages: ModelMessage[] = request.messages.map((message) =>
      message.role === 'assistant'
        ? { role: 'assistant', content: textOf(message.content) }
        : { role: 'user', content: userParts(message.content) },
    );
    const result = await generateText({
      model,
      messages,
      ...(request.systemPrompt ? { system: request.systemPrompt } : {}),
      ...(typeof request.maxTokens === 'number' ? { maxOutputTokens: request.maxTokens } : {}),
      ...(typeof request.temperature === 'number' ? { temperature: request.temperature } : {}),
      ...(request.stopSequences?.length ? { stopSequences: request.stopSequences } : {}),
      abortSignal: context.signal,
    });
    return {
      role: 'assistant',
      content: { type: 'text', text: result.text },
      model: options.modelName ?? result.response.modelId ?? modelIdOf(model),
      stopReason: stopReasonOf(result.finishReason),
    };
  };
}

function blocksOf(content: SamplingContent) {
  return Array.isArray(content) ? content : [content];
}

function textOf(content: SamplingContent): string {
  return blocksOf(content)
    .map((block) => (block.type === 'text' ? block.text : `[${block.type} content omitted]`))
    .join('\n');
}

function userParts(
  content: SamplingContent,
): ({ type: 'text'; text: string } | { type: 'image'; image: string; mediaType: string })[] {
  return blocksOf(content).map((block) => {
    if (block.type === 'text') return { type: 'text', text: block.text };
    if (block.type === 'image') return { type: 'image', image: block.data, mediaType: block.mimeType };
    return { type: 'text', text: `[${block.type} content omitted]` };
  });
}

function stopReasonOf(finishReason: unknown): string {
  if (finishReason === 'length') return 'maxTokens';
  if (finishReason === 'stop') return 'endTurn';
  return String(finishReason);
}

function modelIdOf(model: LanguageModel): string {
  return typeof model === 'string' ? model : model.modelId;
}
