/**
 * Both adapters against a publisher whose tool asks the user, samples the model and logs, on both
 * protocol eras: sampling is answered by the app's own model (a LangChain chat model through
 * `createLangChainSamplingHandler`, an AI SDK model through `createAISDKSamplingHandler`), the
 * elicitation by the adapter's handler, and the server's log messages reach `onLog` (and, for
 * LangChain, the `toolwire_server_log` callback event) with the call's tool call id.
 */
import { AIMessage } from '@langchain/core/messages';
import {
  type ToolServerLogEvent as AISDKLogEvent,
  createAISDKSamplingHandler,
  toAISDKTools,
} from '@toolwire/ai-sdk';
import { generateResults } from '@toolwire/ai-sdk/testing';
import { createRegistry, type Registry, silentLogger } from '@toolwire/core';
import {
  createLangChainSamplingHandler,
  SERVER_LOG_EVENT,
  type ToolServerLogEvent,
  toLangChainTool,
} from '@toolwire/langchain';
import { ScriptedChatModel } from '@toolwire/langchain/testing';
import { generateText, stepCountIs } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, defineTool, type ListeningPublisher, type Publisher } from '../src/index.js';

let publisher: Publisher;
let listening: ListeningPublisher;
const textOf = (content: unknown): string =>
  (Array.isArray(content) ? content[0] : content)?.text ?? '(no text)';

beforeAll(async () => {
  publisher = createPublisher({
    name: 'asks',
    version: '1.0.0',
    tools: [
      defineTool({
        name: 'greet',
        description: 'Asks for a name, has the model write a greeting, logs the outcome.',
        async execute(_args, context) {
          const name = await context.elicit(
            {
              message: 'Your name?',
              requestedSchema: { type: 'object', properties: { name: { type: 'string' } } },
            },
            { key: 'name' },
          );
          const greeting = await context.sample(
            {
              systemPrompt: 'Write one short greeting.',
              messages: [
                { role: 'user', content: { type: 'text', text: `Greet ${String(name.content?.name)}` } },
              ],
              maxTokens: 30,
            },
            { key: 'greeting' },
          );
          await context.log('notice', `greeted ${String(name.content?.name)}`, 'greeter');
          return textOf(greeting.content);
        },
      }),
    ],
    onError: () => {},
  });
  listening = await publisher.listen();
});

afterAll(async () => {
  await publisher?.close({ drainMs: 200 });
});

for (const protocol of ['legacy', '2026-07-28'] as const) {
  describe(protocol, () => {
    let registry: Registry;
    beforeAll(async () => {
      registry = await createRegistry({
        servers: { pub: { url: listening.url, protocol, toolPrefix: false } },
        cache: 'none',
        logger: silentLogger,
        // The adapters bring their handlers per call: declare both from the first connection.
        declareCapabilities: { elicitation: true, sampling: true },
      });
    });
    afterAll(async () => {
      await registry?.close();
    });

    it('LangChain: a chat model answers the sampling request, logs reach onLog and the callbacks', async () => {
      const model = new ScriptedChatModel([new AIMessage('Hello Ada, from LangChain!')]);
      const logs: ToolServerLogEvent[] = [];
      const callbackLogs: unknown[] = [];
      const tool = toLangChainTool(registry, 'greet', {
        onSampling: createLangChainSamplingHandler(model),
        onElicitation: async () => ({ action: 'accept', content: { name: 'Ada' } }),
        onLog: (event) => logs.push(event),
      });
      const message = await tool.invoke(
        { type: 'tool_call', id: 'lc-1', name: 'greet', args: {} },
        {
          callbacks: [
            {
              handleCustomEvent: (name: string, data: unknown) => {
                if (name === SERVER_LOG_EVENT) callbackLogs.push(data);
              },
            },
          ],
        },
      );
      expect((message as unknown as { content: unknown }).content).toBe('Hello Ada, from LangChain!');
      expect(model.calls).toHaveLength(1);
      expect(model.calls[0]?.messages.map((item) => [item.getType(), item.content])).toEqual([
        ['system', 'Write one short greeting.'],
        ['human', 'Greet Ada'],
      ]);
      expect(logs).toEqual([
        expect.objectContaining({ level: 'notice', data: 'greeted Ada', tool: 'greet', toolCallId: 'lc-1' }),
      ]);
      expect(callbackLogs).toEqual(logs);
    });

    it('AI SDK: a language model answers the sampling request inside an agent loop; logs reach onLog', async () => {
      const sampler = new MockLanguageModelV4({
        doGenerate: async () => generateResults([{ text: 'Hello Ada, from the AI SDK!' }])[0] as never,
      });
      const agentModel = new MockLanguageModelV4({
        doGenerate: generateResults([
          { toolCalls: [{ toolName: 'greet', input: {}, toolCallId: 'ai-1' }] },
          { text: 'done' },
        ]) as never,
      });
      const logs: AISDKLogEvent[] = [];
      const tools = toAISDKTools(registry, {
        onSampling: createAISDKSamplingHandler(sampler, { modelName: 'mock' }),
        onElicitation: async () => ({ action: 'accept', content: { name: 'Ada' } }),
        onLog: (event) => logs.push(event),
      });
      const result = await generateText({
        model: agentModel,
        tools,
        prompt: 'Greet me',
        stopWhen: stepCountIs(3),
      });
      const output = result.steps.flatMap((step) => step.toolResults)[0]?.output;
      expect(JSON.stringify(output)).toContain('Hello Ada, from the AI SDK!');
      expect(sampler.doGenerateCalls).toHaveLength(1);
      const call = sampler.doGenerateCalls[0];
      expect(call?.maxOutputTokens).toBe(30);
      expect(JSON.stringify(call?.prompt)).toContain('Write one short greeting.');
      expect(JSON.stringify(call?.prompt)).toContain('Greet Ada');
      expect(logs).toEqual([
        expect.objectContaining({ level: 'notice', data: 'greeted Ada', tool: 'greet', toolCallId: 'ai-1' }),
      ]);
    });
  });
}
