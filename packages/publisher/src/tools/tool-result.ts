/**
 * Turns whatever a tool returned into an MCP `CallToolResult`, and a thrown error into an
 * `isError` result that carries the message only (stacks and causes stay on the server).
 */
import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/server';
import { isObject } from '../schema/schema-kinds.js';

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

/** The `isError` result for a thrown error: its message, nothing else. */
export function toErrorResult(error: unknown): CallToolResult {
  const message =
    error instanceof Error
      ? error.message || error.name
      : typeof error === 'string'
        ? error
        : 'The tool failed without a message.';
  return { content: [{ type: 'text', text: message }], isError: true };
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? item.toString() : item)) ?? '';
  } catch {
    return String(value);
  }
}
