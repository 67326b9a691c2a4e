/**
 * Roots asked by an upstream, answered by the downstream client, end to end: server-everything
 * (Streamable HTTP, 2025) asks for the client's roots in its `get-roots-list` tool (and remembers
 * the first answer per MCP session, hence one gateway, so one upstream session, per case; the one
 * server-everything process serves them all); the official SDK v2 client downstream answers, on
 * the 2025 era (a request on the call's stream) and on 2026-07-28 (an `input_required` round).
 * A downstream client without roots gets no roots forwarded; the upstream answers without them.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { silentLogger } from '@toolwire/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type EverythingHttpServer, startEverythingHttp } from '../../core/test/support/index.js';
import { createGateway, type Gateway } from '../src/index.js';

const ROOTS = 'everything__get-roots-list';
const DOWNSTREAM_ROOT = { uri: 'file:///downstream/project', name: 'downstream-project' };

let everything: EverythingHttpServer;
let gateway: Gateway | undefined;
let client: Client | undefined;

beforeAll(async () => {
  everything = await startEverythingHttp('streamableHttp');
});

afterAll(async () => {
  await everything?.stop();
});

afterEach(async () => {
  await client?.close().catch(() => {});
  await gateway?.close();
  client = undefined;
  gateway = undefined;
});

async function start(era: 'legacy' | '2026-07-28', declareRoots: boolean) {
  gateway = await createGateway({
    upstreams: {
      servers: { everything: { url: everything.url, type: 'http', protocol: 'legacy' } },
      cache: 'memory',
      logger: silentLogger,
    },
    upstreamSessions: 'shared',
    publisher: { onError: () => {} },
  });
  const { url } = await gateway.listen();
  const asked: unknown[] = [];
  client = new Client(
    { name: 'gateway-roots', version: '1.0.0' },
    {
      capabilities: declareRoots ? { roots: {} } : {},
      versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: '2026-07-28' } },
    },
  );
  if (declareRoots) {
    client.setRequestHandler('roots/list', async (request) => {
      asked.push(request.params);
      return { roots: [DOWNSTREAM_ROOT] };
    });
  }
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return { client, asked };
}

describe.each(['legacy', '2026-07-28'] as const)('downstream era %s', (era) => {
  it("serves the upstream's roots tool (the gateway declares roots upstream) and forwards its roots request", async () => {
    const { client, asked } = await start(era, true);
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain(ROOTS);
    const result = await client.callTool({ name: ROOTS, arguments: {} });
    const text = JSON.stringify(result.content);
    expect(text).toContain(DOWNSTREAM_ROOT.uri);
    expect(text).toContain(DOWNSTREAM_ROOT.name);
    expect(asked.length).toBeGreaterThan(0);
  });
});

describe('a downstream client without roots', () => {
  // get-roots-list answers even when the roots are refused, so the call succeeds on both eras and
  // keeps its result (roots-asked-aside.test.ts has the -32021 of a call that fails without them).
  it.each(['legacy', '2026-07-28'] as const)(
    'on era %s, gets no roots forwarded: the upstream hears a refusal and answers without',
    async (era) => {
      const { client } = await start(era, false);
      const result = await client.callTool({ name: ROOTS, arguments: {} });
      expect(result.isError).toBeFalsy();
      expect(JSON.stringify(result.content)).toContain('no roots are currently configured');
      expect(JSON.stringify(result.content)).not.toContain('file://');
    },
  );
});
