/**
 * Unit tests of the tool-set builder's own logic against a stub registry (the integration
 * tests in `test/` use real servers): names, filtering, the model-facing schema, approval.
 */
import type { Registry, ToolInfo } from '@toolwire/core';
import { asSchema } from 'ai';
import { describe, expect, it } from 'vitest';
import { toAISDKTools } from './to-ai-sdk-tools.js';

function info(name: string, overrides: Partial<ToolInfo> = {}): ToolInfo {
  return {
    name,
    server: 'stub',
    serverToolName: name,
    title: undefined,
    description: `${name} tool`,
    inputSchema: { type: 'object', properties: { value: { type: 'string' } } },
    outputSchema: undefined,
    annotations: undefined,
    meta: undefined,
    status: 'active',
    disabledReason: undefined,
    stats: {} as ToolInfo['stats'],
    ...overrides,
  };
}

function stubRegistry(tools: ToolInfo[]): Registry {
  return {
    tools: () => tools,
    tool: (name: string) => tools.find((tool) => tool.name === name),
  } as unknown as Registry;
}

describe('toAISDKTools', () => {
  it('keys tools by registry name as own properties, even __proto__', () => {
    const tools = toAISDKTools(stubRegistry([info('__proto__'), info('plain')]));
    expect(Object.keys(tools)).toEqual(['__proto__', 'plain']);
    expect(Object.getPrototypeOf(tools)).toBe(Object.prototype);
    expect(Object.hasOwn(tools, '__proto__')).toBe(true);
  });

  it('applies filter', () => {
    const tools = toAISDKTools(stubRegistry([info('keep'), info('drop')]), {
      filter: (tool) => tool.name === 'keep',
    });
    expect(Object.keys(tools)).toEqual(['keep']);
  });

  it('passes the schema as sent, adding only a missing `properties` to an object schema', () => {
    const exact = {
      type: 'object',
      properties: { a: { type: 'integer', minimum: 1 } },
      required: ['a'],
      $defs: {},
    };
    const bare = { type: 'object', additionalProperties: false };
    const tools = toAISDKTools(
      stubRegistry([info('exact', { inputSchema: exact }), info('bare', { inputSchema: bare })]),
    );
    expect((tools.exact!.inputSchema as { jsonSchema: unknown }).jsonSchema).toBe(exact);
    expect((tools.bare!.inputSchema as { jsonSchema: unknown }).jsonSchema).toEqual({
      ...bare,
      properties: {},
    });
    expect(bare).toEqual({ type: 'object', additionalProperties: false });
  });

  it('uses the title when there is no description, and records where the tool lives', () => {
    const tools = toAISDKTools(stubRegistry([info('titled', { description: '', title: 'A Title' })]));
    expect(tools.titled!.description).toBe('A Title');
    expect(tools.titled!.metadata).toEqual({ server: 'stub', serverToolName: 'titled', title: 'A Title' });
  });

  it('asks the needsApproval function with the tool and the input', async () => {
    const asked: [string, unknown][] = [];
    const tools = toAISDKTools(stubRegistry([info('pay')]), {
      needsApproval: (tool, input) => {
        asked.push([tool.name, input]);
        return (input as { value: string }).value === 'big';
      },
    });
    const needsApproval = tools.pay!.needsApproval as (input: unknown, options: unknown) => Promise<boolean>;
    expect(await needsApproval({ value: 'big' }, {})).toBe(true);
    expect(await needsApproval({ value: 'small' }, {})).toBe(false);
    expect(asked).toEqual([
      ['pay', { value: 'big' }],
      ['pay', { value: 'small' }],
    ]);
    expect(toAISDKTools(stubRegistry([info('pay')]), { needsApproval: true }).pay!.needsApproval).toBe(true);
  });

  it('does not have the registry validate again an input its inputSchema just accepted', async () => {
    const seen: { args: unknown; validate: unknown }[] = [];
    const registry = {
      ...stubRegistry([info('echo')]),
      checkArguments: () => {},
      callTool: async (_name: string, args: unknown, options: { validate?: unknown }) => {
        seen.push({ args, validate: options.validate });
        return { content: [], structuredContent: undefined, isError: false, text: '', meta: undefined };
      },
    } as unknown as Registry;
    const tool = toAISDKTools(registry).echo!;
    const execution = { toolCallId: 'call-1', messages: [], context: {} };
    const input = { value: 'checked' };
    const outcome = await asSchema(tool.inputSchema).validate!(input);
    expect(outcome.success).toBe(true);
    await tool.execute!(input, execution);
    // A second execute of the same object, and any object the schema never saw, are validated.
    await tool.execute!(input, execution);
    await tool.execute!({ value: 'direct' }, execution);
    expect(seen.map((call) => call.validate)).toEqual([false, undefined, undefined]);
    expect(seen[0]!.args).toBe(input);
  });

  it('skips the registry check for every input validated before its execute, in any order', async () => {
    const seen: { args: unknown; validate: unknown }[] = [];
    const registry = {
      ...stubRegistry([info('echo')]),
      checkArguments: () => {},
      callTool: async (_name: string, args: unknown, options: { validate?: unknown }) => {
        seen.push({ args, validate: options.validate });
        return { content: [], structuredContent: undefined, isError: false, text: '', meta: undefined };
      },
    } as unknown as Registry;
    const tool = toAISDKTools(registry).echo!;
    const schema = asSchema(tool.inputSchema);
    const execution = { toolCallId: 'call-1', messages: [], context: {} };
    // As generateText does with parallel calls of one tool: all validated, then all executed.
    const inputs = Array.from({ length: 3 }, (_, index) => ({ value: `v${index}` }));
    for (const input of inputs) {
      const outcome = schema.validate!(input);
      // Answered at once (no promise): the AI SDK awaits it, and a promise costs a turn more.
      expect(outcome).not.toBeInstanceOf(Promise);
      expect(outcome).toMatchObject({ success: true, value: input });
    }
    await Promise.all([inputs[1], inputs[0], inputs[2]].map((input) => tool.execute!(input, execution)));
    expect(seen.map((call) => call.validate)).toEqual([false, false, false]);
    expect(seen.map((call) => call.args)).toEqual([inputs[1], inputs[0], inputs[2]]);
  });
});
