/**
 * The same tools in `streamText` and in `ToolLoopAgent` (ai@7): several steps against a real
 * `server-everything`, with the tool results read back from the prompts the mock model got.
 */
import { createRegistry, type Registry, silentLogger } from '@toolwire/core';
import { stepCountIs, streamText, ToolLoopAgent } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAISDKTools } from '../src/index.js';
import { generateResults, streamResults, toolResultsIn } from '../src/testing.js';
import { everythingServer } from './support/servers.js';

let registry: Registry;

beforeAll(async () => {
  registry = await createRegistry({ mcpServers: { everything: everythingServer() }, logger: silentLogger });
  expect(registry.server('everything')?.status).toBe('active');
});

afterAll(async () => {
  await registry?.close();
});

describe('streamText with registry tools (ai@7)', () => {
  it('streams tool results across steps and finishes', async () => {
    const model = new MockLanguageModelV4({
      doStream: streamResults([
        { toolCalls: [{ toolName: 'everything__echo', input: { message: 'hello' } }] },
        {
          toolCalls: [
            { toolName: 'everything__get-tiny-image', input: {} },
            { toolName: 'everything__get-structured-content', input: { location: 'Los Angeles' } },
          ],
        },
        { text: 'All done.' },
      ]),
    });
    const result = streamText({
      model,
      tools: toAISDKTools(registry),
      stopWhen: stepCountIs(5),
      prompt: 'Echo hello, then the logo and the LA weather.',
    });
    const streamedResults: { toolName: string; output: unknown }[] = [];
    for await (const part of result.fullStream) {
      if (part.type === 'tool-result') streamedResults.push({ toolName: part.toolName, output: part.output });
      if (part.type === 'error') throw part.error;
    }
    expect(await result.text).toBe('All done.');
    expect(model.doStreamCalls).toHaveLength(3);
    expect(streamedResults.map((entry) => entry.toolName).sort()).toEqual([
      'everything__echo',
      'everything__get-structured-content',
      'everything__get-tiny-image',
    ]);

    const [echo] = toolResultsIn(model.doStreamCalls[1]!.prompt);
    expect(echo?.output).toEqual({ type: 'text', value: 'Echo: hello' });
    const last = toolResultsIn(model.doStreamCalls[2]!.prompt);
    const image = last.find((part) => part.toolName === 'everything__get-tiny-image');
    expect((image!.output.value as { type: string }[]).some((part) => part.type === 'file')).toBe(true);
    const weather = last.find((part) => part.toolName === 'everything__get-structured-content');
    expect(weather?.output).toEqual({
      type: 'json',
      value: { temperature: 73, conditions: 'Sunny / Clear', humidity: 48 },
    });
  });
});

describe('ToolLoopAgent with registry tools (ai@7)', () => {
  it('runs the agent loop to its answer', async () => {
    const model = new MockLanguageModelV4({
      doGenerate: generateResults([
        { toolCalls: [{ toolName: 'everything__get-sum', input: { a: 20, b: 22 } }] },
        { text: 'It is 42.' },
      ]),
    });
    const agent = new ToolLoopAgent({ model, tools: toAISDKTools(registry), stopWhen: stepCountIs(4) });
    const result = await agent.generate({ prompt: 'What is 20 + 22?' });
    expect(result.text).toBe('It is 42.');
    const [sum] = toolResultsIn(model.doGenerateCalls[1]!.prompt);
    expect(sum?.toolName).toBe('everything__get-sum');
    expect(String(sum?.output.value)).toContain('42');
  });
});
