/**
 * The response size limit end to end: an upstream publisher on loopback returns results of the
 * size asked for (text, and an embedded resource), a gateway with `policy.maxResultBytes` serves
 * them to an SDK v2 client. A result over the limit is replaced by a `RESULT_TOO_LARGE` error
 * result naming the tool and the size, and none of it reaches the client; one under passes whole.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, defineTool, type Publisher } from '../../publisher/src/index.js';
import {
  createGateway,
  GATEWAY_ERROR_META_KEY,
  type Gateway,
  type GatewayAuditRecord,
} from '../src/index.js';

const LIMIT = 2_000;
let upstream: Publisher;
let gateway: Gateway;
let client: Client;
const audit: GatewayAuditRecord[] = [];

beforeAll(async () => {
  const sized = { type: 'object', properties: { size: { type: 'integer' } }, required: ['size'] };
  upstream = createPublisher({
    name: 'sizes',
    version: '1.0.0',
    onError: () => {},
    tools: [
      defineTool({
        name: 'report',
        description: 'A text report of `size` characters (2 UTF-8 bytes each).',
        inputSchema: sized,
        execute: ({ size }) => 'é'.repeat(size as number),
      }),
      defineTool({
        name: 'attachment',
        description: 'An embedded resource of `size` characters.',
        inputSchema: sized,
        execute: ({ size }) => ({
          content: [
            { type: 'text', text: 'see attached' },
            {
              type: 'resource',
              resource: {
                uri: 'file:///report.txt',
                mimeType: 'text/plain',
                text: 'r'.repeat(size as number),
              },
            },
          ],
        }),
      }),
    ],
  });
  const { url } = await upstream.listen();
  gateway = await createGateway({
    upstreams: { servers: { sizes: { url, type: 'http' } }, cache: 'memory', logger: silentLogger },
    upstreamSessions: 'shared',
    policy: { maxResultBytes: LIMIT, onAudit: (record) => audit.push(record) },
    publisher: { onError: () => {} },
  });
  client = new Client({ name: 'gateway-response-limits', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL((await gateway.listen()).url)));
});

afterAll(async () => {
  await client?.close().catch(() => {});
  await gateway?.close();
  await upstream?.close({ drainMs: 100 });
});

const textOf = (result: Awaited<ReturnType<Client['callTool']>>) =>
  (result.content as { type: string; text?: string }[]).map((block) => block.text ?? '').join('\n');

describe('policy.maxResultBytes', () => {
  it('forwards a result under the limit whole', async () => {
    const result = await client.callTool({ name: 'sizes__report', arguments: { size: 500 } });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('é'.repeat(500));
  });

  it('replaces a result over the limit (counted in UTF-8 bytes) by a RESULT_TOO_LARGE error naming tool and size', async () => {
    // 1,100 characters of 2 bytes each: under the limit in characters, over it in bytes.
    const result = await client.callTool({ name: 'sizes__report', arguments: { size: 1_100 } });
    expect(result.isError).toBe(true);
    const text = textOf(result);
    expect(text).toMatch(
      /^The result of "sizes__report" is \d+ bytes, over the gateway's policy\.maxResultBytes \(2000\)/,
    );
    expect(text).not.toContain('é');
    expect((result._meta as Record<string, unknown>)[GATEWAY_ERROR_META_KEY]).toMatchObject({
      code: 'RESULT_TOO_LARGE',
      maxResultBytes: LIMIT,
    });
    expect(audit.at(-1)).toMatchObject({
      tool: 'sizes__report',
      outcome: 'denied',
      errorCode: 'RESULT_TOO_LARGE',
    });
  });

  it('counts embedded resources too', async () => {
    const small = await client.callTool({ name: 'sizes__attachment', arguments: { size: 100 } });
    expect(small.isError).toBeFalsy();
    expect(JSON.stringify(small.content)).toContain('r'.repeat(100));
    const big = await client.callTool({ name: 'sizes__attachment', arguments: { size: 5_000 } });
    expect(big.isError).toBe(true);
    expect(textOf(big)).toContain('The result of "sizes__attachment" is');
    expect(JSON.stringify(big)).not.toContain('rrrr');
  });

  it('is checked at start', async () => {
    const failure = createGateway({
      upstreams: { servers: {}, cache: 'memory', logger: silentLogger },
      policy: { maxResultBytes: -1 },
    });
    await expect(failure).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(failure).rejects.toThrow('policy.maxResultBytes must be a whole number of bytes');
  });
});
