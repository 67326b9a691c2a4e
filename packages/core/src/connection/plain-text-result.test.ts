import { Client } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { isPlainTextResult } from './plain-text-result.js';

type Outcome = { ok: true; value: unknown } | { ok: false };

/** The 2025-era codec's check of a `tools/call` result (what the SDK client runs on each one). */
function sdkValidate(value: unknown): Outcome {
  // Before a version is negotiated a client resolves the 2025-era codec, the direct path's.
  const client = new Client({ name: 'plain-text-result', version: '1.0.0' }) as unknown as {
    _resolveOutboundCodec(method: string): { validateResult(method: string, raw: unknown): Outcome };
  };
  return client._resolveOutboundCodec('tools/call').validateResult('tools/call', value);
}

const plain = [
  { content: [] },
  { content: [{ type: 'text', text: 'one' }] },
  {
    content: [
      { type: 'text', text: '' },
      { type: 'text', text: 'two' },
    ],
    isError: false,
  },
  { content: [{ type: 'text', text: 'failed' }], isError: true },
];

const notPlain: unknown[] = [
  { content: [{ type: 'text' }] }, // no text: the schema refuses it
  { content: [{ type: 'text', text: 1 }] },
  { content: [{ type: 'text', text: 'x', annotations: { priority: 2 } }] }, // annotations have rules
  { content: [{ type: 'text', text: 'x', extra: 1 }] }, // the schema would strip the key
  { content: [{ type: 'image', data: 'AAAA', mimeType: 'image/png' }] },
  { content: [null] },
  { content: 'text' },
  { content: [{ type: 'text', text: 'x' }], isError: 'yes' },
  { content: [{ type: 'text', text: 'x' }], structuredContent: { a: 1 } },
  { content: [{ type: 'text', text: 'x' }], _meta: {} },
  { toolResult: 'legacy' },
  {},
  [],
  null,
];

describe('isPlainTextResult', () => {
  it('accepts only results the SDK schema accepts unchanged', () => {
    for (const result of plain) {
      expect(isPlainTextResult(result), JSON.stringify(result)).toBe(true);
      expect(sdkValidate(result), JSON.stringify(result)).toEqual({ ok: true, value: result });
    }
  });

  it('leaves every other result to the schema', () => {
    for (const result of notPlain) expect(isPlainTextResult(result), JSON.stringify(result)).toBe(false);
  });
});
