/**
 * An upstream's roots request that the call needs, against one it makes on its own account: a
 * 2025 stdio upstream's request names no call, so the gateway asks the caller whose call runs
 * alone. A 2026-07-28 caller without roots is refused with -32021 only when the upstream call then
 * fails; a call that succeeded without the roots keeps its result (server-everything, for one,
 * asks for roots 350 ms after connecting, whichever call happens to be running then).
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../src/index.js';
import { startSharedGateway } from './support/shared-gateway.js';

const SERVER = new URL('./fixtures/roots-asking-server.mjs', import.meta.url).pathname;
const ROOT = { uri: 'file:///caller/project', name: 'caller-project' };

let gateway: Gateway;
let url: string;
const clients: Client[] = [];

beforeAll(async () => {
  ({ gateway, url } = await startSharedGateway({ asking: { command: process.execPath, args: [SERVER] } }));
});

afterAll(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => {});
  await gateway?.close();
});

async function connect(era: 'legacy' | '2026-07-28', roots: boolean): Promise<Client> {
  const client = new Client(
    { name: 'roots-aside', version: '1.0.0' },
    {
      capabilities: roots ? { roots: {} } : {},
      versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: '2026-07-28' } },
    },
  );
  if (roots) client.setRequestHandler('roots/list', async () => ({ roots: [ROOT] }));
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  clients.push(client);
  return client;
}

async function call(client: Client, name: string) {
  return client.callTool({ name, arguments: {} }).then(
    (result) => ({ result, error: undefined }),
    (error: { code?: unknown; message?: string }) => ({ result: undefined, error }),
  );
}

describe.each(['legacy', '2026-07-28'] as const)('a caller without roots, era %s', (era) => {
  it('keeps the result of a call that succeeded without the roots the upstream asked for', async () => {
    const { result, error } = await call(await connect(era, false), 'asking__roots_aside');
    expect(error).toBeUndefined();
    expect(result?.isError).toBeFalsy();
    expect(JSON.stringify(result?.content)).toContain('done (no roots)');
  });
});

describe('a call that needs the roots', () => {
  it('on 2026-07-28, without roots: refused with -32021 naming roots', async () => {
    const { result, error } = await call(await connect('2026-07-28', false), 'asking__needs_roots');
    expect(result).toBeUndefined();
    expect(error?.code).toBe(-32021);
    expect(error?.message).toMatch(/roots/);
  });

  it("on the 2025 era, without roots: the upstream's own failure, with no roots in it", async () => {
    const { result, error } = await call(await connect('legacy', false), 'asking__needs_roots');
    expect(error).toBeUndefined();
    expect(result?.isError).toBe(true);
    expect(JSON.stringify(result?.content)).not.toContain('file://');
  });

  it.each(['legacy', '2026-07-28'] as const)('on era %s, with roots: gets the caller roots', async (era) => {
    const { result } = await call(await connect(era, true), 'asking__needs_roots');
    expect(result?.isError).toBeFalsy();
    expect(JSON.stringify(result?.content)).toContain(ROOT.uri);
  });
});
