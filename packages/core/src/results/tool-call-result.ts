/**
 * One normalized shape for every tool result, whatever the server's protocol era: content
 * blocks as sent, `structuredContent` when present, `isError` always a boolean, plus the text
 * blocks joined for callers that only want text.
 */
import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/client';

export interface ToolCallResult {
  content: ContentBlock[];
  /** The tool's structured result (validated by the SDK against `outputSchema` when the tool declares one). */
  structuredContent: Record<string, unknown> | undefined;
  /** True when the tool reported a failure (the call itself succeeded). */
  isError: boolean;
  /** All text blocks joined by newlines; `''` when there are none. */
  text: string;
  /** The result's `_meta`, when the server sent one. */
  meta: Record<string, unknown> | undefined;
  /** Registry tool name, server name and the tool's name on its server. */
  tool: string;
  server: string;
  serverToolName: string;
  durationMs: number;
}

interface RawResult {
  content?: unknown;
  structuredContent?: unknown;
  isError?: unknown;
  toolResult?: unknown;
  _meta?: unknown;
}

export function normalizeToolResult(
  raw: CallToolResult | RawResult,
  identity: { tool: string; server: string; serverToolName: string; durationMs: number },
): ToolCallResult {
  const result = raw as RawResult;
  let content: ContentBlock[] = Array.isArray(result.content) ? (result.content as ContentBlock[]) : [];
  // 2024-11-05 servers may answer with `toolResult` instead of content blocks.
  if (content.length === 0 && result.toolResult !== undefined) {
    const value = result.toolResult;
    content = [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value) }];
  }
  const structuredContent =
    typeof result.structuredContent === 'object' && result.structuredContent !== null
      ? (result.structuredContent as Record<string, unknown>)
      : undefined;
  return {
    content,
    structuredContent,
    isError: result.isError === true,
    text: joinedText(content),
    meta:
      typeof result._meta === 'object' && result._meta !== null
        ? (result._meta as Record<string, unknown>)
        : undefined,
    tool: identity.tool,
    server: identity.server,
    serverToolName: identity.serverToolName,
    durationMs: identity.durationMs,
  };
}

/**
 * The text blocks joined by newlines, as `filter`, `map` and `join` would give them, without
 * their three arrays: every call's result goes through here, and most hold one text block.
 */
function joinedText(content: ContentBlock[]): string {
  let text: string | undefined;
  for (const block of content) {
    if (block.type !== 'text') continue;
    const piece = String((block as { text?: unknown }).text ?? '');
    text = text === undefined ? piece : `${text}\n${piece}`;
  }
  return text ?? '';
}
