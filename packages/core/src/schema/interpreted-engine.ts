/**
 * The interpreted engine: `@cfworker/json-schema` walks the schema at each call instead of
 * generating code, so it works where code generation is disallowed (Cloudflare Workers, Vercel
 * Edge, `node --disallow-code-generation-from-strings`). Patterns run on the linear-time engine,
 * and its findings are reported in the same words and paths as the compiled engine's.
 */
import { type OutputUnit, Validator } from '@cfworker/json-schema';
import type { ArgumentIssue } from '../errors/invalid-arguments-error.js';
import { formatArgumentPath } from '../util/format-path.js';
import type { EngineSchema } from './ajv-engine.js';
import { describeConst, describeEnum, IssueCollector } from './issue-text.js';
import { withLinearRegExp } from './linear-regexp.js';
import { childSchemas } from './schema-inspection.js';
import type { Dialect, ValidationResult } from './schema-types.js';

type SchemaNode = Record<string, unknown>;

/** Keywords whose error only says "a subschema had errors": the errors that follow say what. */
const wrapperKeywords = new Set([
  '$ref',
  '$recursiveRef',
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'items',
  'prefixItems',
  'additionalItems',
  'unevaluatedItems',
  'allOf',
  'if',
  'dependentSchemas',
  'propertyNames',
]);

/** Issues described before the rest are only counted (more than are kept: some are dropped as repeats). */
const FOUND_ISSUES_DESCRIBED = 200;

const propertyWrappers = new Set(['additionalProperties', 'unevaluatedProperties']);
const itemWrappers = new Set(['items', 'additionalItems', 'unevaluatedItems']);

export class InterpretedEngine {
  compile(original: SchemaNode, dialect: Dialect): EngineSchema {
    // The engine marks every subschema with hidden properties: it gets a copy, never the server's object.
    const schema = prepareCopy(structuredClone(original));
    const validator = new Validator(schema, dialect === 'draft-07' ? '7' : dialect, false);
    const lookup = (validator as unknown as { lookup: Record<string, SchemaNode> }).lookup;
    return {
      validate(value) {
        const outcome = withLinearRegExp(() => validator.validate(value));
        if (outcome.valid) return { valid: true };
        return toResult(outcome.errors, schema, lookup);
      },
      dispose() {},
    };
  }
}

/**
 * Readies our copy: an `enum` or object `const` answers `JSON.stringify` in constant time (the
 * engine writes the whole value into each error text: a megabyte per failing item), `format:
 * 'url'` goes (below), and `nullable: true` (OpenAPI, which the compiled engine honours)
 * becomes a `null` type.
 */
function prepareCopy(schema: SchemaNode): SchemaNode {
  const seen = new Set<SchemaNode>();
  const pending = [schema];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node.enum)) summarizeForStringify(node.enum);
    if (typeof node.const === 'object' && node.const !== null) summarizeForStringify(node.const);
    // The engine's `url` check is a backtracking regex that takes seconds on a 30-character
    // string. `url` is no JSON Schema format (unknown formats are not checked), so it is dropped.
    if (node.format === 'url') delete node.format;
    if (node.nullable === true && node.type !== undefined) {
      const types = Array.isArray(node.type) ? node.type : [node.type];
      if (!types.includes('null')) node.type = [...types, 'null'];
    }
    pending.push(...childSchemas(node));
  }
  return schema;
}

function summarizeForStringify(value: object): void {
  Object.defineProperty(value, 'toJSON', { value: () => '(allowed values)', enumerable: false });
}

function toResult(
  errors: OutputUnit[],
  schema: SchemaNode,
  lookup: Record<string, SchemaNode>,
): ValidationResult {
  const found: ArgumentIssue[] = [];
  let omitted = 0;
  for (let index = 0; index < errors.length; index++) {
    const error = errors[index]!;
    const next = errors[index + 1];
    // A subschema `false` (no more properties or items allowed) is reported on its wrapper.
    const closedByFalse =
      next?.keyword === 'false' && (propertyWrappers.has(error.keyword) || itemWrappers.has(error.keyword));
    if (!closedByFalse && wrapperKeywords.has(error.keyword)) continue;
    if (closedByFalse) index++;
    // Describing costs little, but a huge invalid array must not cost per item: count the rest.
    if (found.length >= FOUND_ISSUES_DESCRIBED) {
      omitted++;
      continue;
    }
    const path = parsePointer(error.instanceLocation);
    if (closedByFalse) {
      const falsePath = parsePointer(next!.instanceLocation);
      if (propertyWrappers.has(error.keyword)) {
        found.push(issue(falsePath, 'is not an allowed property', error.keyword));
      } else {
        const position = falsePath[falsePath.length - 1];
        found.push(issue(path, `must NOT have more than ${Number(position)} items`, error.keyword));
      }
      continue;
    }
    const described = describe(error, path, () => schemaAt(error.keywordLocation, schema, lookup));
    const keyword = error.keyword === 'false' ? 'false schema' : error.keyword;
    found.push(issue(described.path, described.message, keyword));
  }
  const collector = new IssueCollector();
  for (const candidate of found) {
    // This engine leaves a property that failed its own schema "unevaluated" too; the compiled
    // engine does not. Report the property's own problem once, as the compiled engine does.
    if (candidate.message === 'is not an allowed property' && candidate.keyword.startsWith('unevaluated')) {
      const text = candidate.pathText;
      const explained = found.some(
        (other) =>
          other !== candidate &&
          (other.pathText === text ||
            other.pathText.startsWith(`${text}.`) ||
            other.pathText.startsWith(`${text}[`)),
      );
      if (explained) continue;
    }
    collector.add(candidate);
  }
  for (let count = 0; count < omitted; count++) collector.countMore();
  return collector.result();
}

function describe(
  error: OutputUnit,
  path: (string | number)[],
  keywordSchema: () => { parent: SchemaNode | undefined; value: unknown },
): { path: (string | number)[]; message: string } {
  const value = () => keywordSchema().value;
  switch (error.keyword) {
    case 'required': {
      const missing = /required property "(.*)"\.$/s.exec(error.error)?.[1];
      return missing === undefined
        ? { path, message: 'is missing a required property' }
        : { path: [...path, missing], message: 'is required' };
    }
    case 'dependentRequired':
    case 'dependencies': {
      const match = /^Instance has "(.*)" but does not have "(.*)"\.$/s.exec(error.error);
      if (match) return { path: [...path, match[2]!], message: `is required when "${match[1]}" is present` };
      return { path, message: 'does not match the schema of a property that is present' };
    }
    case 'type': {
      const types = value();
      if (types === undefined) return { path, message: error.error };
      return { path, message: `must be ${Array.isArray(types) ? types.join(',') : String(types)}` };
    }
    case 'enum': {
      const allowed = value();
      return {
        path,
        message: Array.isArray(allowed) ? describeEnum(allowed) : 'must be one of the allowed values',
      };
    }
    case 'const':
      return { path, message: describeConst(value()) };
    case 'format':
      return { path, message: `must match format "${String(value())}"` };
    case 'pattern':
      return { path, message: `must match pattern "${String(value())}"` };
    case 'minLength':
      return { path, message: `must NOT have fewer than ${String(value())} characters` };
    case 'maxLength':
      return { path, message: `must NOT have more than ${String(value())} characters` };
    case 'minimum':
      return { path, message: `must be >= ${String(value())}` };
    case 'maximum':
      return { path, message: `must be <= ${String(value())}` };
    case 'exclusiveMinimum':
      return { path, message: `must be > ${String(value())}` };
    case 'exclusiveMaximum':
      return { path, message: `must be < ${String(value())}` };
    case 'multipleOf':
      return { path, message: `must be multiple of ${String(value())}` };
    case 'minItems':
      return { path, message: `must NOT have fewer than ${String(value())} items` };
    case 'maxItems':
      return { path, message: `must NOT have more than ${String(value())} items` };
    case 'minProperties':
      return { path, message: `must NOT have fewer than ${String(value())} properties` };
    case 'maxProperties':
      return { path, message: `must NOT have more than ${String(value())} properties` };
    case 'anyOf':
      return { path, message: 'must match a schema in anyOf' };
    case 'oneOf':
      return { path, message: 'must match exactly one schema in oneOf' };
    case 'not':
      return { path, message: 'must NOT be valid' };
    case 'false':
      return { path, message: 'boolean schema is false' };
    default:
      return { path, message: error.error };
  }
}

function issue(path: (string | number)[], message: string, keyword: string): ArgumentIssue {
  return { path, pathText: formatArgumentPath(path), message, keyword };
}

/**
 * The value of the keyword at a dynamic keyword location (`#/properties/a/$ref/enum`), following
 * `$ref`s through the engine's lookup table; undefined when it cannot be followed.
 */
function schemaAt(
  location: string,
  root: SchemaNode,
  lookup: Record<string, SchemaNode>,
): { parent: SchemaNode | undefined; value: unknown } {
  const segments = decodePointer(location);
  let current: unknown = root;
  let parent: SchemaNode | undefined;
  for (const segment of segments) {
    if (typeof current !== 'object' || current === null) return { parent: undefined, value: undefined };
    const node = current as SchemaNode;
    if (segment === '$ref' && typeof node.$ref === 'string') {
      const target = (node as { __absolute_ref__?: string }).__absolute_ref__ ?? node.$ref;
      parent = node;
      current = lookup[target];
      continue;
    }
    parent = node;
    current = node[String(segment)];
  }
  return { parent, value: current };
}

function decodePointer(location: string): string[] {
  const pointer = location.startsWith('#') ? location.slice(1) : location;
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => {
      let decoded = segment;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        // Not percent-encoded after all: keep it as it is.
      }
      return decoded.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

function parsePointer(location: string): (string | number)[] {
  return decodePointer(location).map((segment) =>
    /^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : segment,
  );
}
