/**
 * One LangChain agent turn (`createAgent`) over registry tools from three servers: our
 * publisher (unit conversion), server-memory (remember the result) and server-everything (add).
 * Prints the transcript and checks the tool messages the model received.
 */

import { AIMessage, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { toLangChainTools } from '@toolwire/langchain';
import { ScriptedChatModel, toolCallTurn } from '@toolwire/langchain/testing';
import { createAgent } from 'langchain';
import type { DemoStep } from '../demo-context.ts';
import { summary } from '../format.ts';
import { chooseModel, describeModel } from '../models.ts';

const question = 'How many miles is a 42 km marathon? Remember the answer, and add 195 to 42 for me.';

export const langChainTurnStep: DemoStep = {
  title: 'A LangChain agent turn',
  async run({ registry, print, check }) {
    const choice = chooseModel();
    const tools = toLangChainTools(registry, {
      include: ['toolbox__convert_units', 'memory__create_entities', 'everything__get-sum'],
    });
    const model = choice.provider
      ? new ChatOpenAI({ model: choice.modelName, apiKey: choice.apiKey })
      : new ScriptedChatModel([
          toolCallTurn(
            { name: 'toolbox__convert_units', args: { value: 42, unit: 'km' } },
            { name: 'everything__get-sum', args: { a: 195, b: 42 } },
          ),
          (messages) => {
            const miles = resultOf(messages, 'toolbox__convert_units').match(/[\d.]+/)?.[0] ?? '?';
            return toolCallTurn({
              name: 'memory__create_entities',
              args: {
                entities: [
                  { name: 'marathon', entityType: 'fact', observations: [`42 km is ${miles} miles`] },
                ],
              },
            });
          },
          (messages) => {
            const miles = resultOf(messages, 'toolbox__convert_units').match(/[\d.]+/)?.[0] ?? '?';
            const sum = resultOf(messages, 'everything__get-sum').match(/(\d+)\D*$/)?.[1] ?? '?';
            return new AIMessage(`A 42 km marathon is ${miles} miles (remembered). 195 + 42 = ${sum}.`);
          },
        ]);
    print(`model: ${describeModel(choice)}`);
    const agent = createAgent({ model, tools });
    const state = await agent.invoke(
      { messages: [{ role: 'user', content: question }] },
      { configurable: { thread_id: 'demo-langchain' }, recursionLimit: 12 },
    );
    const messages: BaseMessage[] = state.messages;
    printTranscript(messages, print);

    const toolMessages = messages.filter((message): message is ToolMessage =>
      ToolMessage.isInstance(message),
    );
    const answer = String(messages.at(-1)?.content ?? '');
    check(
      toolMessages.length >= 2,
      `the LangChain agent called tools (got ${toolMessages.length} tool messages)`,
    );
    check(
      toolMessages.every((message) => message.status !== 'error'),
      'every LangChain tool call succeeded',
    );
    const remembered = await registry.callTool('memory__search_nodes', { query: 'marathon' });
    if (choice.provider) {
      check(answer.length > 0, 'the real model gave an answer');
    } else {
      check(
        answer.includes('26.1') && answer.includes('237'),
        `the answer uses the tool results; got: ${answer}`,
      );
      check(remembered.text.includes('26.1'), 'server-memory holds what the agent remembered');
    }
  },
};

function resultOf(messages: BaseMessage[], toolName: string): string {
  const message = messages.find(
    (candidate) => ToolMessage.isInstance(candidate) && candidate.name === toolName,
  );
  return typeof message?.content === 'string' ? message.content : JSON.stringify(message?.content ?? '');
}

function printTranscript(messages: BaseMessage[], print: (line?: string) => void): void {
  for (const message of messages) {
    if (ToolMessage.isInstance(message)) {
      const text = typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
      print(
        `  tool ${message.name}${message.status === 'error' ? ' (error)' : ''}: ${summary(text.replace(/\s+/g, ' '), 90)}`,
      );
    } else if (AIMessage.isInstance(message)) {
      for (const call of message.tool_calls ?? [])
        print(`  assistant → ${call.name}(${JSON.stringify(call.args)})`);
      if (typeof message.content === 'string' && message.content) print(`  assistant: ${message.content}`);
    } else {
      print(`  user: ${String(message.content)}`);
    }
  }
}
