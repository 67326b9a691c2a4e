/**
 * `isPlainLegacyMessage` may only skip the SDK's classifier where the SDK would route the request
 * to the 2025-era path anyway: every body it accepts is checked against `isLegacyRequest` itself,
 * and bodies the SDK routes elsewhere (or answers with an error) must not be accepted.
 */
import { isLegacyRequest } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { isPlainLegacyMessage } from './legacy-message.js';

const post = (version: string | null) =>
  new Request('http://localhost/mcp', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(version === null ? {} : { 'mcp-protocol-version': version }),
    },
  });

const accepted: Array<[string, unknown, string | null]> = [
  [
    'tools/call',
    { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: {} } },
    '2025-11-25',
  ],
  ['tools/list without a header', { jsonrpc: '2.0', id: 'a', method: 'tools/list' }, null],
  ['ping on 2025-06-18', { jsonrpc: '2.0', id: 7, method: 'ping' }, '2025-06-18'],
  [
    'initialize',
    { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25' } },
    null,
  ],
  ['a notification', { jsonrpc: '2.0', method: 'notifications/initialized' }, '2025-03-26'],
];

const refused: Array<[string, unknown, string | null]> = [
  ['a modern header', { jsonrpc: '2.0', id: 1, method: 'tools/list' }, '2026-07-28'],
  ['an unknown header', { jsonrpc: '2.0', id: 1, method: 'tools/list' }, 'not-a-version'],
  ['a header with spaces', { jsonrpc: '2.0', id: 1, method: 'tools/list' }, ' 2025-11-25'],
  ['_meta in params', { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: {} } }, null],
  [
    'an envelope claim',
    {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/list',
      params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } },
    },
    null,
  ],
  ['a batch', [{ jsonrpc: '2.0', id: 1, method: 'ping' }], null],
  ['a response', { jsonrpc: '2.0', id: 1, result: {} }, null],
  ['a wrong jsonrpc', { jsonrpc: '1.0', id: 1, method: 'ping' }, null],
  ['an object id', { jsonrpc: '2.0', id: {}, method: 'ping' }, null],
  ['a fractional id', { jsonrpc: '2.0', id: 1.5, method: 'ping' }, null],
  ['an extra key', { jsonrpc: '2.0', id: 1, method: 'ping', extra: true }, null],
  ['array params', { jsonrpc: '2.0', id: 1, method: 'ping', params: [] }, null],
  ['no method', { jsonrpc: '2.0', id: 1 }, null],
  ['not an object', 'ping', null],
];

describe('isPlainLegacyMessage', () => {
  it.each(accepted)(
    'accepts %s, which the SDK routes to the 2025-era path too',
    async (_name, body, version) => {
      expect(isPlainLegacyMessage(body, version)).toBe(true);
      expect(await isLegacyRequest(post(version), body)).toBe(true);
    },
  );

  it.each(refused)('leaves %s to the SDK', (_name, body, version) => {
    expect(isPlainLegacyMessage(body, version)).toBe(false);
  });

  it('a modern header makes the SDK route the same body elsewhere, so it is never skipped', async () => {
    const body = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    expect(await isLegacyRequest(post('2026-07-28'), body)).toBe(false);
    expect(isPlainLegacyMessage(body, '2026-07-28')).toBe(false);
  });
});
