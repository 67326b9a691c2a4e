/**
 * The shapes shared by the schema folder and its users: a JSON Schema, its dialect, a compiled
 * schema and its verdict, and `SchemaValidator`, what the registry's `validation.validator`
 * option accepts. No engine lives here.
 */
import type { ArgumentIssue } from '../errors/invalid-arguments-error.js';

export type JSONSchema = Record<string, unknown> | boolean;

export type Dialect = 'draft-07' | '2019-09' | '2020-12';

/**
 * The verdict on one set of arguments. `issues` lists the first problems found; `issueCount`,
 * when set, says how many there were in all.
 */
export type ValidationResult =
  | { valid: true }
  | { valid: false; issues: ArgumentIssue[]; issueCount?: number | undefined };

/**
 * A compiled schema. `compileError` is set when the schema cannot be compiled (it is broken,
 * refers to itself without end, is too large or too deep, or uses a pattern the linear-time
 * engine cannot run): `validate` then accepts everything and the server validates.
 */
export interface CompiledSchema {
  dialect: Dialect;
  validate(value: unknown): ValidationResult;
  compileError: string | undefined;
}

/**
 * Turns a tool's input schema into a checker. The registry uses `JSONSchemaValidator` unless
 * you pass your own in `createRegistry({ validation: { validator } })`. `compile` is called on
 * each call with the tool's schema object, so cache by object (the built-in one does, bounded).
 */
export interface SchemaValidator {
  compile(schema: JSONSchema): CompiledSchema;
}
