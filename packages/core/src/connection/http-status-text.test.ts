import { SseError } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { describeHttpStatus, httpStatusOf } from './http-status-text.js';

describe('describeHttpStatus', () => {
  it('names the status, where, and the likely fix', () => {
    expect(describeHttpStatus(404, 'https://mcp.example.com/mcp')).toBe(
      'HTTP 404 Not Found at https://mcp.example.com/mcp: is the URL right?',
    );
    expect(describeHttpStatus(405, 'https://x/')).toContain('is this the MCP endpoint');
    expect(describeHttpStatus(503, 'https://x/mcp')).toBe(
      'HTTP 503 Service Unavailable at https://x/mcp: the server failed on its side; its logs say why',
    );
    expect(describeHttpStatus(418, 'https://x/mcp')).toBe('HTTP 418 at https://x/mcp');
  });
});

describe('httpStatusOf', () => {
  it('reads the status of SDK HTTP errors and of the legacy SSE transport’s errors', () => {
    expect(httpStatusOf(new SseError(404, 'Non-200 status code (404)', undefined as never))).toBe(404);
    expect(httpStatusOf({ status: 502 })).toBe(502);
    expect(httpStatusOf({ data: { status: 401 } })).toBe(401);
  });

  it('ignores codes that are not HTTP statuses', () => {
    expect(httpStatusOf(Object.assign(new Error('boom'), { code: 404 }))).toBeUndefined();
    expect(httpStatusOf(Object.assign(new Error('SSE error: x'), { code: 'ECONNRESET' }))).toBeUndefined();
    expect(httpStatusOf(undefined)).toBeUndefined();
  });
});
