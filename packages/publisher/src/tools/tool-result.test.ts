import { describe, expect, it } from 'vitest';
import {
  fromLangChainContent,
  MAX_ERROR_MESSAGE_CHARS,
  serializationError,
  toCallToolResult,
  toErrorResult,
  UnserializableResultError,
} from './tool-result.js';

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
    const result = toErrorResult(error, 'save');
    expect(result).toEqual({ content: [{ type: 'text', text: 'disk full' }], isError: true });
    expect(JSON.stringify(result)).not.toContain('at ');
    expect(toErrorResult({ weird: true }, 'save').content).toEqual([
      { type: 'text', text: 'Tool "save" failed without an error message.' },
    ]);
    expect(toErrorResult({ message: 'plain object' }, 'save').content).toEqual([
      { type: 'text', text: 'plain object' },
    ]);
  });

  it('reads thrown values defensively and caps long messages', () => {
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    expect(toErrorResult(throwing, 'x').content).toEqual([
      { type: 'text', text: 'Tool "x" failed without an error message.' },
    ]);
    const long = toErrorResult(new Error('y'.repeat(100_000)), 'x').content[0] as { text: string };
    expect(long.text.length).toBeLessThan(MAX_ERROR_MESSAGE_CHARS + 100);
    expect(long.text).toMatch(/truncated, 92,000 more characters/);
  });

  it('refuses to map a value that cannot be serialized, and finds one inside a result', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => toCallToolResult(loop, false)).toThrow(UnserializableResultError);
    expect(serializationError({ content: [], structuredContent: { n: 1n } })).toBeInstanceOf(TypeError);
    expect(serializationError({ content: [{ type: 'text', text: 'ok' }] })).toBeUndefined();
  });
});
