/**
 * Two publisher instances sharing a Redis store serve one stateful session alternately: a
 * client whose requests a round-robin "load balancer" sends to instance A, then B, then A…
 * keeps one session id, and every call succeeds; a tool's elicitation answered through the other
 * instance reaches the tool (routed over Redis pub/sub). Needs Redis at 127.0.0.1:6379 (or REDIS_URL):
 * fails under CI=true when it is missing, skips loudly otherwise.
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, defineTool, type ListeningPublisher, type Publisher } from '../src/index.js';
import { createRedisStore } from '../src/redis.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAvailable(): Promise<boolean> {
  const probe = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const available = await redisAvailable();
if (!available) {
  if (process.env.CI === 'true')
    throw new Error(`Redis is required in CI and is not reachable at ${redisUrl}.`);
  console.warn(`\n!!! Redis not reachable at ${redisUrl}: the publisher fleet test is SKIPPED !!!\n`);
}

describe.skipIf(!available)('two publishers sharing a Redis store', () => {
  const prefix = `toolwire-test:${randomUUID()}`;
  let redis: Redis;
  const publishers: Publisher[] = [];
  const endpoints: ListeningPublisher[] = [];

  beforeAll(async () => {
    redis = new Redis(redisUrl);
    for (const instance of ['A', 'B']) {
      const publisher = createPublisher({
        name: 'fleet',
        version: '1.0.0',
        tools: [
          defineTool({
            name: 'where',
            description: 'Names the instance that served the call, and the session.',
            execute: (_args, context) => `${instance}:${context.sessionId}`,
          }),
          defineTool({
            name: 'greet',
            description: 'Asks for a name.',
            async execute(_args, context) {
              const answer = await context.elicit({
                message: 'Name?',
                requestedSchema: { type: 'object', properties: { name: { type: 'string' } } },
              });
              return `${instance}: hello ${String(answer.content?.name)}`;
            },
          }),
        ],
        http: { store: createRedisStore({ redis, prefix }), sessionTtlMs: 2_000 },
        onError: () => {},
      });
      publishers.push(publisher);
      endpoints.push(await publisher.listen());
    }
  });

  afterAll(async () => {
    await Promise.all(publishers.map((publisher) => publisher.close({ drainMs: 100 })));
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('continues a session created on A on B, and back', async () => {
    let next = 0;
    const balanced: typeof fetch = (input, init) => {
      const target = endpoints[next++ % 2]!;
      const url = new URL(input instanceof Request ? input.url : String(input));
      url.port = String(target.port);
      return fetch(url, init);
    };
    const client = new Client({ name: 'fleet-test', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(endpoints[0]!.url), { fetch: balanced });
    await client.connect(transport);
    const sessionId = transport.sessionId;
    expect(sessionId).toMatch(/[0-9a-f-]{36}/);
    expect(await redis.exists(`${prefix}:session:${sessionId}`)).toBe(1);

    const served: string[] = [];
    for (let call = 0; call < 6; call++) {
      const result = await client.callTool({ name: 'where', arguments: {} });
      const text = (result.content as { text: string }[])[0]!.text;
      served.push(text);
    }
    const instances = new Set(served.map((text) => text.split(':')[0]));
    expect(instances).toEqual(new Set(['A', 'B']));
    for (const text of served) expect(text.endsWith(`:${sessionId}`)).toBe(true);
    await client.close();
  });

  it("routes an elicitation's answer, posted to the other instance, back to the tool that asked", async () => {
    const posted: { port: string; answer: boolean }[] = [];
    let next = 0;
    const balanced: typeof fetch = (input, init) => {
      const target = endpoints[next++ % 2]!;
      const url = new URL(input instanceof Request ? input.url : String(input));
      url.port = String(target.port);
      if (init?.method === 'POST')
        posted.push({ port: url.port, answer: String(init.body).includes('"result"') });
      return fetch(url, init);
    };
    const client = new Client(
      { name: 'fleet-test', version: '1.0.0' },
      { capabilities: { elicitation: { form: {} } } },
    );
    client.setRequestHandler(ElicitRequestSchema, async () => ({
      action: 'accept',
      content: { name: 'Ada' },
    }));
    const transport = new StreamableHTTPClientTransport(new URL(endpoints[0]!.url), { fetch: balanced });
    await client.connect(transport);
    const greetings: string[] = [];
    for (let call = 0; call < 2; call++) {
      const result = await client.callTool({ name: 'greet', arguments: {} });
      greetings.push((result.content as { text: string }[])[0]!.text);
    }
    expect(greetings.map((text) => text.slice(3))).toEqual(['hello Ada', 'hello Ada']);
    // Without routing, an answer landing on the instance that did not ask would hang the call.
    const answers = posted.filter((entry) => entry.answer);
    expect(answers).toHaveLength(2);
    const portOf = { A: String(endpoints[0]!.port), B: String(endpoints[1]!.port) };
    const crossed = greetings.filter((text, index) => answers[index]!.port !== portOf[text[0] as 'A' | 'B']);
    expect(crossed.length).toBeGreaterThan(0);
    await client.close();
  });

  it('a session ended on one instance ends on the other too', async () => {
    const [a, b] = endpoints as [ListeningPublisher, ListeningPublisher];
    const headers = (sessionId?: string) => ({
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      ...(sessionId ? { 'mcp-session-id': sessionId } : {}),
    });
    const opened = await fetch(a.url, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      }),
    });
    await opened.text();
    const sessionId = opened.headers.get('mcp-session-id')!;
    const list = (url: string) =>
      fetch(url, {
        method: 'POST',
        headers: headers(sessionId),
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
      }).then(async (response) => {
        await response.text();
        return response.status;
      });
    expect(await list(b.url)).toBe(200); // B now holds a copy
    const deleted = await fetch(a.url, { method: 'DELETE', headers: headers(sessionId) });
    expect(deleted.status).toBe(200);
    expect(await redis.exists(`${prefix}:session:${sessionId}`)).toBe(0);
    // B notices on its next store check (at most a quarter of the TTL later) and drops its copy.
    await expect.poll(() => list(b.url), { timeout: 5_000, interval: 200 }).toBe(404);
  });

  it('stores resumability events any instance can replay, within their session', async () => {
    const writer = createRedisStore({ redis, prefix }).events!;
    const reader = createRedisStore({ redis, prefix }).events!;
    const first = await writer.storeEvent('session-1', 'stream-1', {
      jsonrpc: '2.0',
      method: 'notifications/progress',
    });
    await writer.storeEvent('session-1', 'stream-1', { jsonrpc: '2.0', id: 7, result: { ok: true } });
    const replayed = await reader.eventsAfter('session-1', 'stream-1', first);
    expect(replayed?.map((event) => event.message)).toEqual([
      { jsonrpc: '2.0', id: 7, result: { ok: true } },
    ]);
    expect(await reader.streamForEvent('session-1', first)).toBe('stream-1');
    expect(await reader.streamForEvent('session-2', first)).toBeUndefined();
  });

  it('answers 404 for a session no instance knows', async () => {
    const response = await fetch(endpoints[1]!.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': randomUUID(),
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(404);
  });
});
