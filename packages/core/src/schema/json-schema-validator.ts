/**
 * Validates tool arguments against the tool's own JSON Schema, exactly as the server published
 * it: no flattening, no conversion to zod. Draft-07 and 2020-12 (and 2019-09) are supported; the
 * dialect comes from `$schema`, defaulting to 2020-12 as the MCP spec says, or draft-07 when the
 * schema uses draft-07-only tuple syntax.
 *
 * A schema from a server is a stranger's input. Before an engine sees it, it is inspected (size,
 * depth, self-reference, regular expressions: `schema-inspection.ts`); one that fails is a schema
 * that cannot compile: it validates nothing, `compileError` says why (the registry warns once),
 * and the server validates. Patterns run in linear time. The engine is chosen once: compiled
 * (Ajv) where code generation is allowed, interpreted (`@cfworker/json-schema`) where it is not;
 * validation is never silently skipped. Compiled schemas are kept in a bounded LRU cache.
 */
import type { ArgumentIssue } from '../errors/invalid-arguments-error.js';
import { AjvEngine, type EngineSchema } from './ajv-engine.js';
import { codeGenerationAllowed } from './code-generation.js';
import { InterpretedEngine } from './interpreted-engine.js';
import { compileLinearRegExp } from './linear-regexp.js';
import { LruCache } from './lru-cache.js';
import { inspectSchema } from './schema-inspection.js';
import type {
  CompiledSchema,
  Dialect,
  JSONSchema,
  SchemaValidator,
  ValidationResult,
} from './schema-types.js';

export type {
  CompiledSchema,
  Dialect,
  JSONSchema,
  SchemaValidator,
  ValidationResult,
} from './schema-types.js';

/** Compiled schemas kept by default (least recently used dropped first). */
export const DEFAULT_SCHEMA_CACHE_SIZE = 1_000;

/** Arguments nested deeper than this are refused when checking them would overflow the stack. */
const MAX_CHECKED_ARGUMENT_DEPTH = 64;

/** Which engine validates: see {@link JSONSchemaValidatorOptions.engine}. */
export type ValidationEngine = 'auto' | 'compiled' | 'interpreted';

export interface JSONSchemaValidatorOptions {
  /**
   * `'auto'` (default): `'compiled'` (Ajv, fastest) where the runtime allows code generation,
   * else `'interpreted'` (`@cfworker/json-schema`, no code generation: Cloudflare Workers, Vercel
   * Edge, `--disallow-code-generation-from-strings`).
   */
  engine?: ValidationEngine | undefined;
  /** Most compiled schemas kept; the least recently used is dropped first. Default 1,000. */
  cacheSize?: number | undefined;
}

interface CacheEntry {
  compiled: CompiledSchema;
  engineSchema: EngineSchema | undefined;
}

/**
 * The built-in {@link SchemaValidator}.
 *
 * @example
 * ```ts
 * const validator = new JSONSchemaValidator({ cacheSize: 200 });
 * const result = validator.compile({ type: 'object', required: ['city'] }).validate({});
 * // { valid: false, issues: [{ pathText: 'city', message: 'is required', … }] }
 * ```
 */
export class JSONSchemaValidator implements SchemaValidator {
  private readonly cache: LruCache<object, CacheEntry>;
  private readonly requested: ValidationEngine;
  private chosen: 'compiled' | 'interpreted' | undefined;
  private compiledEngine: AjvEngine | undefined;
  private interpretedEngine: InterpretedEngine | undefined;

  constructor(options: JSONSchemaValidatorOptions = {}) {
    this.requested = options.engine ?? 'auto';
    if (!['auto', 'compiled', 'interpreted'].includes(this.requested)) {
      throw new RangeError(
        `engine: expected 'auto', 'compiled' or 'interpreted', got ${JSON.stringify(this.requested)}`,
      );
    }
    const cacheSize = options.cacheSize ?? DEFAULT_SCHEMA_CACHE_SIZE;
    if (!Number.isInteger(cacheSize) || cacheSize < 1) {
      throw new RangeError(`cacheSize: expected a positive integer, got ${JSON.stringify(cacheSize)}`);
    }
    this.cache = new LruCache(cacheSize, (_schema, entry) => entry.engineSchema?.dispose());
  }

  /** The engine in use: `'compiled'` (Ajv) or `'interpreted'` (`@cfworker/json-schema`). */
  get engine(): 'compiled' | 'interpreted' {
    if (this.chosen === undefined) {
      this.chosen =
        this.requested === 'auto' ? (codeGenerationAllowed() ? 'compiled' : 'interpreted') : this.requested;
    }
    return this.chosen;
  }

  /** Compiled schemas held now (at most `cacheSize`). */
  get cachedSchemas(): number {
    return this.cache.size;
  }

  /** Compiles (or returns the cached compilation of) a schema object. */
  compile(schema: JSONSchema): CompiledSchema {
    if (typeof schema === 'boolean') return compileBoolean(schema);
    const cached = this.cache.get(schema);
    if (cached) return cached.compiled;
    const entry = this.compileFresh(schema);
    this.cache.set(schema, entry);
    return entry.compiled;
  }

  private compileFresh(original: Record<string, unknown>): CacheEntry {
    const dialect = detectDialect(original);
    const inspection = inspectSchema(original);
    if (inspection.problem) return uncompilable(dialect, inspection.problem);
    try {
      for (const pattern of inspection.patterns) compileLinearRegExp(pattern);
    } catch (error) {
      return uncompilable(dialect, (error as Error).message);
    }
    let engineSchema: EngineSchema;
    try {
      engineSchema = this.compileWithEngine(original, dialect, inspection.unresolvedRefs);
    } catch (error) {
      return uncompilable(dialect, error instanceof Error ? error.message : String(error));
    }
    return {
      engineSchema,
      compiled: { dialect, compileError: undefined, validate: (value) => guarded(engineSchema, value) },
    };
  }

  private compileWithEngine(
    schema: Record<string, unknown>,
    dialect: Dialect,
    unresolvedRefs: readonly string[],
  ): EngineSchema {
    if (this.engine === 'compiled') {
      try {
        this.compiledEngine ??= new AjvEngine();
        return this.compiledEngine.compile(schema, dialect);
      } catch (error) {
        // Code generation refused after all (a policy the probe did not trip): interpret from now on.
        if (!(error instanceof EvalError) || this.requested === 'compiled') throw error;
        this.chosen = 'interpreted';
      }
    }
    // The interpreted engine resolves references only when it meets them, mid-validation.
    if (unresolvedRefs.length > 0) {
      throw new Error(`can't resolve reference ${JSON.stringify(unresolvedRefs[0]?.slice(0, 100))}`);
    }
    this.interpretedEngine ??= new InterpretedEngine();
    return this.interpretedEngine.compile(schema, dialect);
  }
}

/**
 * Runs an engine. A stack overflow that arguments nested absurdly deep caused is a problem with
 * the arguments; any other failure is rethrown, for the caller to treat the schema as broken.
 */
function guarded(engineSchema: EngineSchema, value: unknown): ValidationResult {
  try {
    return engineSchema.validate(value);
  } catch (error) {
    if (
      error instanceof RangeError &&
      nestingDepth(value, MAX_CHECKED_ARGUMENT_DEPTH) > MAX_CHECKED_ARGUMENT_DEPTH
    ) {
      const issue: ArgumentIssue = {
        path: [],
        pathText: '(arguments)',
        message: `are nested more than ${MAX_CHECKED_ARGUMENT_DEPTH} levels deep: too deep to check`,
        keyword: 'depth',
      };
      return { valid: false, issues: [issue] };
    }
    throw error;
  }
}

/** How deeply `value` nests arrays and objects, counting no further than `limit + 1`. */
function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) pending.push({ value: child, depth: depth + 1 });
  }
  return deepest;
}

function uncompilable(dialect: Dialect, compileError: string): CacheEntry {
  return { engineSchema: undefined, compiled: { dialect, compileError, validate: () => ({ valid: true }) } };
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
  return usesTupleItems(schema) ? 'draft-07' : '2020-12';
}

/** Draft-07 tuples (`items: [...]`, `additionalItems`) mean something else in 2020-12. */
function usesTupleItems(schema: Record<string, unknown>): boolean {
  const pending: { node: unknown; depth: number }[] = [{ node: schema, depth: 0 }];
  while (pending.length > 0) {
    const { node, depth } = pending.pop()!;
    if (depth > 64 || typeof node !== 'object' || node === null) continue;
    if (!Array.isArray(node)) {
      const record = node as Record<string, unknown>;
      if (Array.isArray(record.items) || 'additionalItems' in record) return true;
    }
    for (const child of Object.values(node)) pending.push({ node: child, depth: depth + 1 });
  }
  return false;
}
