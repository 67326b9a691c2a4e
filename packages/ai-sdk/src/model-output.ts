/**
 * Maps an MCP tool result to what the model sees (`toModelOutput`): text (and embedded text
 * resources) stays text, images, audio and binary resources become file parts, structured results go as JSON,
 * and `isError` results go as an error result (`error-text`) instead of a normal one. Resource
 * links become text: turning a server-chosen URL into a file part would make the SDK download it.
 */
import type { Tool } from 'ai';
import type { ContentPartStyle } from './ai-version.js';
import { decodeUTF8, fileName, isTextual } from './binary-content.js';
import { resourceLinkText } from './message-parts.js';
import { isMCPToolProgress, type MCPContentBlock, type MCPToolOutput } from './tool-output.js';

/** The AI SDK's `ToolResultOutput`, taken from the installed `ai` (its parts differ between majors). */
export type ModelOutput = Awaited<ReturnType<NonNullable<Tool['toModelOutput']>>>;

type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'file'; mediaType: string; data: { type: 'data'; data: string }; filename?: string }
  | { type: 'image-data'; data: string; mediaType: string }
  | { type: 'file-data'; data: string; mediaType: string; filename?: string };

/** Converts the output of an untyped tool (the MCP result) for the model. */
export function mcpOutputToModelOutput(output: unknown, style: ContentPartStyle): ModelOutput {
  if (isMCPToolProgress(output)) {
    return asModelOutput({ type: 'text', value: `progress ${output.progress}/${output.total ?? '?'}` });
  }
  if (!isMCPToolOutput(output)) {
    return asModelOutput({ type: 'json', value: toJSONValue(output) });
  }
  const { content, structuredContent, isError } = output;
  if (isError) {
    return asModelOutput({ type: 'error-text', value: errorText(output) });
  }
  const onlyText = content.every((block) => block.type === 'text');
  if (onlyText) {
    // Per the MCP spec the text blocks of a structured result repeat it serialized: send the data once.
    if (structuredContent !== undefined) return asModelOutput({ type: 'json', value: structuredContent });
    return asModelOutput({ type: 'text', value: content.map((block) => textOf(block)).join('\n') });
  }
  const parts = content.map((block) => toContentPart(block, style));
  if (structuredContent !== undefined) parts.push({ type: 'text', text: JSON.stringify(structuredContent) });
  return asModelOutput({ type: 'content', value: parts });
}

/** Converts the output of a typed tool (its validated structured result) for the model. */
export function structuredOutputToModelOutput(output: unknown): ModelOutput {
  return asModelOutput({ type: 'json', value: toJSONValue(output) });
}

function toContentPart(block: MCPContentBlock, style: ContentPartStyle): ContentPart {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'image':
      return style === 'file'
        ? { type: 'file', mediaType: block.mimeType, data: { type: 'data', data: block.data } }
        : { type: 'image-data', data: block.data, mediaType: block.mimeType };
    case 'audio':
      return binaryPart(block.data, block.mimeType, undefined, style);
    case 'resource': {
      const resource = block.resource;
      const kind = resource.mimeType ? ` (${resource.mimeType})` : '';
      if ('blob' in resource && typeof resource.blob === 'string') {
        const mediaType = resource.mimeType ?? 'application/octet-stream';
        // Text sent as a blob reads better (and works with more providers) as text.
        const decoded = isTextual(mediaType) ? decodeUTF8(resource.blob) : undefined;
        if (decoded !== undefined)
          return { type: 'text', text: `Resource ${resource.uri}${kind}:\n${decoded}` };
        return binaryPart(resource.blob, mediaType, fileName(resource.uri), style);
      }
      const text = 'text' in resource && typeof resource.text === 'string' ? resource.text : '';
      return { type: 'text', text: `Resource ${resource.uri}${kind}:\n${text}` };
    }
    case 'resource_link':
      return { type: 'text', text: resourceLinkText(block) };
    default:
      return { type: 'text', text: JSON.stringify(block) };
  }
}

function binaryPart(
  data: string,
  mediaType: string,
  filename: string | undefined,
  style: ContentPartStyle,
): ContentPart {
  if (style === 'file') {
    return { type: 'file', mediaType, data: { type: 'data', data }, ...(filename ? { filename } : {}) };
  }
  if (mediaType.startsWith('image/')) return { type: 'image-data', data, mediaType };
  return { type: 'file-data', data, mediaType, ...(filename ? { filename } : {}) };
}

function errorText(output: MCPToolOutput): string {
  const texts = output.content.map((block) => textOf(block)).filter((text) => text !== '');
  if (texts.length > 0) return texts.join('\n');
  if (output.structuredContent !== undefined) return JSON.stringify(output.structuredContent);
  return 'The tool reported an error without a message.';
}

function textOf(block: MCPContentBlock): string {
  return block.type === 'text' ? block.text : JSON.stringify(block);
}

function isMCPToolOutput(value: unknown): value is MCPToolOutput {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { content?: unknown }).content) &&
    typeof (value as { isError?: unknown }).isError === 'boolean'
  );
}

function toJSONValue(value: unknown): unknown {
  return value === undefined ? null : value;
}

function asModelOutput(value: unknown): ModelOutput {
  return value as ModelOutput;
}
