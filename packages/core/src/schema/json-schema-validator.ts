/**
 * Validates tool arguments against the tool's own JSON Schema, exactly as the server published
 * it: no flattening, no conversion to zod. Draft-07 and 2020-12 (and 2019-09) are supported; the
 * dialect comes from `$schema`, defaulting to 2020-12 as the MCP spec says, or draft-07 when the
 * schema uses draft-07-only tuple syntax. Validators are compiled once per schema, on first use.
 */
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as formatsModule from 'ajv-formats';
import type { ArgumentIssue } from '../errors/invalid-arguments-error.js';
import { formatArgumentPath } from '../util/format-path.js';

export type JSONSchema = Record<string, unknown> | boolean;

export type Dialect = 'draft-07' | '2019-09' | '2020-12';

export type ValidationResult = { valid: true } | { valid: false; issues: ArgumentIssue[] };

/** A compiled schema. `compileError` is set when the schema itself is broken (the server then validates). */
export interface CompiledSchema {
  dialect: Dialect;
  validate(value: unknown): ValidationResult;
  compileError: string | undefined;
}

const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (
  ajv: Ajv,
) => Ajv;

const ajvOptions: Options = {
  strict: false,
  allErrors: true,
  validateFormats: true,
  logger: false,
  // Schemas from servers may reuse `$id`s; every compile gets its own scope (see compileSchema).
  addUsedSchema: false,
};

type AjvLike = Ajv;

/** Base URI given to schemas without `$id` (see `compileFresh`). */
const LOCAL_SCHEMA_ID = 'urn:toolwire:tool-input-schema';

export class JSONSchemaValidator {
  private readonly engines = new Map<Dialect, AjvLike>();
  private readonly cache = new WeakMap<object, CompiledSchema>();

  /** Compiles (or returns the cached compilation of) a schema object. */
  compile(schema: JSONSchema): CompiledSchema {
    if (typeof schema === 'boolean') return compileBoolean(schema);
    const cached = this.cache.get(schema);
    if (cached) return cached;
    const compiled = this.compileFresh(schema);
    this.cache.set(schema, compiled);
    return compiled;
  }

  private compileFresh(original: Record<string, unknown>): CompiledSchema {
    const dialect = detectDialect(original);
    // Without a base URI (engines do not keep used schemas), Ajv cannot resolve a reference to
    // the root (`$ref: "#"`, how recursive zod types are emitted); a local `$id` on our copy
    // gives it one. The server's schema object is never modified.
    const schema = typeof original.$id === 'string' ? original : { ...original, $id: LOCAL_SCHEMA_ID };
    let validateFunction: ValidateFunction;
    try {
      validateFunction = this.engine(dialect).compile(schema);
    } catch (error) {
      try {
        // A clash of `$id`s with an earlier schema: compile in a fresh engine rather than fail.
        validateFunction = createEngine(dialect).compile(schema);
      } catch (secondError) {
        const compileError = (secondError as Error).message ?? String(secondError);
        void error;
        return { dialect, compileError, validate: () => ({ valid: true }) };
      }
    }
    return {
      dialect,
      compileError: undefined,
      validate(value) {
        if (validateFunction(value)) return { valid: true };
        return { valid: false, issues: toIssues(validateFunction.errors ?? []) };
      },
    };
  }

  private engine(dialect: Dialect): AjvLike {
    let engine = this.engines.get(dialect);
    if (!engine) {
      engine = createEngine(dialect);
      this.engines.set(dialect, engine);
    }
    return engine;
  }
}

function createEngine(dialect: Dialect): AjvLike {
  const engine =
    dialect === '2020-12'
      ? new Ajv2020(ajvOptions)
      : dialect === '2019-09'
        ? new Ajv2019(ajvOptions)
        : new Ajv(ajvOptions);
  addFormats(engine as Ajv);
  return engine as AjvLike;
}

function compileBoolean(schema: boolean): CompiledSchema {
  return {
    dialect: '2020-12',
    compileError: undefined,
    validate: () =>
      schema
        ? { valid: true }
        : {
            valid: false,
            issues: [
              {
                path: [],
                pathText: '(arguments)',
                message: 'no arguments are accepted',
                keyword: 'false schema',
              },
            ],
          },
  };
}

export function detectDialect(schema: Record<string, unknown>): Dialect {
  const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (declared.includes('2020-12')) return '2020-12';
  if (declared.includes('2019-09')) return '2019-09';
  if (/draft-0[4-7]/.test(declared)) return 'draft-07';
  return usesTupleItems(schema, 0) ? 'draft-07' : '2020-12';
}

/** Draft-07 tuples (`items: [...]`, `additionalItems`) mean something else in 2020-12. */
function usesTupleItems(node: unknown, depth: number): boolean {
  if (depth > 64 || typeof node !== 'object' || node === null) return false;
  if (Array.isArray(node)) return node.some((item) => usesTupleItems(item, depth + 1));
  const record = node as Record<string, unknown>;
  if (Array.isArray(record.items) || 'additionalItems' in record) return true;
  return Object.values(record).some((value) => usesTupleItems(value, depth + 1));
}

function toIssues(errors: ErrorObject[]): ArgumentIssue[] {
  const issues: ArgumentIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const path = parsePointer(error.instancePath);
    let message = error.message ?? 'is invalid';
    if (error.keyword === 'required') {
      path.push(String((error.params as { missingProperty: string }).missingProperty));
      message = 'is required';
    } else if (error.keyword === 'additionalProperties') {
      path.push(String((error.params as { additionalProperty: string }).additionalProperty));
      message = 'is not an allowed property';
    } else if (error.keyword === 'unevaluatedProperties') {
      path.push(String((error.params as { unevaluatedProperty: string }).unevaluatedProperty));
      message = 'is not an allowed property';
    } else if (error.keyword === 'dependentRequired' || error.keyword === 'dependencies') {
      const params = error.params as { property?: string; missingProperty?: string };
      if (params.missingProperty !== undefined && params.property !== undefined) {
        path.push(params.missingProperty);
        message = `is required when "${params.property}" is present`;
      }
    } else if (error.keyword === 'enum') {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      message = `must be one of ${allowed.map((value) => JSON.stringify(value)).join(', ')}`;
    } else if (error.keyword === 'const') {
      message = `must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`;
    }
    const issue: ArgumentIssue = {
      path,
      pathText: formatArgumentPath(path),
      message,
      keyword: error.keyword,
    };
    const key = `${issue.pathText}|${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function parsePointer(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : segment));
}
