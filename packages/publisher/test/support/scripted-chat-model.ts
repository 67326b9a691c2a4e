/**
 * A tiny scripted LangChain chat model: returns the given AI messages in order, so a real
 * LangChain agent loop can be driven without a provider.
 */

import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { BaseMessage } from '@langchain/core/messages';
import { AIMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';

export class ScriptedChatModel extends BaseChatModel {
  readonly seen: BaseMessage[][] = [];
  private turn = 0;

  constructor(private readonly script: AIMessage[]) {
    super({});
  }

  _llmType(): string {
    return 'scripted';
  }

  override bindTools(): this {
    return this;
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    this.seen.push(messages);
    const message = this.script[this.turn++] ?? new AIMessage('(script ended)');
    return { generations: [{ message, text: typeof message.content === 'string' ? message.content : '' }] };
  }
}
