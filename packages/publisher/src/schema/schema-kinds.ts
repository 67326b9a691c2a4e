/**
 * Duck-typed recognition of the schema flavours tools arrive with: raw JSON Schema, Standard
 * Schema (zod v4, ArkType, Valibot…), Standard JSON Schema, zod v3, and the AI SDK's
 * `jsonSchema()` wrapper. No schema library is imported: the publisher must work when none of
 * them is installed.
 */

/** The Standard Schema `~standard` props we use (validation and, when present, JSON Schema). */
export interface StandardProps {
  version: number;
  vendor: string;
  validate?: (value: unknown) => StandardResult | Promise<StandardResult>;
  jsonSchema?: {
    input: (options: { target: string }) => Record<string, unknown>;
  };
}

export type StandardResult =
  | { value: unknown; issues?: undefined }
  | { issues: readonly { message: string; path?: readonly unknown[] | undefined }[] };

/** The AI SDK's `Schema` (from `jsonSchema()` / `zodSchema()`), marked by a global symbol. */
export interface AISDKSchemaLike {
  jsonSchema: Record<string, unknown> | PromiseLike<Record<string, unknown>>;
  validate?: (
    value: unknown,
  ) =>
    | { success: true; value: unknown }
    | { success: false; error: Error }
    | PromiseLike<{ success: true; value: unknown } | { success: false; error: Error }>;
}

const aiSchemaSymbol = Symbol.for('vercel.ai.schema');

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function standardProps(value: unknown): StandardProps | undefined {
  if ((!isObject(value) && typeof value !== 'function') || value === null) return undefined;
  const props = (value as { '~standard'?: unknown })['~standard'];
  return isObject(props) && typeof props.vendor === 'string'
    ? (props as unknown as StandardProps)
    : undefined;
}

export function isAISDKSchema(value: unknown): value is AISDKSchemaLike {
  return isObject(value) && (value as Record<symbol, unknown>)[aiSchemaSymbol] === true;
}

/** zod v3 schemas have `_def` and `safeParse` but no `_zod` (zod v4 internals). */
export function isZod3(value: unknown): boolean {
  return isObject(value) && '_def' in value && !('_zod' in value) && typeof value.safeParse === 'function';
}

/** zod v4 (classic or mini): carries `_zod`. */
export function isZod4(value: unknown): boolean {
  return isObject(value) && '_zod' in value;
}

/** A plain JSON Schema object (not a schema-library instance). */
export function isRawJSONSchema(value: unknown): value is Record<string, unknown> {
  if (!isObject(value) || standardProps(value) || isAISDKSchema(value) || '_def' in value || '_zod' in value)
    return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
