/**
 * Scripts for the AI SDK's own mock language models (`MockLanguageModelV4` from `ai/test`, or
 * `MockLanguageModelV3` from `ai@6`), so agents run over real MCP tools without a provider or an
 * API key (tests, CI, offline examples): each step either calls tools or answers with text. The
 * results have the same shape for both specification versions.
 */

export interface ScriptedToolCall {
  toolName: string;
  input: Record<string, unknown>;
  toolCallId?: string;
}

export type ScriptedStep = { toolCalls: ScriptedToolCall[] } | { text: string };

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

function callId(step: number, index: number, call: ScriptedToolCall): string {
  return call.toolCallId ?? `call-${step}-${index}`;
}

/** `doGenerate` results, one per step (`new MockLanguageModelV4({ doGenerate: generateResults(steps) })`). */
export function generateResults(steps: ScriptedStep[]) {
  return steps.map((step, stepIndex) => generateResult(step, stepIndex));
}

/**
 * A `doGenerate` function whose steps may be computed from the prompt the model received (e.g. an
 * answer written from the tool results, so it is only right when the tools really worked).
 * The prompts it received are kept in `.prompts`.
 *
 * @example
 * ```ts
 * const doGenerate = scriptedGenerate([
 *   { toolCalls: [{ toolName: 'everything__get-sum', input: { a: 1, b: 2 } }] },
 *   (prompt) => ({ text: `The tool said: ${JSON.stringify(toolResultsIn(prompt)[0]?.output)}` }),
 * ]);
 * const model = new MockLanguageModelV4({ doGenerate });
 * ```
 */
export function scriptedGenerate(steps: (ScriptedStep | ((prompt: readonly unknown[]) => ScriptedStep))[]) {
  const prompts: (readonly unknown[])[] = [];
  let index = 0;
  const doGenerate = async (options: { prompt: readonly unknown[] }) => {
    const stepIndex = index++;
    const step = steps[stepIndex];
    if (step === undefined) throw new Error(`scriptedGenerate: no scripted step ${stepIndex + 1}`);
    prompts.push(options.prompt);
    return generateResult(typeof step === 'function' ? step(options.prompt) : step, stepIndex);
  };
  return Object.assign(doGenerate, { prompts });
}

function generateResult(step: ScriptedStep, stepIndex: number) {
  if ('text' in step) {
    return {
      content: [{ type: 'text' as const, text: step.text }],
      finishReason: { unified: 'stop' as const, raw: 'stop' },
      usage,
      warnings: [],
    };
  }
  return {
    content: step.toolCalls.map((call, index) => ({
      type: 'tool-call' as const,
      toolCallId: callId(stepIndex, index, call),
      toolName: call.toolName,
      input: JSON.stringify(call.input),
    })),
    finishReason: { unified: 'tool-calls' as const, raw: 'tool_calls' },
    usage,
    warnings: [],
  };
}

/** `doStream` results, one per step (the part type is taken from where the results go). */
export function streamResults<PART>(steps: ScriptedStep[]): { stream: ReadableStream<PART> }[] {
  return steps.map((step, stepIndex) => {
    const parts: unknown[] = [{ type: 'stream-start', warnings: [] }];
    if ('text' in step) {
      parts.push(
        { type: 'text-start', id: 'text-1' },
        { type: 'text-delta', id: 'text-1', delta: step.text },
        { type: 'text-end', id: 'text-1' },
        { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage },
      );
    } else {
      step.toolCalls.forEach((call, index) => {
        parts.push({
          type: 'tool-call',
          toolCallId: callId(stepIndex, index, call),
          toolName: call.toolName,
          input: JSON.stringify(call.input),
        });
      });
      parts.push({ type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage });
    }
    return { stream: toReadableStream(parts as PART[]) };
  });
}

function toReadableStream<T>(parts: T[]): ReadableStream<T> {
  return new ReadableStream<T>({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
}

interface PromptMessage {
  role: string;
  content: unknown;
}

export interface ToolResultSeen {
  toolCallId: string;
  toolName: string;
  output: { type: string; value?: unknown; reason?: string };
}

/** Every tool result in a prompt the model received, in order. */
export function toolResultsIn(prompt: readonly unknown[]): ToolResultSeen[] {
  const results: ToolResultSeen[] = [];
  for (const message of prompt as PromptMessage[]) {
    if (message.role !== 'tool' || !Array.isArray(message.content)) continue;
    for (const part of message.content as { type: string }[]) {
      if (part.type === 'tool-result') results.push(part as unknown as ToolResultSeen);
    }
  }
  return results;
}
