/**
 * The same adapter under ai@6 (`ai` resolves to the `ai6` alias here, see vitest.ai6.config.ts):
 * a multi-step `generateText` and `streamText` loop against real servers with the v6 mock model,
 * images as ai@6 parts, abort with MCP cancellation, approval, typed tools, `experimental_context`.
 */
import { join } from 'node:path';
import { createRegistry, type Registry, silentLogger } from '@toolwire/core';
import { generateText, type ModelMessage, stepCountIs, streamText } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toAISDKTools } from '../../src/index.js';
import { generateResults, streamResults, toolResultsIn } from '../../src/testing.js';
import {
  everythingServer,
  fixtureServer,
  memoryServer,
  temporaryDirectory,
  waitForFixtureEvent,
} from '../support/servers.js';

const directory = temporaryDirectory();
const eventsFile = join(directory.path, 'events.jsonl');
let registry: Registry;

beforeAll(async () => {
  registry = await createRegistry({
    mcpServers: {
      everything: everythingServer(),
      fixture: fixtureServer({ eventsFile }),
      memory: memoryServer(join(directory.path, 'memory.jsonl')),
    },
    logger: silentLogger,
  });
  expect(registry.servers().map((server) => server.status)).toEqual(['active', 'active', 'active']);
});

afterAll(async () => {
  await registry?.close();
  directory.remove();
});

describe('ai@6', () => {
  it('is the ai@6 runtime', async () => {
    // `uploadFile` is what the adapter looks for to pick ai@7 content parts.
    expect('uploadFile' in (await import('ai'))).toBe(false);
  });

  it('generateText: several steps, with image and structured results the model receives', async () => {
    const model = new MockLanguageModelV3({
      doGenerate: generateResults([
        { toolCalls: [{ toolName: 'everything__get-sum', input: { a: 2, b: 3 } }] },
        {
          toolCalls: [
            { toolName: 'everything__get-tiny-image', input: {} },
            { toolName: 'everything__get-structured-content', input: { location: 'Chicago' } },
          ],
        },
        { text: 'done' },
      ]),
    });
    const result = await generateText({
      model,
      tools: toAISDKTools(registry),
      stopWhen: stepCountIs(5),
      prompt: 'Sum, logo, weather.',
    });
    expect(result.text).toBe('done');
    expect(result.steps).toHaveLength(3);
    expect(String(toolResultsIn(model.doGenerateCalls[1]!.prompt)[0]?.output.value)).toContain('5');
    const last = toolResultsIn(model.doGenerateCalls[2]!.prompt);
    const image = last.find((part) => part.toolName === 'everything__get-tiny-image');
    const imageParts = image?.output.value as { type: string; mediaType?: string; data?: string }[];
    const imagePart = imageParts.find((part) => part.mediaType === 'image/png');
    expect(imagePart?.type).toBe('image-data');
    expect(Buffer.from(imagePart!.data!, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(last.find((part) => part.toolName === 'everything__get-structured-content')?.output).toEqual({
      type: 'json',
      value: { temperature: 36, conditions: 'Light rain / drizzle', humidity: 82 },
    });
  });

  it('streamText: streams the loop to its answer', async () => {
    const model = new MockLanguageModelV3({
      doStream: streamResults([
        { toolCalls: [{ toolName: 'everything__echo', input: { message: 'six' } }] },
        { text: 'echoed' },
      ]),
    });
    const result = streamText({
      model,
      tools: toAISDKTools(registry),
      stopWhen: stepCountIs(3),
      prompt: 'Echo.',
    });
    expect(await result.text).toBe('echoed');
    expect(toolResultsIn(model.doStreamCalls[1]!.prompt)[0]?.output).toEqual({
      type: 'text',
      value: 'Echo: six',
    });
  });

  it('abort: the server receives notifications/cancelled and the call ends with the abort', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const model = new MockLanguageModelV3({
      doGenerate: generateResults([
        { toolCalls: [{ toolName: 'fixture__sleep', input: { ms: 60_000 } }] },
        { text: 'never' },
      ]),
    });
    const run = generateText({
      model,
      tools: toAISDKTools(registry),
      stopWhen: stepCountIs(3),
      abortSignal: controller.signal,
      prompt: 'Sleep.',
    });
    const settled = run.then(
      () => ({ error: undefined as unknown }),
      (error: unknown) => ({ error }),
    );
    const start = await waitForFixtureEvent(
      eventsFile,
      (event) => event.tool === 'sleep' && event.event === 'start',
    );
    controller.abort(reason);
    const outcome = await settled;
    await waitForFixtureEvent(
      eventsFile,
      (event) => event.tool === 'sleep' && event.event === 'cancelled' && event.id === start.id,
    );
    expect(outcome.error).toBe(reason);
    expect(model.doGenerateCalls).toHaveLength(1);
  });

  it('takes the session key from experimental_context', async () => {
    const keys: (string | undefined)[] = [];
    const stop = registry.on('call:start', (event) => keys.push(event.sessionKey));
    const model = new MockLanguageModelV3({
      doGenerate: generateResults([
        { toolCalls: [{ toolName: 'fixture__echo', input: { message: 'hi' } }] },
        { text: 'ok' },
      ]),
    });
    await generateText({
      model,
      tools: toAISDKTools(registry),
      experimental_context: { sessionKey: 'thread-6' },
      stopWhen: stepCountIs(3),
      prompt: 'Echo.',
    });
    stop();
    expect(keys).toEqual(['thread-6']);
  });

  it('typed tools give typed, validated structured results', async () => {
    const tools = toAISDKTools(registry, {
      schemas: {
        'everything__get-structured-content': {
          inputSchema: z.object({ location: z.enum(['New York', 'Chicago', 'Los Angeles']) }),
          outputSchema: z.object({ temperature: z.number(), conditions: z.string(), humidity: z.number() }),
        },
      },
    });
    const model = new MockLanguageModelV3({
      doGenerate: generateResults([
        { toolCalls: [{ toolName: 'everything__get-structured-content', input: { location: 'New York' } }] },
        { text: 'ok' },
      ]),
    });
    const result = await generateText({ model, tools, stopWhen: stepCountIs(3), prompt: 'Weather?' });
    const output = result.steps[0]!.toolResults[0]!.output;
    expect(output).toEqual({ temperature: 33, conditions: 'Cloudy', humidity: 82 });
  });

  it('approval: a destructive tool waits for the tool-approval-response', async () => {
    const tools = toAISDKTools(registry, { needsApproval: 'destructive' });
    const model = new MockLanguageModelV3({
      doGenerate: generateResults([
        {
          toolCalls: [
            {
              toolName: 'memory__create_entities',
              input: { entities: [{ name: 'Lin', entityType: 'person', observations: ['x'] }] },
            },
          ],
        },
        { toolCalls: [{ toolName: 'memory__delete_entities', input: { entityNames: ['Lin'] } }] },
        { text: 'unreachable' },
      ]),
    });
    const prompt: ModelMessage[] = [{ role: 'user', content: 'Add then remove Lin.' }];
    const first = await generateText({ model, tools, stopWhen: stepCountIs(5), messages: prompt });
    const request = first.content.find((part) => part.type === 'tool-approval-request');
    expect(request?.toolCall.toolName).toBe('memory__delete_entities');
    const names = async () =>
      (
        ((await registry.callTool('memory__read_graph', {})).structuredContent?.entities ?? []) as {
          name: string;
        }[]
      ).map((entity) => entity.name);
    expect(await names()).toContain('Lin');
    await generateText({
      model: new MockLanguageModelV3({ doGenerate: generateResults([{ text: 'removed' }]) }),
      tools,
      messages: [
        ...prompt,
        ...first.response.messages,
        {
          role: 'tool',
          content: [{ type: 'tool-approval-response', approvalId: request!.approvalId, approved: true }],
        },
      ],
    });
    expect(await names()).not.toContain('Lin');
  });
});
