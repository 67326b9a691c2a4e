/**
 * A chat model that needs no API key: it binds tools like a provider model and answers with a
 * fixed script of turns, each computed from the conversation so far. Used when no provider key
 * is set, so the example (and CI) runs offline.
 */
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';

/** One turn of the script: the reply to the messages the agent sent. */
export type ScriptedTurn = (messages: BaseMessage[]) => AIMessage;

export class ScriptedChatModel extends BaseChatModel {
  private readonly turns: ScriptedTurn[];
  private turn = 0;

  constructor(turns: ScriptedTurn[]) {
    super({});
    this.turns = turns;
  }

  _llmType(): string {
    return 'scripted';
  }

  // A real model sends the tool definitions to its provider; the script already knows them.
  override bindTools(): this {
    return this;
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const next = this.turns[this.turn++];
    if (!next) throw new Error(`the script has no turn ${this.turn}`);
    const message = next(messages);
    return { generations: [{ message, text: typeof message.content === 'string' ? message.content : '' }] };
  }
}

/** An assistant turn that calls one or more tools. */
export function callTools(...calls: { name: string; args: Record<string, unknown> }[]): AIMessage {
  return new AIMessage({
    content: '',
    tool_calls: calls.map((call, index) => ({
      ...call,
      id: `call_${index}_${call.name}`,
      type: 'tool_call',
    })),
  });
}
