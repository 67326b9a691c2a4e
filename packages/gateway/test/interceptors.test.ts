/**
 * Interceptors in a gateway: the upstream registry's `interceptors` run around every forwarded
 * call, see which downstream caller it is for (the caller's upstream session key), may change the
 * arguments before they go upstream, and may answer a call without contacting the upstream.
 * Downstream clients are the official SDK v2 client; the upstream is our publisher on loopback.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { silentLogger, type ToolCallInterceptor } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../src/index.js';
import { startUpstreamPublisher, type UpstreamPublisher } from './support/upstream-publisher.js';

let upstream: UpstreamPublisher;
let gateway: Gateway;
let url: string;
const clients: Client[] = [];
const seen: { tool: string; sessionKey: string | undefined }[] = [];

/** Tags every note with the tenant before it goes upstream. */
const tagNotes: ToolCallInterceptor = async (context, next) => {
  seen.push({ tool: context.tool, sessionKey: context.sessionKey });
  if (context.serverToolName !== 'remember') return next();
  return next({ arguments: { ...context.arguments, note: `[acme] ${String(context.arguments.note)}` } });
};

/** Answers forecasts for "Nowhere" without asking the upstream. */
const answerLocally: ToolCallInterceptor = async (context, next) => {
  if (context.serverToolName === 'forecast' && context.arguments.city === 'Nowhere') {
    return {
      server: context.server,
      tool: context.tool,
      content: [{ type: 'text', text: 'answered by the gateway' }],
      text: 'answered by the gateway',
      isError: false,
    } as Awaited<ReturnType<ToolCallInterceptor>>;
  }
  return next();
};

beforeAll(async () => {
  upstream = await startUpstreamPublisher();
  gateway = await createGateway({
    upstreams: {
      servers: { upstream: { url: upstream.url, type: 'http', protocol: 'legacy' } },
      cache: 'memory',
      logger: silentLogger,
      interceptors: [tagNotes, answerLocally],
    },
    publisher: { onError: () => {} },
  });
  ({ url } = await gateway.listen());
});

afterAll(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => {});
  await gateway?.close();
  await upstream?.close();
});

async function connect(): Promise<Client> {
  const client = new Client({ name: 'interceptor-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  clients.push(client);
  return client;
}

const textOf = (result: Awaited<ReturnType<Client['callTool']>>) =>
  (result.content as { type: string; text: string }[])[0]?.text;

describe('interceptors around forwarded calls', () => {
  it('change arguments on the way upstream and see each downstream caller apart', async () => {
    const first = await connect();
    const second = await connect();
    await first.callTool({ name: 'upstream__remember', arguments: { note: 'first' } });
    await second.callTool({ name: 'upstream__remember', arguments: { note: 'second' } });

    // The upstream stored what the interceptor sent, in each caller's own upstream session.
    expect(textOf(await first.callTool({ name: 'upstream__recall', arguments: {} }))).toBe('[acme] first');
    expect(textOf(await second.callTool({ name: 'upstream__recall', arguments: {} }))).toBe('[acme] second');

    const keys = new Set(
      seen.filter((call) => call.tool === 'upstream__remember').map((call) => call.sessionKey),
    );
    expect(keys.size).toBe(2);
    for (const key of keys) expect(key).toMatch(/^session:/);
  });

  it('answer a call without contacting the upstream', async () => {
    const client = await connect();
    const local = await client.callTool({ name: 'upstream__forecast', arguments: { city: 'Nowhere' } });
    expect(textOf(local)).toBe('answered by the gateway');
    expect(local.isError).toBeFalsy();
    // Other arguments still reach the upstream.
    const remote = await client.callTool({ name: 'upstream__forecast', arguments: { city: 'Oslo' } });
    expect(remote.structuredContent).toEqual({ city: 'Oslo', celsius: 21.5 });
  });
});
