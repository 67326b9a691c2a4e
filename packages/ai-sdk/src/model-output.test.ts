/** Unit tests of the MCP result → model output mapping, for both content-part styles. */
import { describe, expect, it } from 'vitest';
import { mcpOutputToModelOutput, structuredOutputToModelOutput } from './model-output.js';
import type { MCPToolOutput } from './tool-output.js';

const png = 'iVBORw0KGgo=';
const text = (value: string) => ({ type: 'text' as const, text: value });

function output(content: MCPToolOutput['content'], extra: Partial<MCPToolOutput> = {}): MCPToolOutput {
  return { content, isError: false, ...extra };
}

describe('mcpOutputToModelOutput', () => {
  it('joins text-only results into one text output', () => {
    expect(mcpOutputToModelOutput(output([text('a'), text('b')]), 'file')).toEqual({
      type: 'text',
      value: 'a\nb',
    });
    expect(mcpOutputToModelOutput(output([]), 'file')).toEqual({ type: 'text', value: '' });
  });

  it('sends structured content once, as JSON, when the text only repeats it', () => {
    const result = output([text('{"t":1}')], { structuredContent: { t: 1 } });
    expect(mcpOutputToModelOutput(result, 'file')).toEqual({ type: 'json', value: { t: 1 } });
  });

  it('returns isError results as an error result, with the text or the structured content', () => {
    expect(mcpOutputToModelOutput(output([text('boom')], { isError: true }), 'file')).toEqual({
      type: 'error-text',
      value: 'boom',
    });
    expect(
      mcpOutputToModelOutput(output([], { isError: true, structuredContent: { reason: 'quota' } }), 'file'),
    ).toEqual({ type: 'error-text', value: '{"reason":"quota"}' });
    expect(mcpOutputToModelOutput(output([], { isError: true }), 'file')).toEqual({
      type: 'error-text',
      value: 'The tool reported an error without a message.',
    });
  });

  it('maps images, audio, binary resources and links to ai@7 parts', () => {
    const result = output(
      [
        text('look'),
        { type: 'image', data: png, mimeType: 'image/png' },
        { type: 'audio', data: 'UklGRg==', mimeType: 'audio/wav' },
        {
          type: 'resource',
          resource: { uri: 'file:///tmp/report.pdf?v=2', mimeType: 'application/pdf', blob: 'JVBERg==' },
        },
        {
          type: 'resource',
          resource: { uri: 'file:///notes.md', mimeType: 'text/markdown', text: '# Notes' },
        },
        {
          type: 'resource',
          resource: {
            uri: 'mem://greeting',
            mimeType: 'text/plain',
            blob: Buffer.from('héllo').toString('base64'),
          },
        },
        {
          type: 'resource_link',
          uri: 'https://example.com/a.csv',
          name: 'a.csv',
          mimeType: 'text/csv',
          description: 'rows',
        },
      ],
      { structuredContent: { rows: 2 } },
    );
    expect(mcpOutputToModelOutput(result, 'file')).toEqual({
      type: 'content',
      value: [
        { type: 'text', text: 'look' },
        { type: 'file', mediaType: 'image/png', data: { type: 'data', data: png } },
        { type: 'file', mediaType: 'audio/wav', data: { type: 'data', data: 'UklGRg==' } },
        {
          type: 'file',
          mediaType: 'application/pdf',
          data: { type: 'data', data: 'JVBERg==' },
          filename: 'report.pdf',
        },
        { type: 'text', text: 'Resource file:///notes.md (text/markdown):\n# Notes' },
        { type: 'text', text: 'Resource mem://greeting (text/plain):\nhéllo' },
        { type: 'text', text: 'Resource link https://example.com/a.csv: a.csv; type text/csv; rows' },
        { type: 'text', text: '{"rows":2}' },
      ],
    });
  });

  it('maps the same blocks to ai@6 parts', () => {
    const result = output([
      { type: 'image', data: png, mimeType: 'image/png' },
      { type: 'audio', data: 'UklGRg==', mimeType: 'audio/wav' },
      { type: 'resource', resource: { uri: 'x:/shot.jpg', mimeType: 'image/jpeg', blob: png } },
      { type: 'resource', resource: { uri: 'x:/data.bin', blob: 'AAE=' } },
    ]);
    expect(mcpOutputToModelOutput(result, 'legacy')).toEqual({
      type: 'content',
      value: [
        { type: 'image-data', data: png, mediaType: 'image/png' },
        { type: 'file-data', data: 'UklGRg==', mediaType: 'audio/wav' },
        { type: 'image-data', data: png, mediaType: 'image/jpeg' },
        { type: 'file-data', data: 'AAE=', mediaType: 'application/octet-stream', filename: 'data.bin' },
      ],
    });
  });

  it('keeps a blob that is not valid text as a file', () => {
    const invalidUTF8 = btoa(String.fromCharCode(0xff, 0xfe, 0xfd));
    const result = output([
      { type: 'resource', resource: { uri: 'x:/odd.txt', mimeType: 'text/plain', blob: invalidUTF8 } },
    ]);
    expect(mcpOutputToModelOutput(result, 'file')).toEqual({
      type: 'content',
      value: [
        {
          type: 'file',
          mediaType: 'text/plain',
          data: { type: 'data', data: invalidUTF8 },
          filename: 'odd.txt',
        },
      ],
    });
  });

  it('passes unknown block types on as JSON text', () => {
    const odd = { type: 'hologram', frames: 3 } as unknown as MCPToolOutput['content'][number];
    expect(
      mcpOutputToModelOutput(output([odd, { type: 'image', data: png, mimeType: 'image/png' }]), 'file'),
    ).toMatchObject({
      type: 'content',
      value: [{ type: 'text', text: '{"type":"hologram","frames":3}' }, { type: 'file' }],
    });
  });

  it('handles preliminary progress and foreign values without throwing', () => {
    expect(mcpOutputToModelOutput({ status: 'progress', progress: 2, total: 5 }, 'file')).toEqual({
      type: 'text',
      value: 'progress 2/5',
    });
    expect(mcpOutputToModelOutput('plain', 'file')).toEqual({ type: 'json', value: 'plain' });
    expect(mcpOutputToModelOutput(undefined, 'file')).toEqual({ type: 'json', value: null });
  });
});

describe('structuredOutputToModelOutput', () => {
  it('sends a typed result as JSON', () => {
    expect(structuredOutputToModelOutput({ temperature: 20 })).toEqual({
      type: 'json',
      value: { temperature: 20 },
    });
  });
});
