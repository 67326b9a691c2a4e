/**
 * A chat model that needs no provider or API key, for testing agents (and running examples
 * offline): it binds tools like a real model (recording the tool definitions a provider would
 * receive), replies with preset turns (tool calls or a final answer, fixed or computed from the
 * conversation) and records every message list it was sent.
 */
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { BaseChatModel, type BaseChatModelParams } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage, type ToolCall } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';

/** One scripted turn: a fixed reply, or one computed from what the model was sent. */
export type ScriptedTurn = AIMessage | ((messages: BaseMessage[]) => AIMessage);

/** What the model saw on one call. */
export interface ModelCall {
  messages: BaseMessage[];
  /** The bound tools as a provider receives them (`convertToOpenAITool`). */
  tools: { name: string; description: string; parameters: unknown }[];
}

interface ScriptState {
  turns: ScriptedTurn[];
  calls: ModelCall[];
}

/** Builds an assistant turn that calls tools (ids are generated when not given). */
export function toolCallTurn(...calls: Omit<ToolCall, 'type' | 'id'>[]): AIMessage {
  return new AIMessage({
    content: '',
    tool_calls: calls.map((call, index) => ({
      ...call,
      id: `call_${call.name}_${index}_${Math.random().toString(36).slice(2, 8)}`,
      type: 'tool_call',
    })),
  });
}

/**
 * @example
 * ```ts
 * const model = new ScriptedChatModel([
 *   toolCallTurn({ name: 'everything__echo', args: { message: 'hi' } }),
 *   (messages) => new AIMessage(`The tool said: ${messages.at(-1)?.content}`),
 * ]);
 * const agent = createAgent({ model, tools: toLangChainTools(registry) });
 * ```
 */
export class ScriptedChatModel extends BaseChatModel {
  private readonly state: ScriptState;
  private readonly boundTools: ModelCall['tools'];

  constructor(
    turns: ScriptedTurn[],
    fields: BaseChatModelParams = {},
    state?: ScriptState,
    tools: ModelCall['tools'] = [],
  ) {
    super(fields);
    this.state = state ?? { turns: [...turns], calls: [] };
    this.boundTools = tools;
  }

  /** Every call so far, oldest first. */
  get calls(): ModelCall[] {
    return this.state.calls;
  }

  _llmType(): string {
    return 'scripted';
  }

  override bindTools(tools: (StructuredToolInterface | Record<string, unknown>)[]): ScriptedChatModel {
    const definitions = tools.map((tool) => {
      const definition = convertToOpenAITool(tool as StructuredToolInterface).function;
      return {
        name: definition.name,
        description: definition.description ?? '',
        parameters: definition.parameters,
      };
    });
    return new ScriptedChatModel([], {}, this.state, definitions);
  }

  async _generate(
    messages: BaseMessage[],
    _options: this['ParsedCallOptions'],
    _runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    this.state.calls.push({ messages: [...messages], tools: this.boundTools });
    const turn = this.state.turns.shift();
    if (!turn) throw new Error(`ScriptedChatModel: no scripted turn left (call ${this.state.calls.length})`);
    const message = typeof turn === 'function' ? turn(messages) : turn;
    return { generations: [{ message, text: typeof message.content === 'string' ? message.content : '' }] };
  }
}
