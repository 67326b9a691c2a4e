/**
 * One AI SDK agent turn (`generateText` with several steps) over registry tools: our publisher's
 * order lookup (a structured result) and word count (a LangChain tool, published), and
 * server-everything's image. Prints the transcript and checks what the model received.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { toAISDKTools } from '@toolwire/ai-sdk';
import { scriptedGenerate, toolResultsIn } from '@toolwire/ai-sdk/testing';
import { generateText, type LanguageModel, stepCountIs } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import type { DemoStep } from '../demo-context.ts';
import { summary } from '../format.ts';
import { chooseModel, describeModel } from '../models.ts';

const question =
  'Where is order A-1001, how long is the phrase "ship it before friday", and show me the logo.';

export const aiSDKTurnStep: DemoStep = {
  title: 'An AI SDK agent turn',
  async run({ registry, print, check }) {
    const choice = chooseModel();
    const tools = toAISDKTools(registry, {
      include: ['toolbox__order_status', 'toolbox__word_stats', 'everything__get-tiny-image'],
      // The toolbox keeps one session per conversation: this turn is its own conversation.
      sessionKey: 'demo-ai-sdk',
    });
    const doGenerate = scriptedGenerate([
      {
        toolCalls: [
          { toolName: 'toolbox__order_status', input: { orderId: 'A-1001' } },
          { toolName: 'toolbox__word_stats', input: { text: 'ship it before friday' } },
        ],
      },
      { toolCalls: [{ toolName: 'everything__get-tiny-image', input: {} }] },
      (prompt) => {
        const seen = (name: string) =>
          toolResultsIn(prompt).find((result) => result.toolName === name)?.output;
        const order = seen('toolbox__order_status');
        const words = seen('toolbox__word_stats');
        const logo = seen('everything__get-tiny-image');
        const status = parseOrder(order);
        const count = /(\d+) words/.exec(JSON.stringify(words?.value ?? ''))?.[1] ?? '?';
        const image = logo?.type === 'content' && JSON.stringify(logo.value).includes('"file"');
        return {
          text: `Order A-1001 is ${status.status ?? '?'} (arriving ${status.eta ?? '?'}); the phrase has ${count} words; ${image ? 'here is the logo' : 'no logo received'}.`,
        };
      },
    ]);
    const model: LanguageModel = choice.provider
      ? createOpenAI(choice.apiKey ? { apiKey: choice.apiKey } : {})(choice.modelName)
      : new MockLanguageModelV4({ doGenerate });
    print(`model: ${describeModel(choice)}`);
    print(`  user: ${question}`);
    const result = await generateText({
      model,
      tools,
      stopWhen: stepCountIs(5),
      prompt: question,
      onStepFinish(step) {
        for (const call of step.toolCalls)
          print(`  assistant → ${call.toolName}(${JSON.stringify(call.input)})`);
        for (const toolResult of step.toolResults) {
          print(`  tool ${toolResult.toolName}: ${summary(describeOutput(toolResult.output), 90)}`);
        }
      },
    });
    print(`  assistant: ${result.text}`);

    const calls = result.steps.flatMap((step) => step.toolCalls);
    const errors = result.steps.flatMap((step) => step.content.filter((part) => part.type === 'tool-error'));
    check(calls.length >= 2, `the AI SDK agent called tools (got ${calls.length})`);
    check(errors.length === 0, `every AI SDK tool call succeeded (${errors.length} errors)`);
    if (choice.provider) {
      check(result.text.length > 0, 'the real model gave an answer');
    } else {
      check(
        result.text ===
          'Order A-1001 is shipped (arriving 2026-11-24); the phrase has 4 words; here is the logo.',
        `the answer uses the structured result, the text result and the image; got: ${result.text}`,
      );
      const imageSeen =
        doGenerate.prompts.at(-1) &&
        JSON.stringify(toolResultsIn(doGenerate.prompts.at(-1)!)).includes('image/png');
      check(Boolean(imageSeen), 'the model received the PNG as a file part');
    }
  },
};

/** The order as the model saw it: JSON text from the published AI SDK tool (no output schema). */
function parseOrder(output: { type: string; value?: unknown } | undefined): {
  status?: string;
  eta?: string;
} {
  if (output?.type === 'json') return output.value as { status?: string; eta?: string };
  if (output?.type !== 'text') return {};
  try {
    return JSON.parse(String(output.value)) as { status?: string; eta?: string };
  } catch {
    return {};
  }
}

/** A tool result for the transcript: its text, and a marker per image or audio block. */
function describeOutput(output: unknown): string {
  const content = (output as { content?: { type: string; text?: string; mimeType?: string }[] }).content;
  if (!Array.isArray(content)) return JSON.stringify(output);
  return content
    .map((block) => (block.type === 'text' ? (block.text ?? '') : `[${block.type} ${block.mimeType ?? ''}]`))
    .join(' ')
    .replace(/\s+/g, ' ');
}
