/**
 * `toolVisibility`: `tools/list` per caller. Over HTTP with a real OAuth server (oidc-provider on
 * loopback) two callers whose tokens carry different scopes list different tools (SDK v2 client),
 * the function receives the verified token and the session; over stdio it receives no caller. A
 * hidden tool called anyway goes through the normal call path (the hook shapes the list only),
 * and a throwing hook hides the tool and reports HANDLER_FAILED.
 */
import { PassThrough } from 'node:stream';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPublisher,
  defineTool,
  type PublishedToolInfo,
  type Publisher,
  type ToolCaller,
} from '../src/index.js';
import {
  type OAuthServer,
  PUBLISHER_RESOURCE,
  publisherAuth,
  startOAuthServer,
} from './support/oauth-server.js';

let oauth: OAuthServer;
let publisher: Publisher;
let url: string;
const clients: Client[] = [];
const seen: { tool: string; caller: ToolCaller | undefined }[] = [];
const errors: Error[] = [];

const tools = [
  defineTool({ name: 'read_note', description: 'Reads.', execute: () => 'read' }),
  defineTool({ name: 'write_note', description: 'Writes.', execute: () => 'written' }),
  defineTool({ name: 'fragile', description: 'Its visibility check throws.', execute: () => 'ok' }),
];

/** Write tools only for tokens with files:write; `fragile` makes the function throw. */
function visibility(tool: PublishedToolInfo, caller: ToolCaller | undefined): boolean {
  seen.push({ tool: tool.name, caller });
  if (tool.name === 'fragile') throw new Error('lookup failed');
  if (tool.name !== 'write_note') return true;
  return caller === undefined || (caller.authInfo?.scopes.includes('files:write') ?? false);
}

beforeAll(async () => {
  oauth = await startOAuthServer();
  publisher = createPublisher({
    name: 'visibility',
    version: '1.0.0',
    tools,
    toolVisibility: visibility,
    onError: (error) => errors.push(error),
    http: {
      auth: publisherAuth(oauth),
    },
  });
  ({ url } = await publisher.listen());
});

afterAll(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => {});
  await publisher?.close({ drainMs: 100 });
  await oauth?.close();
});

async function connect(scope: string): Promise<Client> {
  const token = await oauth.token({ resource: PUBLISHER_RESOURCE, scope });
  const client = new Client({ name: 'visibility-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  clients.push(client);
  return client;
}

describe('toolVisibility over HTTP', () => {
  it('lists per caller, from the verified token', async () => {
    const writer = await connect('mcp files:write');
    const reader = await connect('mcp files:read');
    expect((await writer.listTools()).tools.map((tool) => tool.name)).toEqual(['read_note', 'write_note']);
    expect((await reader.listTools()).tools.map((tool) => tool.name)).toEqual(['read_note']);

    const call = seen.find(
      ({ tool, caller }) => tool === 'write_note' && caller?.authInfo?.scopes.includes('files:read'),
    );
    expect(call?.caller?.authInfo?.token).toEqual(expect.any(String));
    expect(call?.caller?.sessionId).toEqual(expect.any(String));
  });

  it('shapes the list only: a hidden tool called anyway runs its normal call path', async () => {
    const reader = await connect('mcp files:read');
    const result = await reader.callTool({ name: 'write_note', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'written' }]);
  });

  it('hides a tool whose check throws and reports HANDLER_FAILED', async () => {
    errors.length = 0;
    const reader = await connect('mcp');
    expect((await reader.listTools()).tools.map((tool) => tool.name)).not.toContain('fragile');
    expect(errors[0]).toMatchObject({ code: 'HANDLER_FAILED', tool: 'fragile' });
    expect(errors[0]?.message).toContain('toolVisibility threw for tool "fragile"');
  });

  it('rejects a toolVisibility that is not a function', () => {
    expect(() =>
      // biome-ignore lint/suspicious/noExplicitAny: deliberately malformed input
      createPublisher({ name: 'x', version: '1', tools: [], toolVisibility: 'admins' as any }),
    ).toThrow('toolVisibility must be a function');
  });
});

describe('toolVisibility over stdio', () => {
  it('is called without a caller', async () => {
    seen.length = 0;
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const handle = await publisher.serveStdio({ stdin, stdout });
    const replies = new Map<number, Record<string, unknown>>();
    let buffered = '';
    const arrived = new Promise<void>((resolve) => {
      stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        let newline = buffered.indexOf('\n');
        while (newline >= 0) {
          const message = JSON.parse(buffered.slice(0, newline)) as { id?: number };
          buffered = buffered.slice(newline + 1);
          if (typeof message.id === 'number') replies.set(message.id, message);
          if (replies.has(2)) resolve();
          newline = buffered.indexOf('\n');
        }
      });
    });
    const send = (message: Record<string, unknown>) =>
      stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
    try {
      send({
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'raw', version: '1' },
        },
      });
      send({ method: 'notifications/initialized' });
      send({ id: 2, method: 'tools/list', params: {} });
      await arrived;
      const reply = replies.get(2) as { result: { tools: { name: string }[] } };
      const listed = reply.result.tools.map((tool) => tool.name);
      expect(listed).toEqual(['read_note', 'write_note']);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every(({ caller }) => caller === undefined)).toBe(true);
    } finally {
      await handle.close();
    }
  });
});
