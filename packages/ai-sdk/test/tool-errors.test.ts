/**
 * Failures reach the model as error results and the loop goes on: a tool's own `isError`
 * result (returned, not thrown), a typed tool's `isError`, and a call that runs out of time.
 */
import { fileURLToPath } from 'node:url';
import { createRegistry, type Registry, silentLogger, ToolwireError } from '@toolwire/core';
import { generateText, stepCountIs } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type MCPToolOutput, toAISDKTools } from '../src/index.js';
import { generateResults, toolResultsIn } from '../src/testing.js';
import { fixtureServer } from './support/servers.js';

let registry: Registry;

beforeAll(async () => {
  registry = await createRegistry({
    mcpServers: {
      errors: {
        command: process.execPath,
        args: [fileURLToPath(new URL('./fixtures/error-server.mjs', import.meta.url))],
      },
      fixture: fixtureServer(),
    },
    logger: silentLogger,
  });
  expect(registry.servers().map((server) => server.status)).toEqual(['active', 'active']);
});

afterAll(async () => {
  await registry?.close();
});

describe('failures the model sees', () => {
  it('an isError result is returned to the model as an error result, not thrown', async () => {
    const model = new MockLanguageModelV4({
      doGenerate: generateResults([
        { toolCalls: [{ toolName: 'errors__charge', input: { cents: 500 } }] },
        { text: 'The charge failed: quota exceeded.' },
      ]),
    });
    const result = await generateText({
      model,
      tools: toAISDKTools(registry),
      stopWhen: stepCountIs(3),
      prompt: 'Charge 5 dollars.',
    });
    expect(result.text).toBe('The charge failed: quota exceeded.');
    const [seen] = toolResultsIn(model.doGenerateCalls[1]!.prompt);
    expect(seen?.output).toEqual({ type: 'error-text', value: 'quota exceeded: cannot charge 500 cents' });
    // The application gets a tool result carrying the MCP result, not a tool error.
    const step = result.steps[0]!;
    expect(step.content.some((part) => part.type === 'tool-error')).toBe(false);
    expect((step.toolResults[0]!.output as MCPToolOutput).isError).toBe(true);
  });

  it('a typed tool with an output schema turns isError into a TOOL_ERROR the model still reads', async () => {
    const tools = toAISDKTools(registry, {
      schemas: {
        errors__quote: {
          inputSchema: z.object({ product: z.string() }),
          outputSchema: z.object({ cents: z.number() }),
        },
      },
    });
    const model = new MockLanguageModelV4({
      doGenerate: generateResults([
        {
          toolCalls: [
            { toolName: 'errors__quote', input: { product: 'tea' } },
            { toolName: 'errors__quote', input: { product: 'gold' } },
          ],
        },
        { text: 'Tea is 2.50; gold is not sold.' },
      ]),
    });
    const result = await generateText({ model, tools, stopWhen: stepCountIs(3), prompt: 'Prices?' });
    expect(result.text).toBe('Tea is 2.50; gold is not sold.');
    const [tea, gold] = toolResultsIn(model.doGenerateCalls[1]!.prompt);
    expect(tea?.output).toEqual({ type: 'json', value: { cents: 250 } });
    expect(gold?.output.type).toBe('error-text');
    expect(String(gold?.output.value)).toContain('unknown product: gold');
    const toolError = result.steps[0]!.content.find((part) => part.type === 'tool-error');
    expect(ToolwireError.isInstance(toolError?.error) && toolError.error.code).toBe('TOOL_ERROR');
  });

  it('a call that runs out of time ends as a TIMEOUT the model reads, and the loop goes on', async () => {
    const model = new MockLanguageModelV4({
      doGenerate: generateResults([
        { toolCalls: [{ toolName: 'fixture__sleep', input: { ms: 30_000 } }] },
        { text: 'It took too long.' },
      ]),
    });
    const result = await generateText({
      model,
      tools: toAISDKTools(registry, { timeoutMs: 300 }),
      stopWhen: stepCountIs(3),
      prompt: 'Sleep.',
    });
    expect(result.text).toBe('It took too long.');
    const [seen] = toolResultsIn(model.doGenerateCalls[1]!.prompt);
    expect(seen?.output.type).toBe('error-text');
    expect(String(seen?.output.value)).toContain('timed out after 300 ms');
    const toolError = result.steps[0]!.content.find((part) => part.type === 'tool-error');
    expect(ToolwireError.isInstance(toolError?.error) && toolError.error.code).toBe('TIMEOUT');
  });
});
