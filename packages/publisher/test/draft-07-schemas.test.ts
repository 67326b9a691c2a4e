/**
 * `inputSchemaDialect: 'draft-07'` (fastmcp #189): the official SDK v2 client lists the tools
 * over Streamable HTTP, and Ajv's draft-07 validator (strict: unknown keywords refused) compiles
 * each listed input schema and judges arguments as the tool's own 2020-12 schema does. Calls
 * still work and are still validated by the publisher. The default stays 2020-12.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPublisher, defineTool, type ListeningPublisher, type Publisher } from '../src/index.js';

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

const Category: z.ZodType<{ name: string; children: unknown[] }> = z.object({
  name: z.string(),
  get children() {
    return z.array(Category);
  },
});

function tools() {
  return [
    defineTool({
      name: 'plan_route',
      description: 'zod: a tuple (prefixItems) and a recursive type ($defs).',
      inputSchema: z.object({ route: z.tuple([z.string(), z.number()]), tree: Category }),
      execute: ({ route }) => `${route[0]}:${route[1]}`,
    }),
    defineTool({
      name: 'label',
      description: 'Raw JSON Schema: $defs, a $ref with a sibling keyword, dependentRequired.',
      inputSchema: {
        type: 'object',
        properties: {
          text: { $ref: '#/$defs/word', maxLength: 5 },
          card: { type: 'string' },
          expiry: { type: 'string' },
        },
        required: ['text'],
        dependentRequired: { card: ['expiry'] },
        $defs: { word: { type: 'string', pattern: '^[a-z]+$' } },
      },
      execute: ({ text }: { text: string }) => text.toUpperCase(),
    }),
  ];
}

const examples: Record<string, { valid: unknown[]; invalid: unknown[] }> = {
  plan_route: {
    valid: [{ route: ['oslo', 3], tree: { name: 'a', children: [{ name: 'b', children: [] }] } }],
    invalid: [
      { route: [3, 'oslo'], tree: { name: 'a', children: [] } },
      { route: ['oslo', 3, 4], tree: { name: 'a', children: [] } },
      { route: ['oslo', 3], tree: { name: 'a', children: [{ name: 1, children: [] }] } },
    ],
  },
  label: {
    valid: [{ text: 'hello' }, { text: 'ab', card: 'x', expiry: 'y' }],
    invalid: [{ text: 'toolong' }, { text: 'Hi' }, { text: 'ab', card: 'x' }],
  },
};

const strictDraft07 = () =>
  new Ajv({ strict: true, strictTuples: false, strictTypes: false, allErrors: true });

async function listed(url: string) {
  const client = new Client({ name: 'draft-07-client', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return { client, tools: (await client.listTools()).tools };
}

describe("inputSchemaDialect: 'draft-07'", () => {
  let publisher: Publisher;
  let listening: ListeningPublisher;
  let client: Client;
  let listedTools: Awaited<ReturnType<typeof listed>>['tools'];

  beforeAll(async () => {
    publisher = createPublisher({
      name: 'draft-07',
      version: '1.0.0',
      tools: tools(),
      inputSchemaDialect: 'draft-07',
    });
    listening = await publisher.listen();
    ({ client, tools: listedTools } = await listed(listening.url));
  });

  afterAll(async () => {
    await client?.close();
    await publisher?.close();
  });

  it('lists draft-07 schemas: declared, with no 2020-12-only keyword left', () => {
    expect(listedTools.map((tool) => tool.name).sort()).toEqual(['label', 'plan_route']);
    for (const tool of listedTools) {
      expect(tool.inputSchema.$schema).toBe(DRAFT_07);
      expect(JSON.stringify(tool.inputSchema)).not.toMatch(/"\$defs"|"prefixItems"|"dependentRequired"/);
    }
    const route = listedTools.find((tool) => tool.name === 'plan_route')!.inputSchema;
    expect(route.properties).toMatchObject({
      route: { type: 'array', items: [{ type: 'string' }, { type: 'number' }], additionalItems: false },
      tree: { $ref: expect.stringMatching(/^#\/definitions\//) },
    });
  });

  it('Ajv draft-07 compiles each schema and accepts and refuses the same arguments as the tool', () => {
    for (const tool of listedTools) {
      const validate = strictDraft07().compile(tool.inputSchema);
      for (const args of examples[tool.name]!.valid)
        expect({ tool: tool.name, args, ok: validate(args) }).toMatchObject({ ok: true });
      for (const args of examples[tool.name]!.invalid)
        expect({ tool: tool.name, args, ok: validate(args) }).toMatchObject({ ok: false });
    }
  });

  it('still calls the tools, and still validates against their own schemas', async () => {
    const route = await client.callTool({
      name: 'plan_route',
      arguments: examples.plan_route!.valid[0] as Record<string, unknown>,
    });
    expect(route.content).toEqual([{ type: 'text', text: 'oslo:3' }]);
    const label = await client.callTool({ name: 'label', arguments: { text: 'hey' } });
    expect(label.content).toEqual([{ type: 'text', text: 'HEY' }]);
    const refused = await client.callTool({ name: 'label', arguments: { text: 'ab', card: 'x' } });
    expect(refused.isError).toBe(true);
  });

  it('ready() reports the listed schemas', async () => {
    const info = await publisher.ready();
    expect(info.every((tool) => tool.inputSchema.$schema === DRAFT_07)).toBe(true);
  });
});

describe('input schema dialect: the default and bad values', () => {
  it('lists 2020-12 by default, which a draft-07 validator in strict mode refuses', async () => {
    const publisher = createPublisher({ name: 'default', version: '1.0.0', tools: tools() });
    const listening = await publisher.listen();
    const { client, tools: listedTools } = await listed(listening.url);
    try {
      const route = listedTools.find((tool) => tool.name === 'plan_route')!.inputSchema;
      expect(route.$schema).toBeUndefined();
      expect(JSON.stringify(route)).toMatch(/"prefixItems"/);
      expect(() => strictDraft07().compile(route)).toThrow(/prefixItems/);
    } finally {
      await client.close();
      await publisher.close();
    }
  });

  it('refuses a schema draft-07 cannot express, naming the tool and the path', async () => {
    const publisher = createPublisher({
      name: 'strict',
      version: '1.0.0',
      inputSchemaDialect: 'draft-07',
      tools: [
        defineTool({
          name: 'closed',
          description: 'Uses unevaluatedProperties.',
          inputSchema: {
            type: 'object',
            allOf: [{ properties: { a: { type: 'string' } } }],
            unevaluatedProperties: false,
          },
          execute: () => 'never',
        }),
      ],
    });
    await expect(publisher.ready()).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      tool: 'closed',
      message: expect.stringContaining('/unevaluatedProperties'),
    });
    await publisher.close();
  });

  it('refuses an unknown dialect at creation', () => {
    expect(() =>
      createPublisher({ name: 'x', version: '1.0.0', tools: [], inputSchemaDialect: 'draft-04' as never }),
    ).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('draft-04') }),
    );
  });
});
