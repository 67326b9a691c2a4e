/**
 * What a client gets when a call cannot produce a normal result, with the official SDK clients
 * v2 (both protocol eras) and v1, and raw `fetch` where the bytes matter:
 * - invalid arguments are a tool execution error (`isError: true`, SEP-1303) naming each failing
 *   path, capped however large the input; unknown tools and malformed requests stay JSON-RPC errors;
 * - a result that cannot be serialized (BigInt, circular, a throwing `toJSON`) is an `isError`
 *   result, and the operator's `onError` hears about it;
 * - a thrown error's message is read defensively (throwing getter, non-Error values, huge messages).
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolwireError } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPublisher, defineTool, type ListeningPublisher, type Publisher } from '../src/index.js';
import { answerMessages } from './support/raw-mcp.js';

let publisher: Publisher;
let listening: ListeningPublisher;
const reported: Error[] = [];
let executions = 0;

const orderSchema = {
  type: 'object',
  properties: {
    customer: { type: 'string', minLength: 1 },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } },
        required: ['sku', 'qty'],
      },
    },
  },
  required: ['customer', 'lines'],
} as const;

function circular(): Record<string, unknown> {
  const value: Record<string, unknown> = { name: 'loop' };
  value.self = value;
  return value;
}

beforeAll(async () => {
  publisher = createPublisher({
    name: 'tool-errors',
    version: '1.0.0',
    tools: [
      defineTool({
        name: 'order',
        description: 'Places an order (JSON Schema).',
        inputSchema: orderSchema,
        execute: () => {
          executions++;
          return 'ordered';
        },
      }),
      defineTool({
        name: 'greet',
        description: 'Greets (zod).',
        inputSchema: z.object({ name: z.string(), times: z.number().int().min(1) }),
        execute: ({ name }) => {
          executions++;
          return `Hello, ${name}`;
        },
      }),
      defineTool({
        name: 'big_number',
        description: 'Returns a BigInt as structured content.',
        outputSchema: z.object({ value: z.unknown() }),
        execute: () => ({ value: 10n ** 30n }),
      }),
      defineTool({
        name: 'loop',
        description: 'Returns a circular value.',
        execute: () => circular(),
      }),
      defineTool({
        name: 'bad_json',
        description: 'Returns a result whose toJSON throws.',
        execute: () => ({
          content: [{ type: 'text', text: 'fine' }],
          _meta: {
            bad: {
              toJSON() {
                throw new Error('secret-internal-detail');
              },
            },
          },
        }),
      }),
      defineTool({
        name: 'throws_getter',
        description: 'Throws an error whose message getter throws.',
        execute: () => {
          const error = new Error('unused');
          Object.defineProperty(error, 'message', {
            get() {
              throw new Error('getter-internal-detail');
            },
          });
          throw error;
        },
      }),
      defineTool({
        name: 'throws_object',
        description: 'Throws a plain object.',
        execute: () => {
          throw { code: 42, detail: 'not an Error' };
        },
      }),
      defineTool({
        name: 'fragile_schema',
        description: 'Has an input schema whose check throws.',
        inputSchema: z.object({ text: z.string() }).refine(() => {
          throw new Error('refine-internal-detail');
        }),
        execute: () => 'never',
      }),
      defineTool({
        name: 'throws_huge',
        description: 'Throws an error with a huge message.',
        execute: () => {
          throw new Error(`boom ${'x'.repeat(1_000_000)}`);
        },
      }),
    ],
    onError: (error) => reported.push(error),
  });
  listening = await publisher.listen();
});

afterAll(async () => {
  await publisher?.close({ drainMs: 100 });
});

async function connect(era: 'legacy' | '2026-07-28'): Promise<Client> {
  const client = new Client(
    { name: 'tool-errors', version: '1.0.0' },
    { versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: '2026-07-28' } } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(listening.url)));
  return client;
}

function textOf(result: unknown): string {
  return (((result as { content?: unknown }).content ?? []) as { type: string; text?: string }[])
    .map((block) => block.text ?? '')
    .join('\n');
}

describe('invalid arguments are tool execution errors (SEP-1303)', () => {
  for (const era of ['legacy', '2026-07-28'] as const) {
    it(`on the ${era} era: isError naming each path; the tool does not run`, async () => {
      const client = await connect(era);
      const before = executions;
      const result = await client.callTool({
        name: 'order',
        arguments: { customer: '', lines: [{ sku: 'a', qty: 0 }, { qty: 2 }] },
      });
      expect(result.isError).toBe(true);
      const text = textOf(result);
      expect(text).toContain('Invalid arguments for tool "order"');
      expect(text).toContain('customer');
      expect(text).toContain('lines[0].qty');
      expect(text).toContain('lines[1]');
      const zod = await client.callTool({ name: 'greet', arguments: { name: 7, times: 0 } });
      expect(zod.isError).toBe(true);
      expect(textOf(zod)).toMatch(/name: .*\n.*times: /s);
      expect(executions).toBe(before);

      // Protocol-level problems stay JSON-RPC errors.
      const unknown = await client
        .callTool({ name: 'no_such_tool', arguments: {} })
        .catch((error: unknown) => error);
      expect((unknown as { code?: number }).code).toBe(-32602);
      await client.close();
    });
  }

  it('SDK v1 (@modelcontextprotocol/sdk) reads the same isError result', async () => {
    const client = new ClientV1({ name: 'v1', version: '1.0.0' });
    await client.connect(new TransportV1(new URL(listening.url)));
    const result = await client.callTool({ name: 'order', arguments: { customer: 'ACME', lines: 'none' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('lines: must be array');
    await client.close();
  });

  it('caps the issues listed and bounds the whole response, however large the input', async () => {
    // ~800 KB of arguments (under the 1 MiB body limit): 35,000 items with two issues each.
    const lines = Array.from({ length: 35_000 }, () => ({ sku: 1, qty: 'x' }));
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'order', arguments: { customer: 'ACME', lines } },
    });
    expect(body.length).toBeGreaterThan(700_000);
    const client = await connect('legacy');
    const sessionId = (client.transport as StreamableHTTPClientTransport).sessionId as string;
    const response = await fetch(listening.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-11-25',
      },
      body,
    });
    const raw = await response.text();
    expect(raw.length).toBeLessThan(16_000);
    const data = (answerMessages(raw) as { id?: number; result?: { isError?: boolean } }[]).find(
      (message) => message.id === 7,
    );
    expect(data?.result?.isError).toBe(true);
    const text = textOf(data?.result);
    expect(text).toContain('lines[0].sku');
    expect(text).toContain('…and 69,990 more issues.');
    await client.close();
  });
});

describe('results that cannot be serialized', () => {
  it('BigInt, circular values and a throwing toJSON become isError results; onError hears about it', async () => {
    const client = await connect('legacy');
    reported.length = 0;
    for (const name of ['big_number', 'loop', 'bad_json']) {
      const result = await client.callTool({ name, arguments: {} }, { timeout: 10_000 });
      expect(result.isError, name).toBe(true);
      const text = textOf(result);
      expect(text).toContain(`Tool "${name}" returned a result that cannot be sent as JSON`);
      expect(text).not.toContain('secret-internal-detail');
    }
    expect(reported.map((error) => (error as ToolwireError).tool)).toEqual([
      'big_number',
      'loop',
      'bad_json',
    ]);
    expect(reported.every((error) => ToolwireError.isInstance(error) && error.code === 'TOOL_ERROR')).toBe(
      true,
    );
    await client.close();
  });

  it('on the 2026-07-28 era too', async () => {
    const client = await connect('2026-07-28');
    const result = await client.callTool({ name: 'big_number', arguments: {} }, { timeout: 10_000 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('cannot be sent as JSON');
    await client.close();
  });
});

describe('thrown errors are read defensively', () => {
  it('a throwing message getter, a thrown plain object, a schema check that throws, a huge message', async () => {
    const client = await connect('legacy');
    const getter = await client.callTool({ name: 'throws_getter', arguments: {} });
    expect(getter.isError).toBe(true);
    expect(textOf(getter)).not.toContain('getter-internal-detail');
    expect(textOf(getter)).toContain('throws_getter');

    const thrown = await client.callTool({ name: 'throws_object', arguments: {} });
    expect(thrown.isError).toBe(true);
    expect(textOf(thrown)).toBe('Tool "throws_object" failed without an error message.');

    reported.length = 0;
    const fragile = await client.callTool({ name: 'fragile_schema', arguments: { text: 'x' } });
    expect(fragile.isError).toBe(true);
    expect(textOf(fragile)).toBe('The arguments for tool "fragile_schema" could not be checked.');
    expect(reported.map((error) => (error as ToolwireError).tool)).toEqual(['fragile_schema']);

    const huge = await client.callTool({ name: 'throws_huge', arguments: {} });
    expect(huge.isError).toBe(true);
    const text = textOf(huge);
    expect(text.startsWith('boom xxx')).toBe(true);
    expect(text.length).toBeLessThan(10_000);
    expect(text).toMatch(/truncated/);
    await client.close();
  });
});
