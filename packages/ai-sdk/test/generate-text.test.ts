/**
 * A real multi-step loop with `ai@7`: `generateText` driven by the AI SDK's own mock model calls
 * tools of a real `server-everything` over stdio, and the test reads the tool results the model
 * received in its next prompt: text, an image, a structured result, an error result.
 */
import { createRegistry, type Registry, silentLogger } from '@toolwire/core';
import { generateText, stepCountIs } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAISDKTools } from '../src/index.js';
import { generateResults, toolResultsIn } from '../src/testing.js';
import { everythingServer } from './support/servers.js';

let registry: Registry;
const sdkWarnings: { type: string }[] = [];

beforeAll(async () => {
  // The AI SDK reports deprecated content parts here: the adapter must use the current ones.
  globalThis.AI_SDK_LOG_WARNINGS = ({ warnings }) => {
    sdkWarnings.push(...warnings);
  };
  registry = await createRegistry({ mcpServers: { everything: everythingServer() }, logger: silentLogger });
  expect(registry.server('everything')?.status).toBe('active');
});

afterAll(async () => {
  globalThis.AI_SDK_LOG_WARNINGS = undefined;
  await registry?.close();
});

describe('generateText with registry tools (ai@7)', () => {
  it('runs several steps and hands the model text, image and structured results', async () => {
    const model = new MockLanguageModelV4({
      doGenerate: generateResults([
        { toolCalls: [{ toolName: 'everything__get-sum', input: { a: 2, b: 3 } }] },
        {
          toolCalls: [
            { toolName: 'everything__get-tiny-image', input: {} },
            { toolName: 'everything__get-structured-content', input: { location: 'Chicago' } },
          ],
        },
        { text: 'The sum is 5 and Chicago has light rain.' },
      ]),
    });

    const result = await generateText({
      model,
      tools: toAISDKTools(registry),
      stopWhen: stepCountIs(5),
      prompt: 'Add 2 and 3, then show me the logo and the weather in Chicago.',
    });

    expect(result.text).toBe('The sum is 5 and Chicago has light rain.');
    expect(result.steps).toHaveLength(3);
    expect(model.doGenerateCalls).toHaveLength(3);

    // The model saw the registry's tools with the server's own schemas.
    const offered = model.doGenerateCalls[0]!.tools ?? [];
    const sum = offered.find((tool) => tool.name === 'everything__get-sum');
    expect(sum).toMatchObject({ type: 'function' });
    expect((sum as { inputSchema: { properties: Record<string, unknown> } }).inputSchema.properties).toEqual(
      registry.tool('everything__get-sum')!.inputSchema.properties,
    );

    // Step 2's prompt carries the sum as text.
    const [sumResult] = toolResultsIn(model.doGenerateCalls[1]!.prompt);
    expect(sumResult).toMatchObject({ toolName: 'everything__get-sum', output: { type: 'text' } });
    expect(String(sumResult!.output.value)).toContain('5');

    // Step 3's prompt carries the image as a file part and the weather as JSON.
    const finalPrompt = toolResultsIn(model.doGenerateCalls[2]!.prompt);
    const image = finalPrompt.find((part) => part.toolName === 'everything__get-tiny-image');
    expect(image?.output.type).toBe('content');
    const imageParts = image!.output.value as {
      type: string;
      mediaType?: string;
      data?: unknown;
      text?: string;
    }[];
    expect(imageParts.map((part) => part.type)).toEqual(['text', 'file', 'text']);
    expect(imageParts[1]).toMatchObject({ type: 'file', mediaType: 'image/png', data: { type: 'data' } });
    const imageData = (imageParts[1]!.data as { data: string | Uint8Array }).data;
    const bytes = typeof imageData === 'string' ? Buffer.from(imageData, 'base64') : Buffer.from(imageData);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');

    const weather = finalPrompt.find((part) => part.toolName === 'everything__get-structured-content');
    expect(weather?.output).toEqual({
      type: 'json',
      value: { temperature: 36, conditions: 'Light rain / drizzle', humidity: 82 },
    });

    // What the application sees: the MCP result itself, dynamic tool results.
    const structured = result.steps[1]!.toolResults.find(
      (part) => part.toolName === 'everything__get-structured-content',
    );
    expect(structured?.dynamic).toBe(true);
    expect(sdkWarnings).toEqual([]);
    expect(structured?.output).toMatchObject({
      isError: false,
      structuredContent: { temperature: 36, conditions: 'Light rain / drizzle', humidity: 82 },
    });
  });

  it('lets the model correct arguments the server schema rejects', async () => {
    const model = new MockLanguageModelV4({
      doGenerate: generateResults([
        { toolCalls: [{ toolName: 'everything__get-structured-content', input: { location: 'Paris' } }] },
        { toolCalls: [{ toolName: 'everything__get-structured-content', input: { location: 'New York' } }] },
        { text: 'done' },
      ]),
    });
    const result = await generateText({
      model,
      tools: toAISDKTools(registry),
      stopWhen: stepCountIs(5),
      prompt: 'Weather?',
    });
    expect(result.text).toBe('done');
    const [rejected] = toolResultsIn(model.doGenerateCalls[1]!.prompt);
    expect(rejected?.output.type).toBe('error-text');
    expect(String(rejected?.output.value)).toContain('location');
    expect(String(rejected?.output.value)).toContain('must be one of');
    const [accepted] = toolResultsIn(model.doGenerateCalls[2]!.prompt).slice(-1);
    expect(accepted?.output).toMatchObject({ type: 'json', value: { temperature: 33 } });
  });
  it('hands the model embedded resources and resource links', async () => {
    const model = new MockLanguageModelV4({
      doGenerate: generateResults([
        {
          toolCalls: [
            {
              toolName: 'everything__get-resource-reference',
              input: { resourceType: 'Text', resourceId: 2 },
            },
            {
              toolName: 'everything__get-resource-reference',
              input: { resourceType: 'Blob', resourceId: 1 },
            },
            { toolName: 'everything__get-resource-links', input: { count: 2 } },
          ],
        },
        { text: 'read them' },
      ]),
    });
    await generateText({
      model,
      tools: toAISDKTools(registry),
      stopWhen: stepCountIs(3),
      prompt: 'Resources?',
    });
    const [text, blob, links] = toolResultsIn(model.doGenerateCalls[1]!.prompt).map(
      (part) => part.output.value as { type: string; text?: string; mediaType?: string; filename?: string }[],
    );
    const embeddedText = text!.find((part) => part.type === 'text' && part.text?.startsWith('Resource '));
    expect(embeddedText?.text).toMatch(/^Resource demo:\/\/resource\/dynamic\/text\/2 \(text\/plain\):\n/);
    // A text/plain blob is decoded for the model.
    const decoded = blob!.find((part) => part.type === 'text' && part.text?.startsWith('Resource '));
    expect(decoded?.text).toMatch(/^Resource demo:\/\/resource\/dynamic\/blob\/1 \(text\/plain\):\n./);
    expect(blob!.some((part) => part.type === 'file')).toBe(false);
    const linkTexts = links!
      .filter((part) => part.text?.startsWith('Resource link '))
      .map((part) => part.text);
    expect(linkTexts).toHaveLength(2);
    expect(linkTexts[0]).toContain('Blob Resource 1');
    expect(sdkWarnings).toEqual([]);
  });
});
