import { describe, expect, it } from 'vitest';
import { fromLangChainContent, toCallToolResult, toErrorResult } from './tool-result.js';

describe('tool results', () => {
  it('maps strings, results, JSON values and nothing', () => {
    expect(toCallToolResult('hi', false)).toEqual({ content: [{ type: 'text', text: 'hi' }] });
    const ready = { content: [{ type: 'image', data: 'AA==', mimeType: 'image/png' }] };
    expect(toCallToolResult(ready, false)).toBe(ready);
    expect(toCallToolResult({ sum: 3 }, true)).toEqual({
      content: [{ type: 'text', text: '{"sum":3}' }],
      structuredContent: { sum: 3 },
    });
    expect(toCallToolResult({ sum: 3 }, false).structuredContent).toBeUndefined();
    expect(toCallToolResult(undefined, false)).toEqual({ content: [] });
    expect(toCallToolResult({ big: 10n }, false).content).toEqual([{ type: 'text', text: '{"big":"10"}' }]);
  });

  it('maps LangChain content blocks', () => {
    expect(fromLangChainContent([{ type: 'text', text: 'a' }, 'b', { type: 'other', x: 1 }])).toEqual({
      content: [
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b' },
        { type: 'text', text: '{"type":"other","x":1}' },
      ],
    });
  });

  it('error results carry the message only, never the stack', () => {
    const error = new Error('disk full');
    const result = toErrorResult(error);
    expect(result).toEqual({ content: [{ type: 'text', text: 'disk full' }], isError: true });
    expect(JSON.stringify(result)).not.toContain('at ');
    expect(toErrorResult({ weird: true }).content).toEqual([
      { type: 'text', text: 'The tool failed without a message.' },
    ]);
  });
});
