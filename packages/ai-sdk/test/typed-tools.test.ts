/**
 * Typed tools: zod schemas for chosen tools restrict the set and type inputs and outputs, while
 * the model still sees (and core still validates against) the server's own schema.
 */
import { createRegistry, type Registry, silentLogger, ToolwireError } from '@toolwire/core';
import { generateText, stepCountIs } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { type MCPToolOutput, toAISDKTools } from '../src/index.js';
import { generateResults, toolResultsIn } from '../src/testing.js';
import { everythingServer } from './support/servers.js';

let registry: Registry;

beforeAll(async () => {
  registry = await createRegistry({ mcpServers: { everything: everythingServer() }, logger: silentLogger });
  expect(registry.server('everything')?.status).toBe('active');
});

afterAll(async () => {
  await registry?.close();
});

const weatherSchemas = {
  'everything__get-structured-content': {
    inputSchema: z.object({ location: z.enum(['New York', 'Chicago', 'Los Angeles']) }),
    outputSchema: z.object({ temperature: z.number(), conditions: z.string(), humidity: z.number() }),
  },
  everything__echo: { inputSchema: z.object({ message: z.string() }) },
};

describe('typed tools (schemas)', () => {
  it('returns only the named tools, typed, and the model still sees the server schema', async () => {
    const tools = toAISDKTools(registry, { schemas: weatherSchemas });
    expect(Object.keys(tools).sort()).toEqual(['everything__echo', 'everything__get-structured-content']);

    const weather = tools['everything__get-structured-content'];
    expectTypeOf<Parameters<NonNullable<typeof weather.execute>>[0]>().toEqualTypeOf<{
      location: 'New York' | 'Chicago' | 'Los Angeles';
    }>();
    expect(weather.type).toBeUndefined();

    const output = await weather.execute!(
      { location: 'New York' },
      { toolCallId: 'direct', messages: [], context: {} },
    );
    expectTypeOf(output).toEqualTypeOf<
      | { temperature: number; conditions: string; humidity: number }
      | AsyncIterable<{ temperature: number; conditions: string; humidity: number }>
    >();
    expect(output).toEqual({ temperature: 33, conditions: 'Cloudy', humidity: 82 });

    const echo = tools.everything__echo;
    const echoed = (await echo.execute!(
      { message: 'typed' },
      { toolCallId: 'direct', messages: [], context: {} },
    )) as MCPToolOutput;
    expect(echoed.content).toEqual([{ type: 'text', text: 'Echo: typed' }]);

    const model = new MockLanguageModelV4({
      doGenerate: generateResults([
        { toolCalls: [{ toolName: 'everything__get-structured-content', input: { location: 'Chicago' } }] },
        { text: 'ok' },
      ]),
    });
    const result = await generateText({ model, tools, stopWhen: stepCountIs(3), prompt: 'Weather?' });
    const offered = model.doGenerateCalls[0]!.tools ?? [];
    const offeredWeather = offered.find((tool) => tool.name === 'everything__get-structured-content') as {
      inputSchema: unknown;
    };
    const serverSchema = registry.tool('everything__get-structured-content')!.inputSchema;
    expect(offeredWeather.inputSchema).toEqual(serverSchema);
    const [seen] = toolResultsIn(model.doGenerateCalls[1]!.prompt);
    expect(seen?.output).toEqual({
      type: 'json',
      value: { temperature: 36, conditions: 'Light rain / drizzle', humidity: 82 },
    });
    const typedResult = result.steps[0]!.toolResults[0]!;
    expect(typedResult.dynamic).toBeFalsy();
    expect(typedResult.output).toEqual({ temperature: 36, conditions: 'Light rain / drizzle', humidity: 82 });
  });

  it('checks inputs against your schema and the server schema', async () => {
    type Validate = (value: unknown) => Promise<{ success: boolean; value?: unknown; error?: Error }>;
    const narrower = toAISDKTools(registry, {
      schemas: {
        'everything__get-sum': { inputSchema: z.object({ a: z.number().int().positive(), b: z.number() }) },
      },
    });
    const checkNarrower = (narrower['everything__get-sum'].inputSchema as unknown as { validate: Validate })
      .validate;
    await expect(checkNarrower({ a: 1, b: 2 })).resolves.toEqual({ success: true, value: { a: 1, b: 2 } });
    // The server accepts a negative number; your schema does not.
    expect(registry.validateArguments('everything__get-sum', { a: -1, b: 2 }).valid).toBe(true);
    expect((await checkNarrower({ a: -1, b: 2 })).success).toBe(false);

    const looser = toAISDKTools(registry, {
      schemas: { 'everything__get-sum': { inputSchema: z.object({ a: z.unknown(), b: z.unknown() }) } },
    });
    const checkLooser = (looser['everything__get-sum'].inputSchema as unknown as { validate: Validate })
      .validate;
    // Your schema accepts a string; the server's schema does not, and says where.
    const rejected = await checkLooser({ a: 'one', b: 2 });
    expect(rejected.success).toBe(false);
    expect(ToolwireError.isInstance(rejected.error)).toBe(true);
    expect((rejected.error as ToolwireError).code).toBe('INVALID_ARGUMENTS');
    expect(rejected.error?.message).toMatch(/\ba: must be number/);
  });

  it('a structured result that does not match your output schema is a PROTOCOL_ERROR', async () => {
    const tools = toAISDKTools(registry, {
      schemas: {
        'everything__get-structured-content': {
          inputSchema: z.object({ location: z.string() }),
          outputSchema: z.object({ temperature: z.string() }),
        },
      },
    });
    const call = tools['everything__get-structured-content'].execute!(
      { location: 'Chicago' },
      { toolCallId: 'direct', messages: [], context: {} },
    );
    const error = await Promise.resolve(call).catch((caught: unknown) => caught);
    expect(ToolwireError.isInstance(error)).toBe(true);
    expect((error as ToolwireError).code).toBe('PROTOCOL_ERROR');
    expect((error as ToolwireError).message).toContain('everything__get-structured-content');
  });

  it('an unknown name throws TOOL_NOT_FOUND and suggests the registry name', () => {
    const attempt = () =>
      toAISDKTools(registry, { schemas: { echo: { inputSchema: z.object({ message: z.string() }) } } });
    expect(attempt).toThrow(/No tool named "echo".*everything__echo/);
    try {
      attempt();
    } catch (error) {
      expect(ToolwireError.isInstance(error) && error.code).toBe('TOOL_NOT_FOUND');
    }
  });
});
