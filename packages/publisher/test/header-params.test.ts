/**
 * SEP-2243 header parameters: a tool argument marked `x-mcp-header` (raw JSON Schema or zod
 * `.meta()`) is published as such; on 2026-07-28 a call whose `Mcp-Param-*` header is missing,
 * disagrees with the body, or is badly encoded is refused with HTTP 400 and JSON-RPC -32020
 * before the tool runs; the SDK v2 client and @toolwire/core mirror the headers and get through.
 * Declarations clients would reject fail at start-up, naming the tool and the property.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createRegistry, silentLogger, ToolwireError } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPublisher, defineTool, type ListeningPublisher, type Publisher } from '../src/index.js';
import { modernCall, modernRequest } from './support/modern-mcp.js';
import { callRequest, openSession, post } from './support/raw-mcp.js';

let publisher: Publisher;
let listening: ListeningPublisher;
const ran: string[] = [];

beforeAll(async () => {
  publisher = createPublisher({
    name: 'header-params',
    version: '1.0.0',
    tools: [
      defineTool({
        name: 'execute_sql',
        description: 'Runs a query in a region.',
        inputSchema: {
          type: 'object',
          properties: {
            region: { type: 'string', 'x-mcp-header': 'Region' },
            replicas: { type: 'integer', 'x-mcp-header': 'Replicas' },
            options: {
              type: 'object',
              properties: { dryRun: { type: 'boolean', 'x-mcp-header': 'Dry-Run' } },
            },
            query: { type: 'string' },
          },
          required: ['region', 'query'],
        },
        execute: (args) => {
          ran.push(String(args.region));
          return `ran in ${String(args.region)}`;
        },
      }),
      defineTool({
        name: 'tenant_report',
        description: 'A report for a tenant (zod, header from .meta()).',
        inputSchema: z.object({ tenant: z.string().meta({ 'x-mcp-header': 'Tenant' }) }),
        execute: ({ tenant }) => `report for ${tenant}`,
      }),
    ],
    onError: () => {},
  });
  listening = await publisher.listen();
});

afterAll(async () => {
  await publisher?.close({ drainMs: 200 });
});

const sql = (args: Record<string, unknown>, headers: Record<string, string | null>) =>
  modernCall(listening.url, 'execute_sql', { query: 'select 1', ...args }, {}, { headers });

function expectMismatch(answer: { status: number; body: { error?: { code: number } } }): void {
  expect(answer.status).toBe(400);
  expect(answer.body.error?.code).toBe(-32020);
}

describe('x-mcp-header parameters', () => {
  it('are published as declared, from raw JSON Schema and zod', async () => {
    const listed = await modernRequest(listening.url, 'tools/list', {});
    type Listed = { name: string; inputSchema: { properties: Record<string, Record<string, unknown>> } };
    const tools = (listed.body.result?.tools ?? []) as Listed[];
    const property = (tool: string, name: string) =>
      tools.find((candidate) => candidate.name === tool)?.inputSchema.properties[name];
    expect(property('execute_sql', 'region')?.['x-mcp-header']).toBe('Region');
    expect(property('tenant_report', 'tenant')?.['x-mcp-header']).toBe('Tenant');
  });

  it('accept a call whose headers match the body (plain, Base64, numeric, nested)', async () => {
    const plain = await sql({ region: 'us-west1' }, { 'mcp-param-region': 'us-west1' });
    expect(plain.body.result?.content).toEqual([{ type: 'text', text: 'ran in us-west1' }]);
    const encoded = await sql(
      { region: 'Zürich' },
      {
        'mcp-param-region': `=?base64?${btoa(String.fromCharCode(...new TextEncoder().encode('Zürich')))}?=`,
      },
    );
    expect(encoded.body.result?.content).toEqual([{ type: 'text', text: 'ran in Zürich' }]);
    const numeric = await sql(
      { region: 'eu', replicas: 42, options: { dryRun: true } },
      { 'mcp-param-region': 'eu', 'mcp-param-replicas': '42.0', 'mcp-param-dry-run': 'true' },
    );
    expect(numeric.status).toBe(200);
    expect(numeric.body.error).toBeUndefined();
  });

  it('do not expect a header for an argument that is absent or null', async () => {
    const answer = await sql({ region: 'eu', replicas: null }, { 'mcp-param-region': 'eu' });
    expect(answer.body.error).toBeUndefined();
  });

  it('refuse a header that disagrees with the body, before the tool runs', async () => {
    const before = ran.length;
    // A load balancer routing on the header would send this to us-west1; the body says eu-north1.
    expectMismatch(await sql({ region: 'eu-north1' }, { 'mcp-param-region': 'us-west1' }));
    expectMismatch(
      await sql(
        { region: 'eu', options: { dryRun: false } },
        { 'mcp-param-region': 'eu', 'mcp-param-dry-run': 'true' },
      ),
    );
    expect(ran.length).toBe(before);
  });

  it('refuse a missing header when the body carries the value', async () => {
    expectMismatch(await sql({ region: 'eu-north1' }, {}));
    expectMismatch(await modernCall(listening.url, 'tenant_report', { tenant: 'acme' }, {}, { headers: {} }));
  });

  it('refuse a badly encoded Base64 value', async () => {
    expectMismatch(await sql({ region: 'Hello' }, { 'mcp-param-region': '=?base64?SGVsbG8?=' }));
    expectMismatch(await sql({ region: 'Hello' }, { 'mcp-param-region': '=?base64?SGVs!!!bG8=?=' }));
  });

  it('are mirrored by the SDK v2 client on 2026-07-28', async () => {
    const client = new Client(
      { name: 'header-test', version: '1.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(listening.url)));
    await client.listTools();
    const result = await client.callTool({
      name: 'execute_sql',
      arguments: { region: 'ap-south', query: 'q' },
    });
    expect(result.content).toEqual([{ type: 'text', text: 'ran in ap-south' }]);
    expect(
      (await client.callTool({ name: 'tenant_report', arguments: { tenant: 'ünïcode' } })).content,
    ).toEqual([{ type: 'text', text: 'report for ünïcode' }]);
    await client.close();
  });

  it('are mirrored by @toolwire/core on 2026-07-28', async () => {
    const registry = await createRegistry({
      servers: { pub: { url: listening.url, protocol: '2026-07-28', toolPrefix: false } },
      logger: silentLogger,
    });
    try {
      expect((await registry.callTool('execute_sql', { region: 'sa-east', query: 'q' })).text).toBe(
        'ran in sa-east',
      );
    } finally {
      await registry.close();
    }
  });

  it('are not checked on the 2025 era, which has no such headers', async () => {
    const sessionId = await openSession(listening.url);
    const response = await post(listening.url, callRequest(2, 'execute_sql', { region: 'eu', query: 'q' }), {
      sessionId,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('ran in eu');
  });
});

describe('declarations clients would reject', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'a number property',
      { type: 'object', properties: { ratio: { type: 'number', 'x-mcp-header': 'Ratio' } } },
      /input property "ratio" has x-mcp-header "Ratio" but type "number"/,
    ],
    [
      'a property under items',
      {
        type: 'object',
        properties: {
          list: {
            type: 'array',
            items: { type: 'object', properties: { id: { type: 'string', 'x-mcp-header': 'Id' } } },
          },
        },
      },
      /input property "list.<items>.id" carries x-mcp-header where it is not allowed/,
    ],
    [
      'a name that is not a header token',
      { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'My Region' } } },
      /input property "region" has x-mcp-header "My Region", which is not an HTTP header name token/,
    ],
    [
      'two names that differ only in case',
      {
        type: 'object',
        properties: {
          a: { type: 'string', 'x-mcp-header': 'Region' },
          b: { type: 'string', 'x-mcp-header': 'REGION' },
        },
      },
      /input property "b" has x-mcp-header "REGION", which another property already uses \("a"/,
    ],
    [
      'the schema root',
      { type: 'object', 'x-mcp-header': 'Root', properties: {} },
      /the input schema root carries x-mcp-header/,
    ],
  ];
  for (const [what, inputSchema, message] of cases) {
    it(`refuses ${what} at start-up, naming the tool and the property`, async () => {
      const broken = createPublisher({
        name: 'broken',
        version: '1.0.0',
        tools: [defineTool({ name: 'bad_tool', inputSchema, execute: () => 'never' })],
      });
      const error = await broken.ready().catch((caught: unknown) => caught);
      expect(ToolwireError.isInstance(error)).toBe(true);
      expect((error as ToolwireError).code).toBe('CONFIG_INVALID');
      expect((error as ToolwireError).tool).toBe('bad_tool');
      expect((error as Error).message).toMatch(/^Tool "bad_tool": /);
      expect((error as Error).message).toMatch(message);
    });
  }

  it('refuses a tool added at run time with a bad declaration, adding nothing', async () => {
    const bad = defineTool({
      name: 'late_bad',
      inputSchema: { type: 'object', properties: { n: { type: 'number', 'x-mcp-header': 'N' } } },
      execute: () => 'never',
    });
    await expect(publisher.addTools([bad])).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      tool: 'late_bad',
    });
    expect((await publisher.ready()).map((tool) => tool.name)).toEqual(['execute_sql', 'tenant_report']);
  });
});
