/**
 * The arguments of `toolwire call`, as users of other CLIs expect to give them: `key=value`
 * pairs, a JSON object, or `-` for a JSON object on stdin, in any mix (later ones win). A value
 * stays a string where the tool's schema wants a string there; elsewhere it is read as JSON when
 * it is valid JSON (`count=3`, `tags='["a"]'`, `strict=true`), else kept as the string typed.
 */
import { UsageError } from '../commands/usage-error.js';

/** Where `-` reads from: the process's stdin in the executable. */
export type StdinSource = AsyncIterable<string | Uint8Array>;

export interface ToolArgumentsInput {
  tokens: readonly string[];
  /** The tool's input schema, when the registry knows the tool (decides string or JSON). */
  inputSchema?: unknown;
  /** What stdin held, when a token is `-` (see `readStdinArgument`). */
  stdinText?: string | undefined;
}

/** Reads stdin once when a token is `-` (at most one may be), else returns undefined. */
export async function readStdinArgument(
  tokens: readonly string[],
  stdin: StdinSource | undefined,
): Promise<string | undefined> {
  const dashes = tokens.filter((token) => token === '-').length;
  if (dashes === 0) return undefined;
  if (dashes > 1) throw new UsageError('"-" (read the arguments from stdin) may appear only once.');
  if (!stdin) throw new UsageError('"-" reads the arguments from stdin, but there is no stdin here.');
  return await readAll(stdin);
}

export function parseToolArguments(input: ToolArgumentsInput): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const token of input.tokens) {
    if (token === '-') {
      Object.assign(result, jsonObject(input.stdinText ?? '', 'stdin'));
    } else if (token.trimStart().startsWith('{') || token.trim() === '') {
      Object.assign(result, jsonObject(token, 'the JSON argument'));
    } else {
      const equals = token.indexOf('=');
      if (equals <= 0) {
        throw new UsageError(
          `Cannot read the argument "${token}": give key=value pairs (message=hi), a JSON object ('{"message":"hi"}') or - for stdin.`,
        );
      }
      const key = token.slice(0, equals);
      result[key] = valueFor(token.slice(equals + 1), propertySchema(input.inputSchema, key));
    }
  }
  return result;
}

function jsonObject(text: string, source: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `Arguments must be a JSON object, e.g. '{"message":"hi"}' (or key=value pairs); ${source} is not: ${(error as Error).message}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(
      `Arguments must be a JSON object, e.g. '{"message":"hi"}'; ${source} is ${Array.isArray(value) ? 'an array' : typeof value}`,
    );
  }
  return value as Record<string, unknown>;
}

function valueFor(text: string, schema: unknown): unknown {
  if (wantsOnlyString(schema)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function propertySchema(schema: unknown, key: string): unknown {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const properties = (schema as { properties?: unknown }).properties;
  if (typeof properties !== 'object' || properties === null) return undefined;
  return Object.hasOwn(properties, key) ? (properties as Record<string, unknown>)[key] : undefined;
}

/** True when the schema allows strings and nothing JSON would parse a typed value into. */
function wantsOnlyString(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return false;
  const { type, enum: choices } = schema as { type?: unknown; enum?: unknown };
  if (type === 'string') return true;
  if (Array.isArray(type))
    return type.includes('string') && type.every((item) => item === 'string' || item === 'null');
  return (
    Array.isArray(choices) && choices.length > 0 && choices.every((choice) => typeof choice === 'string')
  );
}

async function readAll(stdin: StdinSource): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stdin)
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}
