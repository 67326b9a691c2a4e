/**
 * Recognises, without a schema, the commonest tool result: text blocks and nothing else,
 * `{ content: [{ type: "text", text }…], isError? }`. Every era's `CallToolResult` schema accepts
 * exactly such a result as it is (a text block needs nothing more; `isError` is a boolean), so
 * parsing it is work without an outcome; anything else (other blocks, annotations, `_meta`,
 * `structuredContent`, other keys) still goes through the schema of the negotiated era.
 */
import type { CallToolResult } from '@modelcontextprotocol/client';

const RESULT_KEYS = new Set(['content', 'isError']);

/** True when `value` is a result of text blocks only, which the schema would return unchanged. */
export function isPlainTextResult(value: unknown): value is CallToolResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const result = value as { content?: unknown; isError?: unknown };
  for (const key in result) if (!RESULT_KEYS.has(key)) return false;
  if (result.isError !== undefined && typeof result.isError !== 'boolean') return false;
  if (!Array.isArray(result.content)) return false;
  for (const block of result.content as unknown[]) {
    if (typeof block !== 'object' || block === null) return false;
    const text = block as { type?: unknown; text?: unknown };
    if (text.type !== 'text' || typeof text.text !== 'string') return false;
    let keys = 0;
    for (const _key in text) keys++;
    if (keys !== 2) return false;
  }
  return true;
}
