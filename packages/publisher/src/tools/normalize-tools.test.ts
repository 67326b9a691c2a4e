import { tool as langChainTool } from '@langchain/core/tools';
import { ToolwireError } from '@toolwire/core';
import { tool as aiTool, jsonSchema } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { z as z3 } from 'zod/v3';
import { defineTool } from './define-tool.js';
import { normalizeTools } from './normalize-tools.js';

const noop = () => 'ok';
const native = (name: string) => defineTool({ name, description: name, execute: noop });

async function rejection(promise: Promise<unknown>): Promise<ToolwireError> {
  try {
    await promise;
  } catch (error) {
    if (ToolwireError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('selection', () => {
  it('include / exclude take exact names and globs; rename renames', async () => {
    const tools = [native('get_user'), native('get_order'), native('delete_user'), native('ping')];
    const published = await normalizeTools(tools, {
      include: ['get_*', 'ping'],
      exclude: ['get_order'],
      rename: { ping: 'health_ping' },
    });
    expect(published.map((tool) => [tool.name, tool.sourceName])).toEqual([
      ['get_user', 'get_user'],
      ['health_ping', 'ping'],
    ]);
  });

  it('a rename function applies to every tool; scopes attach by published name', async () => {
    const published = await normalizeTools([native('a'), native('b')], {
      rename: (name) => `x_${name}`,
      scopes: { x_b: ['write'] },
    });
    expect(published.map((tool) => [tool.name, tool.scopes])).toEqual([
      ['x_a', []],
      ['x_b', ['write']],
    ]);
  });

  it('refuses two tools published under one name, naming both', async () => {
    const error = await rejection(normalizeTools([native('a'), native('b')], { rename: { b: 'a' } }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/"a" \("a" and "b"\)/);
  });

  it('refuses names MCP does not allow and scopes for unknown tools', async () => {
    expect((await rejection(normalizeTools([native('has space')]))).message).toMatch(
      /"has space" is not valid/,
    );
    expect((await rejection(normalizeTools([native('a')], { scopes: { b: ['x'] } }))).message).toMatch(/"b"/);
  });
});

describe('tool kinds', () => {
  it('recognises LangChain tools, AI SDK tool sets and defineTool tools in one list', async () => {
    const published = await normalizeTools([
      langChainTool(async () => 'x', { name: 'lc', description: 'd', schema: z.object({ q: z.string() }) }),
      { ai: aiTool({ description: 'd', inputSchema: z.object({ n: z.number() }), execute: async () => 1 }) },
      native('nat'),
    ]);
    expect(published.map((tool) => [tool.name, tool.origin])).toEqual([
      ['lc', 'langchain'],
      ['ai', 'ai-sdk'],
      ['nat', 'native'],
    ]);
  });

  it('refuses AI SDK tools without execute and plain values', async () => {
    const providerTool = { description: 'web search', inputSchema: jsonSchema({ type: 'object' }) };
    expect((await rejection(normalizeTools({ search: providerTool }))).message).toMatch(
      /no execute function/,
    );
    expect((await rejection(normalizeTools([42 as never]))).message).toMatch(/tools\[0\]/);
  });

  it('refuses zod v3 in defineTool (only framework tools bring a v3 converter)', async () => {
    const tool = defineTool({ name: 'old', inputSchema: z3.object({ a: z3.string() }), execute: noop });
    expect((await rejection(normalizeTools([tool]))).message).toMatch(/zod v3/);
  });

  it('converts zod v3 in LangChain and AI SDK tools through their own converters', async () => {
    const published = await normalizeTools([
      langChainTool(async () => 'x', {
        name: 'lc3',
        description: 'd',
        schema: z3.object({ a: z3.string() }) as never,
      }),
      {
        ai3: aiTool({
          description: 'd',
          inputSchema: z3.object({ b: z3.number() }) as never,
          execute: async () => 1,
        }),
      },
    ]);
    expect(published[0]?.inputSchema).toMatchObject({
      type: 'object',
      properties: { a: { type: 'string' } },
      required: ['a'],
    });
    expect(published[1]?.inputSchema).toMatchObject({
      type: 'object',
      properties: { b: { type: 'number' } },
      required: ['b'],
    });
  });

  it('refuses an input schema that is not an object', async () => {
    const tool = defineTool({ name: 'scalar', inputSchema: z.string(), execute: noop });
    expect((await rejection(normalizeTools([tool]))).message).toMatch(/must describe an object/);
  });
});

describe('Standard Schema libraries other than zod', () => {
  it('publishes their JSON Schema and validates with their own validate()', async () => {
    // A minimal Standard Schema + Standard JSON Schema implementation, as Valibot or ArkType provide.
    const schema = {
      '~standard': {
        version: 1,
        vendor: 'handmade',
        validate: (value: unknown) => {
          const record = value as { count?: unknown };
          return typeof record?.count === 'number'
            ? { value: { count: record.count * 2 } }
            : { issues: [{ message: 'must be a number', path: [{ key: 'count' }] }] };
        },
        jsonSchema: {
          input: () => ({ type: 'object', properties: { count: { type: 'number' } }, required: ['count'] }),
          output: () => ({}),
        },
      },
    };
    const [tool] = await normalizeTools([defineTool({ name: 'double', inputSchema: schema, execute: noop })]);
    expect(tool!.inputSchema).toEqual({
      type: 'object',
      properties: { count: { type: 'number' } },
      required: ['count'],
    });
    expect(await tool!.validate({ count: 2 })).toEqual({ valid: true, value: { count: 4 } });
    const invalid = await tool!.validate({ count: 'x' });
    expect(invalid.valid).toBe(false);
    if (!invalid.valid)
      expect(invalid.issues).toMatchObject([{ pathText: 'count', message: 'must be a number' }]);
  });
});

describe('validation before execute', () => {
  it('zod schemas validate (and apply defaults); issues carry paths', async () => {
    const [tool] = await normalizeTools([
      defineTool({
        name: 'order',
        inputSchema: z.object({
          items: z.array(z.object({ qty: z.number().min(1) })),
          rush: z.boolean().default(false),
        }),
        execute: noop,
      }),
    ]);
    expect(await tool!.validate({ items: [{ qty: 2 }] })).toEqual({
      valid: true,
      value: { items: [{ qty: 2 }], rush: false },
    });
    const invalid = await tool!.validate({ items: [{ qty: 0 }] });
    expect(invalid.valid).toBe(false);
    if (!invalid.valid) expect(invalid.issues[0]?.pathText).toBe('items[0].qty');
  });

  it('raw JSON Schema validates with draft-2020-12 semantics, published unchanged', async () => {
    const schema = {
      type: 'object',
      $defs: { tag: { type: 'string', pattern: '^[a-z]+$' } },
      properties: { tags: { type: 'array', items: { $ref: '#/$defs/tag' } } },
      additionalProperties: false,
    };
    const [tool] = await normalizeTools([defineTool({ name: 'raw', inputSchema: schema, execute: noop })]);
    expect(tool!.inputSchema).toBe(schema);
    const invalid = await tool!.validate({ tags: ['ok', 'NOT'], extra: 1 });
    expect(invalid.valid).toBe(false);
    if (!invalid.valid)
      expect(invalid.issues.map((issue) => issue.pathText).sort()).toEqual(['extra', 'tags[1]']);
  });

  it('AI SDK jsonSchema() tools are checked against their JSON Schema', async () => {
    const [tool] = await normalizeTools({
      echo: aiTool({
        description: 'd',
        inputSchema: jsonSchema<{ text: string }>({
          type: 'object',
          properties: { text: { type: 'string' } },
          required: ['text'],
        }),
        execute: async ({ text }) => text,
      }),
    });
    const invalid = await tool!.validate({});
    expect(invalid.valid).toBe(false);
    if (!invalid.valid) expect(invalid.issues[0]?.pathText).toBe('text');
  });
});
