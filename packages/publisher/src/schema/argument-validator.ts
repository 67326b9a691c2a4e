/**
 * Builds the argument check that runs before a tool's `execute`. A schema that can validate
 * itself (Standard Schema: zod, Valibot, ArkType; the AI SDK's `validate`) does so, so the tool
 * receives the parsed value (defaults, transforms); anything else is checked against its
 * published JSON Schema with core's draft-07 / 2020-12 validator. Either way failures come back
 * as issues with a path into the arguments.
 */
import { type ArgumentIssue, formatArgumentPath, JSONSchemaValidator } from '@toolwire/core';
import { isAISDKSchema, isObject, standardProps } from './schema-kinds.js';

export type ArgumentCheck =
  | { valid: true; value: Record<string, unknown> }
  /** `issueCount`: how many issues there were in all, when `issues` lists only the first ones. */
  | { valid: false; issues: ArgumentIssue[]; issueCount?: number | undefined };

export type ArgumentValidator = (args: Record<string, unknown>) => Promise<ArgumentCheck>;

const sharedValidator = new JSONSchemaValidator();

/** Returns the validator for a tool whose original schema is `schema` and published schema is `jsonSchema`. */
export function createArgumentValidator(
  schema: unknown,
  jsonSchema: Record<string, unknown>,
): ArgumentValidator {
  const resolved = typeof schema === 'function' && !standardProps(schema) ? safeCall(schema) : schema;
  const standard = standardProps(resolved);
  if (standard?.validate) {
    const validate = standard.validate;
    return async (args) => {
      const result = await validate(args);
      if (result.issues === undefined) return { valid: true, value: asRecord(result.value, args) };
      return { valid: false, issues: result.issues.map(fromStandardIssue) };
    };
  }
  if (isAISDKSchema(resolved) && resolved.validate) {
    // The AI SDK's error carries no paths; the JSON Schema check below names them first.
    const validate = resolved.validate;
    const jsonCheck = jsonSchemaCheck(jsonSchema);
    return async (args) => {
      const first = await jsonCheck(args);
      if (!first.valid) return first;
      const result = await validate(args);
      if (result.success) return { valid: true, value: asRecord(result.value, args) };
      return {
        valid: false,
        issues: [{ path: [], pathText: '(arguments)', message: result.error.message, keyword: 'validate' }],
      };
    };
  }
  return jsonSchemaCheck(jsonSchema);
}

function jsonSchemaCheck(jsonSchema: Record<string, unknown>): ArgumentValidator {
  const compiled = sharedValidator.compile(jsonSchema);
  return async (args) => {
    const result = compiled.validate(args);
    if (result.valid) return { valid: true, value: args };
    // Core keeps the first issues and counts the rest: the count reaches the model too.
    return { valid: false, issues: result.issues, issueCount: result.issueCount };
  };
}

function fromStandardIssue(issue: { message: string; path?: readonly unknown[] | undefined }): ArgumentIssue {
  const path = (issue.path ?? []).map((segment) => {
    const key = isObject(segment) && 'key' in segment ? segment.key : segment;
    return typeof key === 'number' ? key : String(key);
  });
  return { path, pathText: formatArgumentPath(path), message: issue.message, keyword: 'schema' };
}

function asRecord(value: unknown, fallback: Record<string, unknown>): Record<string, unknown> {
  return isObject(value) ? value : fallback;
}

function safeCall(factory: unknown): unknown {
  try {
    return (factory as () => unknown)();
  } catch {
    return undefined;
  }
}
