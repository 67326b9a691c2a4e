/**
 * The compiled engine: Ajv turns each schema into JavaScript (fast, but it needs code
 * generation: `new Function`), with every pattern on the linear-time engine. An Ajv instance per
 * dialect is shared by up to 50 compiles, then replaced, and a schema dropped from the
 * validator's cache is removed from its instance: tool-list churn does not grow memory.
 */
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as formatsModule from 'ajv-formats';
import type { ArgumentIssue } from '../errors/invalid-arguments-error.js';
import { formatArgumentPath } from '../util/format-path.js';
import { describeConst, describeEnum, IssueCollector } from './issue-text.js';
import { ajvLinearRegExp } from './linear-regexp.js';
import type { Dialect, ValidationResult } from './schema-types.js';

/** A schema compiled by one engine. `dispose` releases what the engine keeps for it. */
export interface EngineSchema {
  validate(value: unknown): ValidationResult;
  dispose(): void;
}

const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (
  ajv: Ajv,
) => Ajv;

const ajvOptions: Options = {
  strict: false,
  allErrors: true,
  validateFormats: true,
  logger: false,
  // Schemas from servers may reuse `$id`s; every compile gets its own scope (see compile).
  addUsedSchema: false,
  code: { regExp: ajvLinearRegExp },
};

/** Base URI given to schemas without `$id` (see `compile`). */
const LOCAL_SCHEMA_ID = 'urn:toolwire:tool-input-schema';

/**
 * An Ajv instance keeps every value its generated code refers to (enums, subschemas) for as long
 * as it lives, even after `removeSchema`. So each instance serves this many compiles and is then
 * replaced: it is collected once the cache has dropped the schemas it compiled.
 */
const COMPILES_PER_ENGINE = 50;

export class AjvEngine {
  private readonly engines = new Map<Dialect, { ajv: Ajv; compiles: number }>();

  /** Compiles a schema; throws what Ajv throws (an `EvalError` where code generation is disallowed). */
  compile(original: Record<string, unknown>, dialect: Dialect): EngineSchema {
    // Without a base URI (engines do not keep used schemas), Ajv cannot resolve a reference to
    // the root (`$ref: "#"`, how recursive zod types are emitted); a local `$id` on our copy
    // gives it one. The server's schema object is never modified.
    const schema = typeof original.$id === 'string' ? original : { ...original, $id: LOCAL_SCHEMA_ID };
    let engine = this.engine(dialect);
    let validateFunction: ValidateFunction;
    try {
      validateFunction = engine.compile(schema);
    } catch (error) {
      if (error instanceof EvalError) throw error;
      // A clash of `$id`s with an earlier schema: compile in a fresh engine rather than fail.
      engine = createEngine(dialect);
      validateFunction = engine.compile(schema);
    }
    return {
      validate(value) {
        if (validateFunction(value)) return { valid: true };
        return toResult(validateFunction.errors ?? []);
      },
      dispose: () => engine.removeSchema(schema),
    };
  }

  private engine(dialect: Dialect): Ajv {
    let engine = this.engines.get(dialect);
    if (!engine || engine.compiles >= COMPILES_PER_ENGINE) {
      engine = { ajv: createEngine(dialect), compiles: 0 };
      this.engines.set(dialect, engine);
    }
    engine.compiles++;
    return engine.ajv;
  }
}

function createEngine(dialect: Dialect): Ajv {
  const engine =
    dialect === '2020-12'
      ? new Ajv2020(ajvOptions)
      : dialect === '2019-09'
        ? new Ajv2019(ajvOptions)
        : new Ajv(ajvOptions);
  addFormats(engine as Ajv);
  return engine as Ajv;
}

function toResult(errors: ErrorObject[]): ValidationResult {
  const collector = new IssueCollector();
  for (const error of errors) {
    if (collector.full) {
      collector.countMore();
      continue;
    }
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
      message = describeEnum((error.params as { allowedValues: unknown[] }).allowedValues);
    } else if (error.keyword === 'const') {
      message = describeConst((error.params as { allowedValue: unknown }).allowedValue);
    }
    const issue: ArgumentIssue = {
      path,
      pathText: formatArgumentPath(path),
      message,
      keyword: error.keyword,
    };
    collector.add(issue);
  }
  return collector.result();
}

function parsePointer(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : segment));
}
