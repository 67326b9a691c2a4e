/**
 * Turns whatever a tool returned into an MCP `CallToolResult`, and a thrown error into an
 * `isError` result that carries the message only (stacks and causes stay on the server). Thrown
 * values are read defensively: a message getter may throw, a tool may throw a non-Error, and a
 * message may be megabytes long.
 */
import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/server';
import { isObject } from '../schema/schema-kinds.js';
import { limitText } from '../util/limit-text.js';

/** Longest error message passed on to the client. */
export const MAX_ERROR_MESSAGE_CHARS = 8_000;

const contentTypes = new Set(['text', 'image', 'audio', 'resource', 'resource_link']);

/** True for a value that already is a `CallToolResult` (`{ content: [blocks…] }`). */
export function isCallToolResult(value: unknown): value is CallToolResult {
  return (
    isObject(value) &&
    Array.isArray(value.content) &&
    value.content.every(
      (block) => isObject(block) && typeof block.type === 'string' && contentTypes.has(block.type),
    )
  );
}

/** Maps a tool's return value; `structured` asks for `structuredContent` (the tool has an output schema). */
export function toCallToolResult(value: unknown, structured: boolean): CallToolResult {
  if (isCallToolResult(value)) return value;
  if (typeof value === 'string') return { content: [{ type: 'text', text: value }] };
  if (value === undefined || value === null) return { content: [] };
  const text = safeStringify(value);
  const result: CallToolResult = { content: [{ type: 'text', text }] };
  if (structured && isObject(value)) result.structuredContent = value;
  return result;
}

/** Maps LangChain's message content (string or content blocks) onto MCP content blocks. */
export function fromLangChainContent(value: unknown): CallToolResult {
  if (typeof value === 'string') return { content: [{ type: 'text', text: value }] };
  if (Array.isArray(value)) {
    const content: ContentBlock[] = [];
    for (const block of value) {
      if (typeof block === 'string') content.push({ type: 'text', text: block });
      else if (isObject(block) && block.type === 'text' && typeof block.text === 'string')
        content.push({ type: 'text', text: block.text });
      else if (
        isObject(block) &&
        block.type === 'image' &&
        typeof block.data === 'string' &&
        typeof block.mimeType === 'string'
      )
        content.push({ type: 'image', data: block.data, mimeType: block.mimeType });
      else content.push({ type: 'text', text: safeStringify(block) });
    }
    return { content };
  }
  // A ToolMessage (when a tool returns one) carries its content.
  if (
    isObject(value) &&
    'content' in value &&
    !Array.isArray(value.content) &&
    typeof value.content === 'string'
  )
    return { content: [{ type: 'text', text: value.content }] };
  return toCallToolResult(value, false);
}

/** The `isError` result for a thrown error: its message (capped), nothing else. */
export function toErrorResult(error: unknown, toolName: string): CallToolResult {
  const message = readMessage(error);
  const text =
    message === undefined
      ? `Tool "${toolName}" failed without an error message.`
      : limitText(message, MAX_ERROR_MESSAGE_CHARS);
  return { content: [{ type: 'text', text }], isError: true };
}

/** An `isError` result with a message the publisher wrote itself. */
export function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/**
 * The message of a thrown value, or `undefined` when it has none that can be read safely: only
 * strings are taken, and any getter that throws (or a Proxy that does) counts as no message.
 */
function readMessage(error: unknown): string | undefined {
  try {
    if (typeof error === 'string') return error || undefined;
    if (typeof error !== 'object' || error === null) return undefined;
    const message: unknown = (error as { message?: unknown }).message;
    if (typeof message === 'string' && message !== '') return message;
    if (!(error instanceof Error)) return undefined;
    const name: unknown = error.name;
    return typeof name === 'string' && name !== '' ? name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks that a result can be written as JSON (a BigInt, a circular reference or a throwing
 * `toJSON` anywhere in it cannot); returns the serializer's error when it cannot.
 */
export function serializationError(result: CallToolResult): Error | undefined {
  try {
    JSON.stringify(result);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error('The value could not be serialized.');
  }
}

/** Thrown while mapping a return value that cannot be written as JSON (circular, throwing `toJSON`). */
export class UnserializableResultError extends Error {
  override name = 'UnserializableResultError';
}

/** JSON text for a returned value; BigInts are written as strings (text only, never structured content). */
function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? item.toString() : item)) ?? '';
  } catch (error) {
    throw new UnserializableResultError('The returned value cannot be serialized to JSON.', { cause: error });
  }
}
