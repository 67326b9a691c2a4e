/**
 * MCP content as the AI SDK's message parts (`TextPart`, `FilePart`), for prompt messages and
 * resource contents the app puts into a conversation. Text stays text; images, audio and binary
 * resources become file parts with their base64 data (the same shape on `ai@6` and `ai@7`);
 * textual blobs are decoded to text. Resource links stay text: a file part with a server-chosen
 * URL would make the SDK download it.
 */
import type { FilePart, TextPart } from 'ai';
import { decodeUTF8, fileName, isTextual } from './binary-content.js';
import type { MCPContentBlock } from './tool-output.js';

/** A part of a user or assistant message made from MCP content. */
export type MCPMessagePart = TextPart | FilePart;

/** One item of a `resources/read` result. */
export interface MCPResourceContents {
  uri: string;
  mimeType?: string | undefined;
  text?: string | undefined;
  blob?: string | undefined;
}

/** An MCP content block (from a prompt message) as a message part. */
export function contentBlockToPart(block: MCPContentBlock): MCPMessagePart {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'image':
    case 'audio':
      return { type: 'file', data: block.data, mediaType: block.mimeType };
    case 'resource':
      return resourceContentsToPart(block.resource as MCPResourceContents);
    case 'resource_link':
      return { type: 'text', text: resourceLinkText(block) };
    default:
      return { type: 'text', text: JSON.stringify(block) };
  }
}

/**
 * A resource's contents as a message part: text under a line naming its URI (so the model can
 * tell several resources apart), or a file part for binary data.
 */
export function resourceContentsToPart(contents: MCPResourceContents): MCPMessagePart {
  const kind = contents.mimeType ? ` (${contents.mimeType})` : '';
  if (typeof contents.blob === 'string') {
    const mediaType = contents.mimeType ?? 'application/octet-stream';
    const decoded = isTextual(mediaType) ? decodeUTF8(contents.blob) : undefined;
    if (decoded !== undefined) return { type: 'text', text: `Resource ${contents.uri}${kind}:\n${decoded}` };
    const filename = fileName(contents.uri);
    return { type: 'file', data: contents.blob, mediaType, ...(filename ? { filename } : {}) };
  }
  return { type: 'text', text: `Resource ${contents.uri}${kind}:\n${contents.text ?? ''}` };
}

/** How a `resource_link` block reads as text: its URI, then its title or name, type and description. */
export function resourceLinkText(link: {
  uri: string;
  name?: string | undefined;
  title?: string | undefined;
  mimeType?: string | undefined;
  description?: string | undefined;
}): string {
  const details = [
    link.title ?? link.name,
    link.mimeType ? `type ${link.mimeType}` : undefined,
    link.description,
  ].filter((detail): detail is string => typeof detail === 'string' && detail !== '');
  return `Resource link ${link.uri}: ${details.join('; ')}`;
}
