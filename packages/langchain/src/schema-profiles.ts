/**
 * Model-facing schema profiles. By default (`'exact'`) the model sees each tool's input schema
 * exactly as its server published it. Some providers accept only a subset of JSON Schema; a
 * profile rewrites the copy the model sees, never the schema arguments are validated against
 * (core always validates against the server's original). Every transform is listed below and in
 * the README; anything not listed is passed through unchanged.
 *
 * `'openai-strict'` (OpenAI structured outputs, `strict: true`):
 * 1. every object gets `additionalProperties: false` and lists all its properties in `required`;
 *    a property that was optional becomes nullable (`type: [T, 'null']`, `null` added to `enum`,
 *    or `anyOf: [T, {type: 'null'}]`). Before validation, a `null` the model sent for such a
 *    property is removed when the original schema rejects it (it means "not given").
 *    Open maps (`additionalProperties: {…}` or `true`) cannot be expressed and become closed.
 * 2. `oneOf` → `anyOf` (validation still demands exactly one); `const: x` → `enum: [x]`; an
 *    `enum` without `type` gets the type its values share; `allOf` of plain object schemas is
 *    merged into one object.
 * 3. `definitions` → `$defs` (references rewritten); tuples (`prefixItems`, array `items`) become
 *    `items: {anyOf: […distinct member schemas]}` with the tuple's length bounds.
 * 4. keywords strict mode rejects are removed: `$schema`, `$id`, `$comment`, `default`, `examples`,
 *    `title`, `deprecated`, `readOnly`, `writeOnly`, `minLength`, `maxLength`, `minProperties`,
 *    `maxProperties`, `patternProperties`, `propertyNames`, `unevaluatedProperties`,
 *    `unevaluatedItems`, `contains`, `minContains`, `maxContains`, `uniqueItems`, `not`, `if`,
 *    `then`, `else`, `dependencies`, `dependentRequired`, `dependentSchemas`, `contentEncoding`,
 *    `contentMediaType`, and `format` values other than date-time, time, date, duration, email,
 *    hostname, ipv4, ipv6, uuid.
 *
 * `'gemini'` (Gemini function declarations, an OpenAPI 3.0 subset):
 * 1. `$ref`s are inlined and `$defs`/`definitions` removed; a recursive reference is cut after
 *    {@link GEMINI_MAX_REF_DEPTH} levels and replaced by `{type: 'object', description}`.
 * 2. `type: [T, 'null']` and `anyOf: [X, {type: 'null'}]` → `nullable: true`; several non-null
 *    types → `anyOf` of one type each; `oneOf` → `anyOf`; `allOf` of plain objects merged.
 * 3. `const` → a one-value string `enum`, or (non-string) a note in `description`; `enum`s that
 *    are not all strings are dropped and listed in `description`.
 * 4. tuples become `items: {anyOf: […]}`; only Gemini's keywords are kept (`type`, `format`,
 *    `title`, `description`, `nullable`, `enum`, `properties`, `required`, `items`, `anyOf`,
 *    `minItems`, `maxItems`, `minProperties`, `maxProperties`, `minLength`, `maxLength`, `pattern`,
 *    `minimum`, `maximum`, `default`, `example`, `propertyOrdering`); `format` is kept only where
 *    Gemini supports it (`enum`, `date-time`, `int32`, `int64`, `float`, `double`); empty
 *    `properties` are dropped.
 */
import type { JSONSchemaObject, ValidationResult } from '@toolwire/core';

/** Which copy of a tool's schema the model sees. Validation always uses the server's original. */
export type SchemaProfile = 'exact' | 'openai-strict' | 'gemini';

/** How deep the Gemini profile follows a recursive `$ref` before cutting it. */
export const GEMINI_MAX_REF_DEPTH = 3;

/** The model-facing schema of one tool and how to read arguments written against it. */
export interface ModelSchema {
  profile: SchemaProfile;
  /** What the model sees. For `'exact'`, the server's schema object itself. */
  schema: JSONSchemaObject;
  /**
   * Undoes the profile's effect on arguments before validation (today: drops the `null`s that
   * `'openai-strict'` makes the model send for optional properties, where the original rejects them).
   */
  restoreArguments(
    args: Record<string, unknown>,
    validate: (args: unknown) => ValidationResult,
  ): Record<string, unknown>;
}

type Schema = Record<string, unknown>;

/**
 * Builds the model-facing schema of a tool for a profile.
 *
 * @example
 * ```ts
 * const { schema } = toModelSchema(info.inputSchema, 'openai-strict');
 * ```
 */
export function toModelSchema(schema: JSONSchemaObject, profile: SchemaProfile = 'exact'): ModelSchema {
  if (profile === 'exact') return { profile, schema, restoreArguments: (args) => args };
  if (profile === 'openai-strict') {
    const madeNullable = new Set<string>();
    const transformed = toOpenAIStrict(schema, madeNullable);
    return {
      profile,
      schema: transformed,
      restoreArguments: (args, validate) => dropProfileNulls(args, madeNullable, validate),
    };
  }
  return { profile, schema: toGemini(schema), restoreArguments: (args) => args };
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapValues(record: unknown, map: (value: unknown) => unknown): Schema | undefined {
  if (!isSchema(record)) return undefined;
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

/** `allOf` whose members are plain object schemas (no `$ref`, no composition) merged into one. */
function mergeAllOf(node: Schema): Schema {
  const members = node.allOf;
  if (!Array.isArray(members) || members.length === 0) return node;
  const mergeable = members.every(
    (member) =>
      isSchema(member) &&
      member.$ref === undefined &&
      member.anyOf === undefined &&
      member.oneOf === undefined &&
      member.allOf === undefined &&
      (member.type === undefined || member.type === 'object'),
  );
  if (!mergeable) return node;
  const { allOf: _allOf, ...rest } = node;
  const merged: Schema = { ...rest };
  const properties: Schema = { ...(isSchema(rest.properties) ? rest.properties : {}) };
  const required = new Set<string>(Array.isArray(rest.required) ? (rest.required as string[]) : []);
  for (const member of members as Schema[]) {
    for (const [key, value] of Object.entries(member)) {
      if (key === 'properties' && isSchema(value)) Object.assign(properties, value);
      else if (key === 'required' && Array.isArray(value))
        for (const name of value) required.add(String(name));
      else if (!(key in merged)) merged[key] = value;
    }
  }
  merged.type = 'object';
  merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

/** Draft-07 tuples (`items: [...]`) and 2020-12 `prefixItems` as one `items` schema with bounds. */
function flattenTuple(node: Schema): Schema {
  const tuple = Array.isArray(node.prefixItems)
    ? node.prefixItems
    : Array.isArray(node.items)
      ? node.items
      : null;
  if (!tuple) return node;
  const { prefixItems: _prefixItems, additionalItems, ...rest } = node;
  const rest2: Schema = { ...rest };
  const closed = Array.isArray(node.items) ? additionalItems === false : node.items === false;
  const extra = Array.isArray(node.items) ? additionalItems : node.items;
  const seen = new Set<string>();
  const members = [...tuple, ...(isSchema(extra) ? [extra] : [])].filter((member) => {
    const key = JSON.stringify(member);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  rest2.items = members.length === 1 ? members[0] : { anyOf: members };
  if (closed && rest2.maxItems === undefined) rest2.maxItems = tuple.length;
  if (rest2.minItems === undefined) rest2.minItems = tuple.length;
  return rest2;
}

function hasNullType(node: unknown): boolean {
  return (
    isSchema(node) &&
    (node.type === 'null' || (Array.isArray(node.type) && node.type.length === 1 && node.type[0] === 'null'))
  );
}

// ---------------------------------------------------------------------------------------------
// OpenAI strict

const openAIRemoved = new Set([
  '$schema',
  '$id',
  '$comment',
  'default',
  'examples',
  'title',
  'deprecated',
  'readOnly',
  'writeOnly',
  'minLength',
  'maxLength',
  'minProperties',
  'maxProperties',
  'patternProperties',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contains',
  'minContains',
  'maxContains',
  'uniqueItems',
  'not',
  'if',
  'then',
  'else',
  'dependencies',
  'dependentRequired',
  'dependentSchemas',
  'contentEncoding',
  'contentMediaType',
]);

const openAIFormats = new Set([
  'date-time',
  'time',
  'date',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uuid',
]);

function toOpenAIStrict(root: Schema, madeNullable: Set<string>): Schema {
  const visit = (value: unknown): unknown => {
    if (!isSchema(value)) return value;
    let node: Schema = mergeAllOf(value);
    node = flattenTuple(node);
    const out: Schema = {};
    for (const [key, child] of Object.entries(node)) {
      if (openAIRemoved.has(key)) continue;
      switch (key) {
        case 'format':
          if (typeof child === 'string' && openAIFormats.has(child)) out.format = child;
          break;
        case 'const':
          out.enum = [child];
          break;
        case 'oneOf':
        case 'anyOf':
          out.anyOf = [...((out.anyOf as unknown[]) ?? []), ...(child as unknown[]).map(visit)];
          break;
        case 'allOf':
          out.allOf = (child as unknown[]).map(visit);
          break;
        case 'properties':
        case '$defs':
        case 'definitions':
          out[key === 'definitions' ? '$defs' : key] = mapValues(child, visit);
          break;
        case 'items':
          out.items = visit(child);
          break;
        case 'additionalProperties':
          break; // set below for objects
        case '$ref':
          out.$ref = typeof child === 'string' ? child.replace(/^#\/definitions\//, '#/$defs/') : child;
          break;
        default:
          out[key] = child;
      }
    }
    if (Array.isArray(out.enum) && out.type === undefined) {
      const type = jsonTypeOf(out.enum);
      if (type !== undefined) out.type = type;
    }
    const isObject =
      out.type === 'object' ||
      (Array.isArray(out.type) && out.type.includes('object')) ||
      isSchema(out.properties);
    if (isObject) {
      const properties = (isSchema(out.properties) ? out.properties : {}) as Schema;
      const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
      for (const [name, property] of Object.entries(properties)) {
        if (required.has(name)) continue;
        properties[name] = nullable(property);
        madeNullable.add(name);
      }
      out.properties = properties;
      out.required = Object.keys(properties);
      out.additionalProperties = false;
    }
    return out;
  };
  return visit(root) as Schema;
}

/** The one JSON type shared by every value, or `undefined` when they differ. */
function jsonTypeOf(values: unknown[]): string | undefined {
  const types = new Set(
    values.map((value) =>
      value === null
        ? 'null'
        : Array.isArray(value)
          ? 'array'
          : typeof value === 'number'
            ? Number.isInteger(value)
              ? 'integer'
              : 'number'
            : typeof value,
    ),
  );
  if (types.has('integer') && types.has('number')) types.delete('integer');
  return types.size === 1 ? [...types][0] : undefined;
}

function nullable(value: unknown): unknown {
  if (!isSchema(value)) return { anyOf: [value, { type: 'null' }] };
  if (typeof value.$ref === 'string') return { anyOf: [value, { type: 'null' }] };
  const type = value.type;
  const withNullEnum =
    Array.isArray(value.enum) && !value.enum.includes(null) ? { enum: [...value.enum, null] } : {};
  if (typeof type === 'string')
    return type === 'null' ? value : { ...value, type: [type, 'null'], ...withNullEnum };
  if (Array.isArray(type))
    return type.includes('null') ? value : { ...value, type: [...type, 'null'], ...withNullEnum };
  if (Array.isArray(value.anyOf)) {
    return value.anyOf.some(hasNullType) ? value : { ...value, anyOf: [...value.anyOf, { type: 'null' }] };
  }
  return { anyOf: [value, { type: 'null' }] };
}

/** Removes `null`s the strict profile made the model send, where the original schema rejects them. */
function dropProfileNulls(
  args: Record<string, unknown>,
  madeNullable: Set<string>,
  validate: (args: unknown) => ValidationResult,
): Record<string, unknown> {
  if (madeNullable.size === 0 || !containsNull(args, 0)) return args;
  const current = structuredClone(args);
  for (let round = 0; round < 16; round++) {
    const outcome = validate(current);
    if (outcome.valid) return current;
    let removed = false;
    for (const issue of outcome.issues) {
      const key = issue.path.at(-1);
      if (typeof key !== 'string' || !madeNullable.has(key)) continue;
      const parent = issue.path.slice(0, -1).reduce<unknown>((value, segment) => {
        return isSchema(value) || Array.isArray(value)
          ? (value as Record<string | number, unknown>)[segment]
          : undefined;
      }, current);
      if (isSchema(parent) && parent[key] === null) {
        delete parent[key];
        removed = true;
      }
    }
    if (!removed) return current;
  }
  return current;
}

function containsNull(value: unknown, depth: number): boolean {
  if (value === null) return true;
  if (depth > 64 || typeof value !== 'object') return false;
  return Object.values(value as object).some((child) => containsNull(child, depth + 1));
}

// ---------------------------------------------------------------------------------------------
// Gemini

const geminiKept = new Set([
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

const geminiFormats: Record<string, Set<string>> = {
  string: new Set(['enum', 'date-time']),
  integer: new Set(['int32', 'int64']),
  number: new Set(['float', 'double']),
};

function toGemini(root: Schema): Schema {
  const resolve = (ref: string): unknown => {
    if (!ref.startsWith('#')) return undefined;
    const segments = ref
      .slice(1)
      .split('/')
      .filter(Boolean)
      .map((segment) => decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~'));
    return segments.reduce<unknown>((value, segment) => (isSchema(value) ? value[segment] : undefined), root);
  };

  const visit = (value: unknown, refStack: string[]): Schema => {
    if (value === true || (isSchema(value) && Object.keys(value).length === 0)) return {};
    if (!isSchema(value)) return {};
    let node = value;
    if (typeof node.$ref === 'string') {
      const ref = node.$ref;
      const { $ref: _ref, ...siblings } = node;
      const depth = refStack.filter((seen) => seen === ref).length;
      if (depth >= GEMINI_MAX_REF_DEPTH) {
        const name = ref.split('/').at(-1) ?? ref;
        return {
          type: 'object',
          description: `${describe(siblings)}A nested "${name}" (same shape as above).`.trim(),
        };
      }
      const target = resolve(ref);
      if (!isSchema(target)) return { ...visit(siblings, refStack) };
      return visit({ ...target, ...siblings }, [...refStack, ref]);
    }
    node = flattenTuple(mergeAllOf(node));
    const out: Schema = {};
    const notes: string[] = [];
    let nullableFlag = node.nullable === true;

    // Types: `[T, 'null']` → T + nullable; several types → anyOf.
    let types: string[] =
      typeof node.type === 'string' ? [node.type] : Array.isArray(node.type) ? (node.type as string[]) : [];
    if (types.includes('null')) {
      nullableFlag = true;
      types = types.filter((type) => type !== 'null');
    }
    let alternatives: Schema[] = [];
    if (types.length === 1) out.type = types[0];
    else if (types.length > 1) alternatives = types.map((type) => ({ type }));

    const unions = [...((node.anyOf as unknown[]) ?? []), ...((node.oneOf as unknown[]) ?? [])];
    for (const member of unions) {
      if (hasNullType(member)) nullableFlag = true;
      else alternatives.push(visit(member, refStack));
    }

    for (const [key, child] of Object.entries(node)) {
      switch (key) {
        case 'type':
        case 'anyOf':
        case 'oneOf':
        case 'nullable':
          break;
        case 'properties': {
          const properties = mapValuesSchema(child, (property) => visit(property, refStack));
          if (properties && Object.keys(properties).length > 0) out.properties = properties;
          break;
        }
        case 'required':
          if (Array.isArray(child) && child.length > 0) out.required = child;
          break;
        case 'items':
          out.items = visit(child, refStack);
          break;
        case 'const':
          if (typeof child === 'string') {
            out.type = 'string';
            out.enum = [child];
          } else {
            notes.push(`Must be ${JSON.stringify(child)}.`);
          }
          break;
        case 'enum': {
          const values = (child as unknown[]).filter((item) => item !== null);
          if ((child as unknown[]).includes(null)) nullableFlag = true;
          if (values.length > 0 && values.every((item) => typeof item === 'string')) {
            out.enum = values;
            out.type ??= 'string';
          } else if (values.length > 0) {
            notes.push(`One of: ${values.map((item) => JSON.stringify(item)).join(', ')}.`);
          }
          break;
        }
        case 'format':
          break; // checked once the type is known
        default:
          if (geminiKept.has(key)) out[key] = child;
      }
    }
    if (
      typeof node.format === 'string' &&
      typeof out.type === 'string' &&
      geminiFormats[out.type]?.has(node.format)
    ) {
      out.format = node.format;
    }
    if (alternatives.length === 1 && out.type === undefined && out.properties === undefined) {
      Object.assign(out, alternatives[0]);
    } else if (alternatives.length > 0) {
      out.anyOf = alternatives;
    }
    if (notes.length > 0) out.description = [out.description, ...notes].filter(Boolean).join(' ');
    if (nullableFlag) out.nullable = true;
    return out;
  };
  return visit(root, []);
}

function mapValuesSchema(record: unknown, map: (value: unknown) => Schema): Schema | undefined {
  return mapValues(record, map);
}

function describe(siblings: Schema): string {
  return typeof siblings.description === 'string' ? `${siblings.description} ` : '';
}
