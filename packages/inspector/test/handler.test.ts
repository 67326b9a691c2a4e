/**
 * The inspector's fetch handler on a real registry (our stdio fixture server), request by
 * request: the one-time link (right, wrong, reused), the session cookie's attributes, the base
 * path, the guard, what state-changing requests must look like (JSON, same origin, within the
 * size limit, calls allowed), the call and search endpoints, the event stream's first events,
 * and close() ending open streams.
 */
import { createRegistry, type Registry, silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureStdio } from '../../core/test/support/index.js';
import { createInspectorHandler, type InspectorHandler, randomToken } from '../src/index.js';

const origin = 'http://127.0.0.1:4999';
let registry: Registry;

beforeAll(async () => {
  registry = await createRegistry({
    cache: 'none',
    logger: silentLogger,
    mcpServers: { fixture: fixtureStdio() },
  });
});

afterAll(async () => {
  await registry?.close();
});

/** Reads a stream's events until `until` says stop (or the stream ends). */
async function readEvents(
  response: Response,
  until: (events: { event: string; data: unknown }[]) => boolean,
): Promise<{ event: string; data: unknown }[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: unknown }[] = [];
  let buffer = '';
  while (!until(events)) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
      end = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel().catch(() => {});
  return events;
}

describe('the one-time link', () => {
  let handler: InspectorHandler;
  const token = randomToken();

  beforeAll(() => {
    handler = createInspectorHandler(registry, { basePath: '/inspect', oneTimeToken: token });
  });
  afterAll(() => handler.close());

  let cookie = '';

  it('refuses the page without a session, and a wrong token', async () => {
    expect((await handler(new Request(`${origin}/inspect/`))).status).toBe(401);
    expect((await handler(new Request(`${origin}/inspect/api/state`))).status).toBe(401);
    const wrong = await handler(new Request(`${origin}/inspect/?token=${randomToken()}`));
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('exchanges the right token once for an HttpOnly, SameSite=Strict cookie and a clean URL', async () => {
    const response = await handler(new Request(`${origin}/inspect/?token=${token}`));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/inspect/');
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(
      /^toolwire_inspector_[\w-]{12}=[\w-]{43}; Path=\/inspect\/; HttpOnly; SameSite=Strict$/,
    );
    expect(setCookie).not.toContain(token);
    cookie = setCookie.split(';')[0] as string;
    const page = await handler(new Request(`${origin}/inspect/`, { headers: { cookie } }));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<tw-app>');
  });

  it('refuses the same token a second time, even with the session cookie', async () => {
    const again = await handler(new Request(`${origin}/inspect/?token=${token}`, { headers: { cookie } }));
    expect(again.status).toBe(403);
    expect(await again.text()).toContain('already used');
    expect(again.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a made-up session cookie', async () => {
    const forged = await handler(
      new Request(`${origin}/inspect/`, { headers: { cookie: `toolwire_inspector=${randomToken()}` } }),
    );
    expect(forged.status).toBe(401);
  });

  it('serves only under its base path', async () => {
    expect((await handler(new Request(`${origin}/other/`, { headers: { cookie } }))).status).toBe(404);
    const bare = await handler(new Request(`${origin}/inspect`, { headers: { cookie } }));
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/inspect/');
    const script = await handler(new Request(`${origin}/inspect/assets/app.js`, { headers: { cookie } }));
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(
      (await handler(new Request(`${origin}/inspect/assets/__proto__`, { headers: { cookie } }))).status,
    ).toBe(404);
  });
});

describe('mounted without the token gate', () => {
  let handler: InspectorHandler;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    handler(
      new Request(`${origin}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );

  beforeAll(() => {
    handler = createInspectorHandler(registry);
  });
  afterAll(() => handler.close());

  it('calls a tool and reports the result with its timing', async () => {
    const response = await post('/api/call', { tool: 'fixture__echo', arguments: { message: 'hi' } });
    const body = (await response.json()) as {
      ok: boolean;
      result: { content: { text: string }[]; isError: boolean; durationMs: number };
    };
    expect(body.ok).toBe(true);
    expect(body.result.content[0]?.text).toBe('fixture: hi');
    expect(body.result.isError).toBe(false);
    expect(body.result.durationMs).toBeGreaterThan(0);
  });

  it('reports failures with their code and argument paths', async () => {
    const invalid = (await (
      await post('/api/call', { tool: 'fixture__echo', arguments: { message: 7 } })
    ).json()) as {
      ok: boolean;
      error: { code: string; issues: { path: string }[] };
    };
    expect(invalid.ok).toBe(false);
    expect(invalid.error.code).toBe('INVALID_ARGUMENTS');
    expect(invalid.error.issues[0]?.path).toBe('message');
    const unknown = (await (await post('/api/call', { tool: 'fixture__nope' })).json()) as {
      error: { code: string };
    };
    expect(unknown.error.code).toBe('TOOL_NOT_FOUND');
    expect((await post('/api/call', { tool: 'fixture__echo', arguments: [1] })).status).toBe(400);
    expect((await post('/api/call', '{not json')).status).toBe(400);
  });

  it('refuses state changes that are not same-origin JSON, or too large', async () => {
    const call = { tool: 'fixture__echo', arguments: { message: 'x' } };
    expect((await post('/api/call', call, { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post('/api/call', call, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await post('/api/call', call, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post('/api/call', call, { origin })).status).toBe(200);
    const huge = JSON.stringify({ tool: 'fixture__echo', arguments: { message: 'x'.repeat(1_100_000) } });
    expect((await post('/api/call', huge)).status).toBe(413);
  });

  it('searches the catalogue with the registry’s own search', async () => {
    const results = (await (await handler(new Request(`${origin}/api/search?q=echo%20back`))).json()) as {
      name: string;
    }[];
    expect(results[0]?.name).toBe('fixture__echo');
  });

  it('streams the state first, then calls and stats as they happen; close() ends the stream', async () => {
    const stream = await handler(new Request(`${origin}/api/events`));
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reading = readEvents(stream, (events) => events.some((event) => event.event === 'stats'));
    await registry.callTool('fixture__echo', { message: 'live' });
    const events = await reading;
    expect(events[0]?.event).toBe('state');
    const state = events[0]?.data as {
      servers: { name: string; status: string }[];
      tools: { name: string }[];
    };
    expect(state.servers.map((server) => [server.name, server.status])).toEqual([['fixture', 'active']]);
    expect(state.tools.map((tool) => tool.name)).toContain('fixture__echo');
    const calls = events
      .filter((event) => event.event === 'call')
      .map((event) => event.data as { state: string; tool: string });
    expect(calls.map((call) => call.state)).toEqual(['running', 'ok']);

    const open = await handler(new Request(`${origin}/api/events`));
    const ended = readEvents(open, () => false);
    handler.close();
    expect((await ended).map((event) => event.event)).toEqual(['state']);
  });
});

describe('a server whose own config entry is invalid', () => {
  it('is shown failed with each problem’s config path', async () => {
    await using misconfigured = await createRegistry({
      cache: 'none',
      logger: silentLogger,
      mcpServers: {
        pigeon: { type: 'carrier-pigeon', url: 'http://127.0.0.1:9/mcp' },
      },
    } as never);
    const handler = createInspectorHandler(misconfigured);
    const state = (await (await handler(new Request(`${origin}/api/state`))).json()) as {
      servers: {
        name: string;
        status: string;
        error?: { code: string; issues?: { path: string }[] };
        configWarnings: { path: string }[];
      }[];
    };
    handler.close();
    const pigeon = state.servers.find((server) => server.name === 'pigeon');
    expect(pigeon?.status).toBe('failed');
    expect(pigeon?.error?.code).toBe('CONFIG_INVALID');
    expect(pigeon?.error?.issues?.[0]?.path).toContain('mcpServers.pigeon');
    expect(pigeon?.configWarnings).toEqual([]);
  });
});

describe('options', () => {
  it('allowCalls: false refuses calls and refreshes', async () => {
    const handler = createInspectorHandler(registry, { allowCalls: false });
    const response = await handler(
      new Request(`${origin}/api/call`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"tool":"fixture__echo"}',
      }),
    );
    expect(response.status).toBe(403);
    handler.close();
  });

  it('guard runs first and can refuse anything', async () => {
    const handler = createInspectorHandler(registry, {
      guard: (request) =>
        request.headers.get('x-admin') === 'yes' ? undefined : new Response('no', { status: 403 }),
    });
    expect((await handler(new Request(`${origin}/`))).status).toBe(403);
    expect((await handler(new Request(`${origin}/`, { headers: { 'x-admin': 'yes' } }))).status).toBe(200);
    handler.close();
  });
});
