/**
 * The registry's one path for checking a tool's arguments (calls, `validateArguments`,
 * `checkArguments`) and, through `forSDK()`, the SDK's check of a result's `structuredContent`
 * against the tool's `outputSchema`: the validator (built-in or yours), and what happens when a
 * schema cannot be used. A schema that cannot compile, or a validator that throws, validates nothing (the
 * server still validates) and is reported once as a warning, never as an error on every call.
 */
import type { jsonSchemaValidator, Tool } from '@modelcontextprotocol/client';
import { ConfigError } from '../errors/config-error.js';
import type { ArgumentIssue } from '../errors/invalid-arguments-error.js';
import { JSONSchemaValidator, type ValidationEngine } from '../schema/json-schema-validator.js';
import type { CompiledSchema, SchemaValidator, ValidationResult } from '../schema/schema-types.js';
import { excerpt } from '../util/bounded-text.js';
import type { JSONSchemaObject } from './registry-types.js';

/** How tool arguments are validated (`createRegistry({ validation })`). */
export interface ValidationOptions {
  /**
   * Your own validator (any object with `compile(schema)` returning `{ validate, compileError }`).
   * Default: a `JSONSchemaValidator` built from `engine` and `cacheSize`.
   */
  validator?: SchemaValidator | undefined;
  /**
   * `'auto'` (default): the compiled engine (Ajv) where the runtime allows code generation,
   * else the interpreted one (`@cfworker/json-schema`), so validation is never skipped on
   * Cloudflare Workers, Vercel Edge or under `--disallow-code-generation-from-strings`.
   */
  engine?: ValidationEngine | undefined;
  /** Compiled schemas kept (least recently used dropped first). Default 1,000. */
  cacheSize?: number | undefined;
}

const ARGUMENTS_NOT_OBJECT: ArgumentIssue = {
  path: [],
  pathText: '(arguments)',
  message: 'must be an object',
  keyword: 'type',
};

export class ArgumentValidation {
  private readonly validator: SchemaValidator;
  /** Input schemas already reported as unusable (warned once each). */
  private readonly reported = new WeakSet<object>();
  /** Input schemas whose checker threw: skipped from then on. */
  private readonly broken = new WeakSet<object>();

  private readonly warn: (message: string, server: string) => void;

  constructor(options: ValidationOptions | undefined, warn: (message: string, server: string) => void) {
    this.warn = warn;
    if (options?.validator !== undefined) {
      if (typeof options.validator?.compile !== 'function') {
        throw new ConfigError({
          issues: [
            { path: 'validation.validator', message: 'expected an object with a compile(schema) method' },
          ],
        });
      }
      this.validator = options.validator;
      return;
    }
    try {
      this.validator = new JSONSchemaValidator({ engine: options?.engine, cacheSize: options?.cacheSize });
    } catch (error) {
      throw new ConfigError({ issues: [{ path: 'validation', message: (error as Error).message }] });
    }
  }

  /** Checks `args` against `tool`'s input schema (`name` is the registry name, for messages). */
  validate(name: string, server: string, tool: Tool, args: unknown): ValidationResult {
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      return { valid: false, issues: [ARGUMENTS_NOT_OBJECT] };
    }
    const schema = tool.inputSchema as JSONSchemaObject;
    if (this.broken.has(schema)) return { valid: true };
    let compiled: CompiledSchema;
    try {
      compiled = this.validator.compile(schema);
      if (compiled.compileError === undefined) return compiled.validate(args);
    } catch (error) {
      this.broken.add(schema);
      const reason = error instanceof RangeError ? 'checking it overflowed the stack' : String(error);
      this.reportOnce(schema, name, server, `its input schema cannot be used: ${reason}`);
      return { valid: true };
    }
    this.reportOnce(schema, name, server, `its input schema cannot be compiled: ${compiled.compileError}`);
    return { valid: true };
  }

  /**
   * The same validator in the SDK's shape, for the client's check of `structuredContent` against
   * a tool's `outputSchema`: a server writes both, so a catastrophic pattern there must run on
   * the same linear-time engine as input patterns, and an output schema that cannot be used
   * checks nothing (the SDK's own Ajv would run the pattern with the backtracking `RegExp`).
   */
  forSDK(): jsonSchemaValidator {
    return {
      getValidator: <T>(schema: unknown) => {
        let compiled: CompiledSchema | undefined;
        try {
          compiled = this.validator.compile(schema as JSONSchemaObject);
        } catch {
          compiled = undefined;
        }
        const usable = compiled?.compileError === undefined ? compiled : undefined;
        return (input: unknown) => {
          let result: ValidationResult = { valid: true };
          try {
            if (usable) result = usable.validate(input);
          } catch {
            result = { valid: true };
          }
          if (result.valid) return { valid: true as const, data: input as T, errorMessage: undefined };
          const shown = result.issues
            .slice(0, 5)
            .map((issue) => `${issue.pathText}: ${issue.message}`)
            .join('; ');
          const more = result.issues.length > 5 ? ` (and ${result.issues.length - 5} more)` : '';
          return { valid: false as const, data: undefined, errorMessage: excerpt(`${shown}${more}`, 1_000) };
        };
      },
    };
  }

  private reportOnce(schema: object, name: string, server: string, problem: string): void {
    if (this.reported.has(schema)) return;
    this.reported.add(schema);
    this.warn(
      `arguments of tool "${name}" are not checked before calls (the server still checks them): ${excerpt(problem, 500)}`,
      server,
    );
  }
}
