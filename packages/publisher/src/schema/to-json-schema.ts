/**
 * Converts a tool's input (or output) schema, whatever its flavour, into the JSON Schema object
 * published in `tools/list`, once, at start-up. Raw JSON Schema is kept exactly as written (no
 * flattening, `$defs` and `$ref` intact); libraries are asked for their own JSON Schema through
 * Standard JSON Schema where they implement it; zod v3 goes through the converter of the
 * framework the tool came from (LangChain or the AI SDK), loaded only when needed.
 */
import { ToolwireError } from '@toolwire/core';
import { isAISDKSchema, isObject, isRawJSONSchema, isZod3, isZod4, standardProps } from './schema-kinds.js';

/** Which framework a schema came from: decides which optional converter may be loaded for zod v3. */
export type SchemaOrigin = 'native' | 'langchain' | 'ai-sdk';

export interface ConvertSchemaOptions {
  tool: string;
  origin: SchemaOrigin;
  /** `'input'` must describe an object (MCP requires `type: "object"` for tool input). */
  role: 'input' | 'output';
}

const EMPTY_OBJECT_SCHEMA = { type: 'object', properties: {} } as const;

/** Returns the JSON Schema for `schema`; `undefined` input means "no arguments". */
export async function toJSONSchema(
  schema: unknown,
  options: ConvertSchemaOptions,
): Promise<Record<string, unknown>> {
  if (schema === undefined || schema === null) return { ...EMPTY_OBJECT_SCHEMA };
  const converted = await convert(schema, options);
  return options.role === 'input' ? ensureObjectSchema(converted, options.tool) : converted;
}

async function convert(schema: unknown, options: ConvertSchemaOptions): Promise<Record<string, unknown>> {
  const { tool, origin } = options;
  if (isRawJSONSchema(schema)) return schema;
  if (typeof schema === 'function' && !standardProps(schema)) {
    // The AI SDK's `lazySchema(() => …)`.
    return convert((schema as () => unknown)(), options);
  }
  if (isAISDKSchema(schema)) {
    const jsonSchema = await schema.jsonSchema;
    if (!isObject(jsonSchema)) throw schemaError(tool, 'its AI SDK schema produced no JSON Schema object');
    return stripDraftMarker(jsonSchema);
  }
  const standard = standardProps(schema);
  if (standard?.jsonSchema) {
    try {
      return stripDraftMarker(standard.jsonSchema.input({ target: 'draft-2020-12' }));
    } catch (error) {
      throw schemaError(tool, `its schema cannot be expressed as JSON Schema (${messageOf(error)})`, error);
    }
  }
  if (isZod4(schema)) {
    // zod 4 before Standard JSON Schema support: zod's own converter (zod is a dependency of core).
    const core = (await import('zod/v4/core')) as unknown as {
      toJSONSchema: (schema: unknown, options: Record<string, unknown>) => Record<string, unknown>;
    };
    return stripDraftMarker(core.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }));
  }
  if (isZod3(schema)) {
    if (origin === 'langchain') {
      const module = await importOptional<{ toJsonSchema: (schema: unknown) => Record<string, unknown> }>(
        '@langchain/core/utils/json_schema',
        tool,
      );
      return stripDraftMarker(module.toJsonSchema(schema));
    }
    if (origin === 'ai-sdk') {
      const module = await importOptional<{ asSchema: (schema: unknown) => { jsonSchema: unknown } }>(
        'ai',
        tool,
      );
      const jsonSchema = await module.asSchema(schema).jsonSchema;
      if (!isObject(jsonSchema))
        throw schemaError(tool, 'the AI SDK produced no JSON Schema for its zod v3 schema');
      return stripDraftMarker(jsonSchema);
    }
    throw schemaError(
      tool,
      'it uses a zod v3 schema; defineTool() takes zod v4, another Standard JSON Schema library, or raw JSON Schema',
    );
  }
  throw schemaError(tool, 'its schema is neither JSON Schema, Standard Schema with JSON Schema, nor zod');
}

/** MCP tool input schemas are objects; a schema without `type` but with `properties` is accepted as one. */
function ensureObjectSchema(schema: Record<string, unknown>, tool: string): Record<string, unknown> {
  if (schema.type === 'object') return schema;
  if (schema.type === undefined && (isObject(schema.properties) || Object.keys(schema).length === 0)) {
    return { type: 'object', ...schema };
  }
  throw schemaError(
    tool,
    `its input schema must describe an object (got type ${JSON.stringify(schema.type)})`,
  );
}

/**
 * Converters add `$schema` for the dialect they produced. We keep it when it is the draft-07
 * marker (validators must then use draft-07 rules) and drop the 2020-12 one, which is MCP's default.
 */
function stripDraftMarker(schema: Record<string, unknown>): Record<string, unknown> {
  if (typeof schema.$schema === 'string' && schema.$schema.includes('2020-12')) {
    const { $schema: _dropped, ...rest } = schema;
    return rest;
  }
  return schema;
}

async function importOptional<T>(specifier: string, tool: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (error) {
    throw schemaError(tool, `converting its zod v3 schema needs the optional peer "${specifier}"`, error);
  }
}

function schemaError(tool: string, reason: string, cause?: unknown): ToolwireError {
  return new ToolwireError({
    code: 'CONFIG_INVALID',
    tool,
    message: `Cannot publish tool "${tool}": ${reason}.`,
    cause,
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
