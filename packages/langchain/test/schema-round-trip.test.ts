/**
 * Schema round trip over a corpus of real tool schemas: every tool the reference servers publish
 * (captured live) plus hand-written hard cases (unions, nullable fields, `$defs` recursion, enums
 * as `oneOf` of consts, `const` discriminators, tuples, no parameters). For each: the schema the
 * model is shown equals the server's (or the documented profile transform), valid arguments are
 * accepted and reach the server unchanged, invalid ones are rejected naming the path.
 */
import path from 'node:path';
import { AIMessage, type ToolMessage } from '@langchain/core/messages';
import { ToolInputParsingException } from '@langchain/core/tools';
import { createRegistry, InvalidArgumentsError, type Registry, type ToolInfo } from '@toolwire/core';
import { createAgent } from 'langchain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type SchemaProfile,
  type ToolwireTool,
  toLangChainTool,
  toLangChainTools,
  toModelSchema,
} from '../src/index.js';
import { ScriptedChatModel } from '../src/testing.js';
import { hardSchemas } from './fixtures/hard-schemas.mjs';
import { invalidVariant, sampleValue } from './support/sample-arguments.js';
import {
  adapterServer,
  everythingServer,
  filesystemServer,
  memoryServer,
  temporaryDirectory,
} from './support/servers.js';

type Schema = Record<string, unknown>;
const scratch = temporaryDirectory('schemas');
let registry: Registry;
let referenceTools: ToolInfo[];

beforeAll(async () => {
  registry = await createRegistry({
    mcpServers: {
      everything: everythingServer(),
      memory: memoryServer(path.join(scratch.dir, 'memory.jsonl')),
      files: filesystemServer(scratch.dir),
      fixture: adapterServer(),
    },
  });
  referenceTools = registry.tools().filter((tool) => tool.server !== 'fixture');
  // The corpus is what the servers publish today, not a hard-coded list; make sure it is real.
  expect(referenceTools.filter((tool) => tool.server === 'everything').length).toBeGreaterThanOrEqual(10);
  expect(referenceTools.filter((tool) => tool.server === 'memory').length).toBeGreaterThanOrEqual(8);
  expect(referenceTools.filter((tool) => tool.server === 'files').length).toBeGreaterThanOrEqual(10);
}, 60_000);

afterAll(async () => {
  await registry?.close();
  scratch.remove();
});

function parsingIssues(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ToolInputParsingException);
    const cause = (error as Error).cause;
    expect(InvalidArgumentsError.isInstance(cause)).toBe(true);
    return (cause as InvalidArgumentsError).issues.map((issue) => issue.pathText);
  }
  throw new Error('expected the arguments to be rejected');
}

async function invokeWithCall(tool: ToolwireTool, args: Record<string, unknown>): Promise<ToolMessage> {
  return tool.invoke({ type: 'tool_call', id: `call_${Math.random()}`, name: tool.name, args });
}

describe("profile 'exact' (default)", () => {
  it("shows the model every tool's schema exactly as its server published it", async () => {
    const model = new ScriptedChatModel([new AIMessage('nothing to do')]);
    const agent = createAgent({ model, tools: toLangChainTools(registry) });
    await agent.invoke({ messages: [{ role: 'user', content: 'hi' }] });

    const shown = model.calls[0]!.tools;
    expect(shown.map((tool) => tool.name)).toEqual(registry.tools().map((tool) => tool.name));
    for (const tool of shown) {
      expect(tool.parameters, tool.name).toEqual(registry.tool(tool.name)!.inputSchema);
    }
    // The fixture publishes the hand-written cases verbatim, so the model sees them verbatim too.
    for (const item of hardSchemas) {
      expect(shown.find((tool) => tool.name === `fixture__${item.name}`)!.parameters).toEqual(item.schema);
    }
  });

  it('accepts valid and rejects invalid arguments of every reference tool, naming the path', () => {
    let rejected = 0;
    for (const info of referenceTools) {
      const tool = toLangChainTool(registry, info.name);
      const minimal = sampleValue(info.inputSchema, info.inputSchema) as Schema;
      const full = sampleValue(info.inputSchema, info.inputSchema, true) as Schema;
      expect(tool.prepareArguments(minimal), info.name).toEqual(minimal);
      expect(tool.prepareArguments(full), info.name).toEqual(full);
      const invalid = invalidVariant(info.inputSchema);
      if (invalid) {
        expect(
          parsingIssues(() => tool.prepareArguments(invalid.args)),
          info.name,
        ).toContain(invalid.path);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThanOrEqual(25);
  });

  it('carries every hard case to the server unchanged, and rejects its invalid arguments with the path', async () => {
    for (const item of hardSchemas) {
      const tool = toLangChainTool(registry, `fixture__${item.name}`);
      for (const args of item.valid) {
        const message = await invokeWithCall(tool, args);
        expect(message.status, item.name).toBe('success');
        expect(JSON.parse(String(message.content)), item.name).toEqual(args);
      }
      for (const { args, path: expectedPath } of item.invalid) {
        await expect(invokeWithCall(tool, args), item.name).rejects.toBeInstanceOf(ToolInputParsingException);
        expect(
          parsingIssues(() => tool.prepareArguments(args)),
          item.name,
        ).toContain(expectedPath);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Profiles

const strictForbidden = [
  'oneOf',
  'const',
  'allOf',
  'default',
  '$schema',
  'not',
  'if',
  'prefixItems',
  'definitions',
];

function walk(node: unknown, visit: (schema: Schema) => void, depth = 0): void {
  if (depth > 50 || typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit, depth + 1);
    return;
  }
  const schema = node as Schema;
  visit(schema);
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' || key === '$defs') {
      for (const child of Object.values(value as Schema)) walk(child, visit, depth + 1);
    } else if (key === 'enum' || key === 'required') {
      // values, not schemas
    } else walk(value, visit, depth + 1);
  }
}

/** The arguments a strict-mode model writes: every optional property present, `null` when unused. */
function strictStyle(value: unknown, schema: unknown, root: Schema, depth = 0): unknown {
  if (depth > 20 || typeof schema !== 'object' || schema === null) return value;
  let node = schema as Schema;
  if (typeof node.$ref === 'string') {
    const target = node.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((current, segment) => (current as Schema)?.[segment], root);
    node = target as Schema;
  }
  if (Array.isArray(value)) return value.map((item) => strictStyle(item, node.items, root, depth + 1));
  if (typeof value !== 'object' || value === null || typeof node.properties !== 'object') return value;
  const result: Schema = {};
  for (const [name, property] of Object.entries(node.properties as Schema)) {
    const present = (value as Schema)[name];
    result[name] = present === undefined ? null : strictStyle(present, property, root, depth + 1);
  }
  return result;
}

/** `value` without the null-valued keys that `reference` does not have (recursively). */
function withoutAddedNulls(value: unknown, reference: unknown): unknown {
  if (Array.isArray(value))
    return value.map((item, index) => withoutAddedNulls(item, (reference as unknown[])?.[index]));
  if (typeof value !== 'object' || value === null) return value;
  const result: Schema = {};
  for (const [key, child] of Object.entries(value)) {
    const known = typeof reference === 'object' && reference !== null && key in reference;
    if (child === null && !known) continue;
    result[key] = withoutAddedNulls(child, known ? (reference as Schema)[key] : undefined);
  }
  return result;
}

function corpus(): { name: string; schema: Schema; valid: Schema[] }[] {
  return [
    ...referenceTools.map((info) => ({
      name: info.name,
      schema: info.inputSchema,
      valid: [
        sampleValue(info.inputSchema, info.inputSchema) as Schema,
        sampleValue(info.inputSchema, info.inputSchema, true) as Schema,
      ],
    })),
    ...hardSchemas.map((item) => ({
      name: `fixture__${item.name}`,
      schema: item.schema as Schema,
      valid: item.valid as Schema[],
    })),
  ];
}

describe("profile 'openai-strict'", () => {
  const profile: SchemaProfile = 'openai-strict';

  it('shows the model the documented strict transform of every schema', () => {
    for (const { name, schema } of corpus()) {
      const tool = toLangChainTool(registry, name, { schemaProfile: profile });
      expect(tool.schema, name).toEqual(toModelSchema(schema, profile).schema);
      walk(tool.schema, (node) => {
        for (const keyword of strictForbidden)
          expect(node, `${name}: ${keyword}`).not.toHaveProperty(keyword);
        if (node.type === 'object' || (typeof node.properties === 'object' && node.properties !== null)) {
          expect(node.additionalProperties, name).toBe(false);
          expect([...(node.required as string[])].sort(), name).toEqual(
            Object.keys(node.properties as Schema).sort(),
          );
        }
      });
      // The original is untouched: validation still uses it.
      expect(registry.tool(name)!.inputSchema, name).toEqual(schema);
    }
  });

  it('reads strict-style arguments (nulls for unused optional fields) back into the original shape', async () => {
    for (const { name, schema, valid } of corpus()) {
      const tool = toLangChainTool(registry, name, { schemaProfile: profile });
      for (const args of valid) {
        // Nulls are dropped where the original rejects them; where it accepts null they stay.
        const restored = tool.prepareArguments(strictStyle(args, schema, schema));
        expect(withoutAddedNulls(restored, args), name).toEqual(args);
      }
    }
    // End to end: the server receives the arguments without the profile's nulls.
    const tool = toLangChainTool(registry, 'fixture__nullable_fields', { schemaProfile: profile });
    const message = await invokeWithCall(tool, { note: null, count: null, label: null });
    expect(JSON.parse(String(message.content))).toEqual({ note: null, count: null });
  });

  it('still rejects invalid arguments, naming the path', () => {
    for (const item of hardSchemas) {
      const tool = toLangChainTool(registry, `fixture__${item.name}`, { schemaProfile: profile });
      // Under this profile a null for an optional property means "not given", so skip those cases.
      for (const { args, path: expectedPath } of item.invalid.filter(
        (c) => !Object.values(c.args).includes(null),
      )) {
        expect(
          parsingIssues(() => tool.prepareArguments(args)),
          item.name,
        ).toContain(expectedPath);
      }
    }
  });
});

describe("profile 'gemini'", () => {
  const allowed = new Set([
    'type',
    'format',
    'title',
    'description',
    'nullable',
    'enum',
    'properties',
    'required',
    'items',
    'anyOf',
    'minItems',
    'maxItems',
    'minProperties',
    'maxProperties',
    'minLength',
    'maxLength',
    'pattern',
    'minimum',
    'maximum',
    'default',
    'example',
    'propertyOrdering',
  ]);

  it('shows the model only Gemini keywords, with references inlined, and validates against the original', () => {
    for (const { name, schema, valid } of corpus()) {
      const tool = toLangChainTool(registry, name, { schemaProfile: 'gemini' });
      expect(tool.schema, name).toEqual(toModelSchema(schema, 'gemini').schema);
      walk(tool.schema, (node) => {
        for (const key of Object.keys(node)) expect(allowed.has(key), `${name}: ${key}`).toBe(true);
        if (node.type !== undefined) expect(typeof node.type, name).toBe('string');
        if (Array.isArray(node.enum))
          expect(
            node.enum.every((value) => typeof value === 'string'),
            name,
          ).toBe(true);
      });
      for (const args of valid) expect(tool.prepareArguments(args), name).toEqual(args);
    }
  });
});
