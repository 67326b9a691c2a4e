/**
 * Turns a registry `ToolCallResult` into what a LangChain `ToolMessage` carries: the content the
 * model sees (plain text when the tool answered only in text, LangChain standard content blocks
 * otherwise) and the artifact the application keeps (the whole normalized result).
 */

import type { ContentBlock } from '@langchain/core/messages';
import type { ToolCallResult } from '@toolwire/core';

/** The artifact of every toolwire `ToolMessage`: the registry's normalized result, unchanged. */
export type ToolwireArtifact = ToolCallResult;

/** What the model sees: a string, or LangChain standard content blocks when there is media. */
export type ToolMessageContent = string | ContentBlock[];

/** One MCP content block, as the registry hands it out. */
export type MCPContentBlock = ToolCallResult['content'][number];
type MCPResourceContents = Extract<MCPContentBlock, { type: 'resource' }>['resource'];

/** Shown to the model when a tool returned neither content nor structured content. */
export const EMPTY_RESULT_TEXT = '(the tool returned no content)';

/**
 * Maps a result to `[content, artifact]` for `responseFormat: 'content_and_artifact'`.
 *
 * - text blocks → text; when every block maps to text, the content is one string
 * - image / audio → standard `image` / `audio` blocks (`data` + `mimeType`)
 * - embedded resources: text → text; binary → `image`/`audio`/`file` block by MIME type
 * - resource links → a text line naming the link (the link itself stays in the artifact)
 * - `structuredContent` and no text block → its JSON as the text the model sees
 */
export function toContentAndArtifact(result: ToolCallResult): [ToolMessageContent, ToolwireArtifact] {
  const structured =
    result.structuredContent === undefined ? undefined : JSON.stringify(result.structuredContent);
  if (result.content.length === 0) return [structured ?? EMPTY_RESULT_TEXT, result];
  const content = toMessageContent(result.content);
  // No text among the blocks (only media, say): the structured result is the text the model reads.
  if (result.text !== '' || structured === undefined) return [content, result];
  if (typeof content === 'string') return [content === '' ? structured : `${content}\n${structured}`, result];
  return [[...content, { type: 'text', text: structured }], result];
}

/**
 * MCP content blocks (of a tool result or a prompt message) as LangChain message content: one
 * string when every block is text, standard content blocks otherwise.
 */
export function toMessageContent(blocks: readonly MCPContentBlock[]): ToolMessageContent {
  // The usual answer, text blocks only: the same string, without building blocks to read back.
  if (blocks.every((block) => block.type === 'text')) {
    const [only] = blocks;
    return blocks.length === 1 && only ? only.text : blocks.map((block) => block.text).join('\n');
  }
  const mapped = blocks.flatMap(mapBlock);
  if (mapped.every((block) => block.type === 'text')) {
    return mapped.map((block) => (block as ContentBlock.Text).text).join('\n');
  }
  return mapped;
}

function mapBlock(block: MCPContentBlock): ContentBlock[] {
  switch (block.type) {
    case 'text':
      return [{ type: 'text', text: block.text }];
    case 'image':
      return [{ type: 'image', data: block.data, mimeType: block.mimeType }];
    case 'audio':
      return [{ type: 'audio', data: block.data, mimeType: block.mimeType }];
    case 'resource':
      return [mapEmbeddedResource(block.resource)];
    case 'resource_link': {
      const details = [block.mimeType, block.description].filter(Boolean).join(', ');
      const label = block.title ?? block.name;
      return [
        { type: 'text', text: `[resource link] ${label}: ${block.uri}${details ? ` (${details})` : ''}` },
      ];
    }
    default: {
      // A block type from a newer protocol revision: show it rather than drop it.
      return [{ type: 'text', text: JSON.stringify(block) }];
    }
  }
}

function mapEmbeddedResource(resource: MCPResourceContents): ContentBlock {
  const metadata = { uri: resource.uri };
  if ('text' in resource && typeof resource.text === 'string') {
    return { type: 'text', text: resource.text };
  }
  const data = 'blob' in resource && typeof resource.blob === 'string' ? resource.blob : '';
  const mimeType = resource.mimeType ?? 'application/octet-stream';
  if (mimeType.startsWith('image/')) return { type: 'image', data, mimeType, metadata };
  if (mimeType.startsWith('audio/')) return { type: 'audio', data, mimeType, metadata };
  return { type: 'file', data, mimeType, metadata };
}
