import { describe, expect, it } from 'vitest';
import { normalizeToolResult } from './tool-call-result.js';

const identity = { tool: 'srv__echo', server: 'srv', serverToolName: 'echo', durationMs: 3 };

describe('normalizeToolResult', () => {
  it('joins the text blocks by newlines, skipping other blocks', () => {
    const result = normalizeToolResult(
      {
        content: [
          { type: 'text', text: 'one' },
          { type: 'image', data: 'AA==', mimeType: 'image/png' },
          { type: 'text', text: '' },
          { type: 'text', text: 'three' },
        ],
      },
      identity,
    );
    expect(result.text).toBe('one\n\nthree');
    expect(normalizeToolResult({ content: [{ type: 'text', text: 'only' }] }, identity).text).toBe('only');
    expect(normalizeToolResult({ content: [] }, identity).text).toBe('');
    expect(
      normalizeToolResult({ content: [{ type: 'image', data: 'AA==', mimeType: 'image/png' }] }, identity)
        .text,
    ).toBe('');
  });

  it('carries the identity and normalizes the rest', () => {
    expect(
      normalizeToolResult({ content: [{ type: 'text', text: 'hi' }], isError: 1 } as never, identity),
    ).toEqual({
      content: [{ type: 'text', text: 'hi' }],
      structuredContent: undefined,
      isError: false,
      text: 'hi',
      meta: undefined,
      ...identity,
    });
    expect(normalizeToolResult({ toolResult: { a: 1 } } as never, identity).text).toBe('{"a":1}');
  });
});
