/** Unit tests of the result mapping: what the model sees for each kind of MCP content. */
import type { ToolCallResult } from '@toolwire/core';
import { describe, expect, it } from 'vitest';
import { EMPTY_RESULT_TEXT, toContentAndArtifact } from './map-result.js';

function result(fields: Partial<ToolCallResult>): ToolCallResult {
  const content = fields.content ?? [];
  return {
    content,
    structuredContent: undefined,
    isError: false,
    // As core computes it: the text blocks joined.
    text: content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n'),
    meta: undefined,
    tool: 'server__tool',
    server: 'server',
    serverToolName: 'tool',
    durationMs: 1,
    ...fields,
  };
}

describe('toContentAndArtifact', () => {
  it('joins text-only results into one string and keeps the whole result as the artifact', () => {
    const input = result({
      content: [
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b' },
      ],
      structuredContent: { n: 1 },
    });
    const [content, artifact] = toContentAndArtifact(input);
    expect(content).toBe('a\nb');
    expect(artifact).toBe(input);
  });

  it('shows structured content as JSON only when the tool gave no text', () => {
    expect(toContentAndArtifact(result({ structuredContent: { city: 'Oslo' } }))[0]).toBe('{"city":"Oslo"}');
    expect(toContentAndArtifact(result({}))[0]).toBe(EMPTY_RESULT_TEXT);
    const image = { type: 'image' as const, data: 'aW1n', mimeType: 'image/png' };
    expect(toContentAndArtifact(result({ content: [image], structuredContent: { n: 1 } }))[0]).toEqual([
      { type: 'image', data: 'aW1n', mimeType: 'image/png' },
      { type: 'text', text: '{"n":1}' },
    ]);
    const text = { type: 'text' as const, text: 'n is 1' };
    expect(toContentAndArtifact(result({ content: [text], structuredContent: { n: 1 } }))[0]).toBe('n is 1');
  });

  it('maps media, embedded resources and links to standard content blocks', () => {
    const [content] = toContentAndArtifact(
      result({
        content: [
          { type: 'text', text: 'see' },
          { type: 'image', data: 'aW1n', mimeType: 'image/png' },
          { type: 'audio', data: 'YXVk', mimeType: 'audio/wav' },
          { type: 'resource', resource: { uri: 'mem://a', mimeType: 'text/plain', text: 'inline' } },
          { type: 'resource', resource: { uri: 'mem://b', mimeType: 'image/jpeg', blob: 'anBn' } },
          { type: 'resource', resource: { uri: 'mem://c', blob: 'YmlO' } },
          { type: 'resource_link', uri: 'mem://d', name: 'd', mimeType: 'text/csv', description: 'rows' },
        ],
      }),
    );
    expect(content).toEqual([
      { type: 'text', text: 'see' },
      { type: 'image', data: 'aW1n', mimeType: 'image/png' },
      { type: 'audio', data: 'YXVk', mimeType: 'audio/wav' },
      { type: 'text', text: 'inline' },
      { type: 'image', data: 'anBn', mimeType: 'image/jpeg', metadata: { uri: 'mem://b' } },
      { type: 'file', data: 'YmlO', mimeType: 'application/octet-stream', metadata: { uri: 'mem://c' } },
      { type: 'text', text: '[resource link] d: mem://d (text/csv, rows)' },
    ]);
  });
});
