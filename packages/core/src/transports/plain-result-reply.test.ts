import { parseJSONRPCMessage } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { plainResultReply } from './plain-result-reply.js';

/** The SDK's verdict: its parse of the message, or `undefined` when it refuses it. */
function sdkParse(value: unknown): unknown {
  try {
    return parseJSONRPCMessage(value);
  } catch {
    return undefined;
  }
}

const plain = [
  { jsonrpc: '2.0', id: 1, result: {} },
  { jsonrpc: '2.0', id: 'a-1', result: { content: [{ type: 'text', text: 'hi' }] } },
  {
    jsonrpc: '2.0',
    id: 0,
    result: { tools: [{ name: 'x', inputSchema: { type: 'object' } }], extra: [1, 2] },
  },
];

const notPlain: unknown[] = [
  { jsonrpc: '2.0', id: 1, result: { _meta: { progressToken: 1 } } }, // `_meta` has a schema of its own
  { jsonrpc: '2.0', id: 1.5, result: {} }, // not an integer id: the schema refuses it
  { jsonrpc: '2.0', id: null, result: {} },
  { jsonrpc: '1.0', id: 1, result: {} },
  { jsonrpc: '2.0', id: 1, result: [] },
  { jsonrpc: '2.0', id: 1, result: 42 },
  { jsonrpc: '2.0', id: 1, result: {}, error: { code: 1, message: 'x' } },
  { jsonrpc: '2.0', id: 1, result: {}, extra: true }, // the envelope is strict
  { jsonrpc: '2.0', id: 1, method: 'ping' },
  { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } },
  { jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'Method not found' } },
  null,
  'text',
];

describe('plainResultReply', () => {
  it('accepts only replies the SDK parse accepts, and returns what it would', () => {
    for (const message of plain) {
      expect(plainResultReply(message), JSON.stringify(message)).toBe(message);
      expect(sdkParse(message), JSON.stringify(message)).toEqual(message);
    }
  });

  it('leaves everything else to the SDK parse', () => {
    for (const message of notPlain)
      expect(plainResultReply(message), JSON.stringify(message)).toBeUndefined();
  });
});
