/**
 * Rewrites a published input schema (JSON Schema 2020-12, MCP's default dialect since 2025-11-25,
 * SEP-1613) into draft-07 for clients whose validators know only draft-07 (fastmcp #189). Only
 * what `tools/list` shows changes: the publisher still validates arguments against the tool's
 * own schema. What differs between the dialects is rewritten to an equivalent:
 * - `$defs` → `definitions`, and local `$ref`s into them (`#/$defs/a` → `#/definitions/a`);
 * - `prefixItems` (+ `items`) → array-form `items` (+ `additionalItems`);
 * - `dependentRequired` / `dependentSchemas` → `dependencies`;
 * - a `$ref` with sibling keywords (applied in 2020-12, ignored in draft-07) → `allOf: [{ $ref }]`;
 * - the root declares `"$schema": "http://json-schema.org/draft-07/schema#"`.
 * Keywords draft-07 cannot express (`unevaluated*`, `$dynamicRef`, `minContains`, …) are refused
 * with `CONFIG_INVALID` naming the tool and the schema path, rather than published looser.
 */
import { ToolwireError } from '@toolwire/core';

/** Which JSON Schema dialect the publisher lists input schemas in. */
export type InputSchemaDialect = '2020-12' | 'draft-07';

export const DRAFT_07_URI = 'http://json-schema.org/draft-07/schema#';

/** Keywords whose value is one subschema. */
const SCHEMA_KEYWORDS = new Set([
  'additionalProperties',
  'propertyNames',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'additionalItems',
]);
/** Keywords whose value is a list of subschemas. */
const SCHEMA_LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf']);
/** Keywords whose value maps names to subschemas. */
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions']);
/** 2019-09/2020-12 keywords with no draft-07 equivalent. */
const UNSUPPORTED = new Set([
  'unevaluatedProperties',
  'unevaluatedItems',
  '$dynamicRef',
  '$dynamicAnchor',
  '$recursiveRef',
  '$recursiveAnchor',
  '$anchor',
  '$vocabulary',
  'minContains',
  'maxContains',
]);

type Path = (string | number)[];

/** Converts `schema` for `tool`; a schema that already declares draft-04/06/07 is returned as is. */
export function toDraft07(schema: Record<string, unknown>, tool: string): Record<string, unknown> {
  if (typeof schema.$schema === 'string' && /json-schema\.org\/draft-0[4-7]\//.test(schema.$schema)) {
    return schema;
  }
  const converted = convertSchema(schema, [], tool) as Record<string, unknown>;
  return { $schema: DRAFT_07_URI, ...converted };
}

function convertSchema(schema: unknown, path: Path, tool: string): unknown {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const source = schema as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(source)) {
    const at = [...path, keyword];
    if (UNSUPPORTED.has(keyword)) {
      throw unsupported(tool, at, `"${keyword}" has no draft-07 equivalent`);
    }
    if (keyword === '$schema') continue;
    if (keyword === '$ref') {
      result.$ref = typeof value === 'string' ? rewriteRef(value) : value;
    } else if (keyword === '$defs') {
      mergeInto(result, 'definitions', convertMap(value, at, tool), at, tool);
    } else if (SCHEMA_MAP_KEYWORDS.has(keyword)) {
      mergeInto(result, keyword, convertMap(value, at, tool), at, tool);
    } else if (SCHEMA_KEYWORDS.has(keyword)) {
      result[keyword] = convertSchema(value, at, tool);
    } else if (SCHEMA_LIST_KEYWORDS.has(keyword)) {
      result[keyword] = convertList(value, at, tool);
    } else if (keyword === 'prefixItems' || keyword === 'items') {
      // Handled together below: their meaning depends on each other.
    } else if (
      keyword === 'dependentRequired' ||
      keyword === 'dependentSchemas' ||
      keyword === 'dependencies'
    ) {
      const converted =
        keyword === 'dependentRequired'
          ? value
          : keyword === 'dependentSchemas'
            ? convertMap(value, at, tool)
            : convertDependencies(value, at, tool);
      mergeInto(result, 'dependencies', converted, at, tool);
    } else {
      // Validation keywords and annotations shared by both dialects, and extensions (`x-…`).
      result[keyword] = value;
    }
  }
  convertItems(source, result, path, tool);
  return wrapRefWithSiblings(result);
}

function convertItems(
  source: Record<string, unknown>,
  result: Record<string, unknown>,
  path: Path,
  tool: string,
) {
  const { prefixItems, items } = source;
  if (prefixItems !== undefined) {
    if (!Array.isArray(prefixItems))
      throw unsupported(tool, [...path, 'prefixItems'], 'expected an array of schemas');
    if (source.additionalItems !== undefined) {
      throw unsupported(tool, [...path, 'additionalItems'], 'cannot be combined with "prefixItems"');
    }
    result.items = convertList(prefixItems, [...path, 'prefixItems'], tool);
    if (items !== undefined) result.additionalItems = convertSchema(items, [...path, 'items'], tool);
  } else if (items !== undefined) {
    // One schema for every item (2020-12), or the array form a 2019-09 schema may still use.
    result.items = Array.isArray(items)
      ? convertList(items, [...path, 'items'], tool)
      : convertSchema(items, [...path, 'items'], tool);
  }
}

/** draft-07 ignores keywords beside `$ref`; 2020-12 applies them. `allOf` applies both. */
function wrapRefWithSiblings(schema: Record<string, unknown>): Record<string, unknown> {
  if (schema.$ref === undefined) return schema;
  const { $ref, ...rest } = schema;
  if (Object.keys(rest).length === 0) return schema;
  const allOf = Array.isArray(rest.allOf) ? rest.allOf : [];
  return { ...rest, allOf: [{ $ref }, ...allOf] };
}

/** `#/$defs/a/$defs/b` → `#/definitions/a/definitions/b`; other references are kept. */
function rewriteRef(ref: string): string {
  if (!ref.startsWith('#/')) return ref;
  return `#/${ref
    .slice(2)
    .split('/')
    .map((segment) => (segment === '$defs' ? 'definitions' : segment))
    .join('/')}`;
}

function convertMap(value: unknown, path: Path, tool: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, schema]) => [name, convertSchema(schema, [...path, name], tool)]),
  );
}

function convertList(value: unknown, path: Path, tool: string): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((schema, index) => convertSchema(schema, [...path, index], tool));
}

/** draft-07 `dependencies`: each value is a list of names or a schema. */
function convertDependencies(value: unknown, path: Path, tool: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, dependency]) => [
      name,
      Array.isArray(dependency) ? dependency : convertSchema(dependency, [...path, name], tool),
    ]),
  );
}

/** `$defs` + `definitions`, or `dependentRequired` + `dependentSchemas`, land in one keyword. */
function mergeInto(
  result: Record<string, unknown>,
  keyword: string,
  value: unknown,
  path: Path,
  tool: string,
) {
  const existing = result[keyword];
  if (existing === undefined) {
    result[keyword] = value;
    return;
  }
  const isMap = (candidate: unknown): candidate is Record<string, unknown> =>
    typeof candidate === 'object' && candidate !== null && !Array.isArray(candidate);
  if (!isMap(existing) || !isMap(value)) throw unsupported(tool, path, `cannot be merged into "${keyword}"`);
  for (const name of Object.keys(value)) {
    if (name in existing)
      throw unsupported(tool, [...path, name], `"${name}" is defined twice once merged into "${keyword}"`);
  }
  result[keyword] = { ...existing, ...value };
}

function unsupported(tool: string, path: Path, reason: string): ToolwireError {
  const where = path.map((segment) => `/${String(segment)}`).join('');
  return new ToolwireError({
    code: 'CONFIG_INVALID',
    tool,
    message: `Cannot publish tool "${tool}" with a draft-07 input schema: at ${where}, ${reason}. Publish this tool with inputSchemaDialect "2020-12", or simplify its schema.`,
  });
}
