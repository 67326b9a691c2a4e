/**
 * The tools the integration tests publish: the same small set written three ways (LangChain with
 * zod v4, zod v3 and JSON Schema; AI SDK with zod and `jsonSchema()`; `defineTool`), so every
 * route from framework tool to MCP tool is exercised.
 */
import { tool as langChainTool } from '@langchain/core/tools';
import { tool as aiTool, jsonSchema } from 'ai';
import { z } from 'zod';
import { z as z3 } from 'zod/v3';
import { defineTool, type ToolRecord } from '../../src/index.js';

/** A raw JSON Schema with 2020-12 features that must survive publishing unchanged. */
export const orderSchema = {
  type: 'object',
  $defs: {
    line: {
      type: 'object',
      properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } },
      required: ['sku', 'qty'],
    },
  },
  properties: {
    customer: { type: 'string', minLength: 1 },
    lines: { type: 'array', items: { $ref: '#/$defs/line' }, minItems: 1 },
  },
  required: ['customer', 'lines'],
  additionalProperties: false,
} as const;

export const langChainTools = {
  weather: langChainTool(async ({ city }: { city: string }) => `Sunny in ${city}`, {
    name: 'lc_weather',
    description: 'Weather for a city (LangChain, zod v4).',
    schema: z.object({ city: z.string().describe('City name') }),
  }),
  multiply: langChainTool(async ({ a, b }: { a: number; b: number }) => String(a * b), {
    name: 'lc_multiply',
    description: 'Multiplies (LangChain, zod v3).',
    // zod v3 schemas type-check against LangChain only without exactOptionalPropertyTypes.
    schema: z3.object({ a: z3.number(), b: z3.number() }) as never,
  }),
  order: langChainTool(
    async (input: { customer: string; lines: { sku: string; qty: number }[] }) =>
      `order for ${input.customer}: ${input.lines.length} line(s)`,
    { name: 'lc_order', description: 'Places an order (LangChain, JSON Schema).', schema: orderSchema },
  ),
};

export const aiSDKTools: ToolRecord = {
  ai_add: aiTool({
    description: 'Adds two numbers (AI SDK, zod).',
    inputSchema: z.object({ a: z.number(), b: z.number() }),
    execute: async ({ a, b }) => ({ sum: a + b }),
  }),
  ai_echo: aiTool({
    description: 'Echoes text (AI SDK, jsonSchema()).',
    inputSchema: jsonSchema<{ text: string }>({
      type: 'object',
      properties: { text: { type: 'string' } },
      required: ['text'],
      additionalProperties: false,
    }),
    execute: async ({ text }) => `echo: ${text}`,
  }),
};

export const nativeTools = [
  defineTool({
    name: 'greet',
    description: 'Greets someone (defineTool, zod v4).',
    inputSchema: z.object({ name: z.string(), excited: z.boolean().default(false) }),
    execute: ({ name, excited }) => `Hello, ${name}${excited ? '!' : '.'}`,
  }),
  defineTool({
    name: 'fail',
    description: 'Always throws.',
    execute: () => {
      throw new Error('the tool failed on purpose');
    },
  }),
];

/** `add` (`{ a, b }` → their sum as text): a plain call that answers at once, for tests of the call path. */
export const addTool = defineTool({
  name: 'add',
  description: 'Adds two numbers.',
  inputSchema: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => String(a + b),
});
