/**
 * Tool-call interceptors against a real Streamable HTTP server (the HTTP fixture, which records
 * every request's headers): order (registry outside call, each list in order), rewritten
 * arguments and headers reaching the server, rewritten results, short-circuits that contact no
 * server, validation of the arguments as sent, and interceptor failures as redacted
 * `INTERCEPTOR_FAILED` errors.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRegistry,
  createToolCallResult,
  type Registry,
  silentLogger,
  type ToolCallInterceptor,
  ToolwireError,
} from '../src/index.js';
import { temporaryDirectory } from './support/fault-servers.js';
import { type HttpFixtureServer, readEvents, startHttpFixture } from './support/fixture-servers.js';

const SECRET = 'fixture-api-key-5b1f0c7e';
const directory = temporaryDirectory('interceptors');
const eventsFile = join(directory.path, 'events.jsonl');
let server: HttpFixtureServer;
let registry: Registry;
const order: string[] = [];

const tracing =
  (label: string): ToolCallInterceptor =>
  async (_context, next) => {
    order.push(`${label}:in`);
    const result = await next();
    order.push(`${label}:out`);
    return result;
  };

beforeAll(async () => {
  server = await startHttpFixture({ name: 'fx', eventsFile });
  registry = await createRegistry({
    servers: { fx: { url: server.url, headers: { 'X-Api-Key': SECRET } } },
    cache: 'memory',
    logger: silentLogger,
    interceptors: [
      tracing('registry-1'),
      async function upperCase(context, next) {
        const result = await next({ headers: { 'X-Registry': `registry-${context.server}` } });
        return { ...result, text: result.text.toUpperCase() };
      },
    ],
  });
});
afterAll(async () => {
  await registry?.close();
  await server?.stop();
  directory.cleanup();
});

async function toolCallsWith(marker: string) {
  const events = await readEvents(eventsFile);
  return events.filter(
    (event) => event.rpc?.includes('tools/call') && JSON.stringify(event).includes(marker),
  );
}

describe('interceptors on a real HTTP server', () => {
  it('run registry ones outside call ones, and change arguments, headers and results', async () => {
    order.length = 0;
    const marker = `m-${Date.now()}`;
    const result = await registry.callTool(
      'fx__echo',
      { message: 'from the model' },
      {
        interceptors: [
          tracing('call-1'),
          async (context, next) =>
            next({
              arguments: { ...context.arguments, message: `${marker} rewritten` },
              headers: { 'X-Tenant': 'acme' },
            }),
          tracing('call-3'),
        ],
      },
    );
    expect(order).toEqual([
      'registry-1:in',
      'call-1:in',
      'call-3:in',
      'call-3:out',
      'call-1:out',
      'registry-1:out',
    ]);
    expect(result.text).toBe(`FX: ${marker.toUpperCase()} REWRITTEN`);
    expect(result.content).toEqual([{ type: 'text', text: `fx: ${marker} rewritten` }]);
    // The header parameter names in the HTTP fixture's recorded headers are lower case.
    const [call] = await requestCarrying(`X-Tenant`, 'acme');
    expect(call?.headers).toMatchObject({
      'x-tenant': 'acme',
      'x-registry': 'registry-fx',
      'x-api-key': SECRET,
    });
  });

  it('answer a call without contacting the server when an interceptor does not call next()', async () => {
    const before = (await readEvents(eventsFile)).filter((event) => event.rpc?.includes('tools/call')).length;
    const callsBefore = registry.stats().byTool.fx__echo?.calls ?? 0;
    const result = await registry.callTool(
      'fx__echo',
      { message: 'cached?' },
      {
        interceptors: [
          async (context) =>
            createToolCallResult(context, { content: [{ type: 'text', text: 'from the cache' }] }),
        ],
      },
    );
    expect(result).toMatchObject({ text: 'FROM THE CACHE', isError: false, tool: 'fx__echo', server: 'fx' });
    const after = (await readEvents(eventsFile)).filter((event) => event.rpc?.includes('tools/call')).length;
    expect(after).toBe(before);
    expect(registry.stats().byTool.fx__echo?.calls).toBe(callsBefore + 1);
  });

  it('validate the arguments as the interceptors left them, even with validate: false', async () => {
    const marker = `fixed-${Date.now()}`;
    const fixed = await registry.callTool(
      'fx__echo',
      { message: 42 },
      {
        interceptors: [
          async (context, next) => next({ arguments: { message: `${marker} ${context.arguments.message}` } }),
        ],
      },
    );
    expect(fixed.text).toBe(`FX: ${marker.toUpperCase()} 42`);
    for (const validate of [true, false]) {
      const broken = registry.callTool(
        'fx__echo',
        { message: 'fine' },
        { validate, interceptors: [async (_context, next) => next({ arguments: { message: 7 } })] },
      );
      await expect(broken).rejects.toMatchObject({ code: 'INVALID_ARGUMENTS', tool: 'fx__echo' });
    }
    expect(await toolCallsWith('"message":7')).toEqual([]);
  });

  it('turn an interceptor failure into a redacted INTERCEPTOR_FAILED naming the interceptor', async () => {
    const thrown = await registry
      .callTool(
        'fx__echo',
        { message: 'x' },
        {
          interceptors: [
            async function checkQuota() {
              throw new Error(`quota lookup failed for key ${SECRET}`);
            },
          ],
        },
      )
      .catch((error: unknown) => error);
    expect(ToolwireError.isInstance(thrown)).toBe(true);
    expect(thrown).toMatchObject({ code: 'INTERCEPTOR_FAILED', server: 'fx', tool: 'fx__echo' });
    const text = JSON.stringify({
      message: (thrown as Error).message,
      cause: String((thrown as Error).cause),
    });
    expect((thrown as Error).message).toContain('call interceptor 1 ("checkQuota") threw');
    expect(text).not.toContain(SECRET);

    await expect(
      registry.callTool(
        'fx__echo',
        { message: 'x' },
        { interceptors: [async (_c, next) => next({ headers: { Authorization: 'Bearer t' } })] },
      ),
    ).rejects.toMatchObject({
      code: 'INTERCEPTOR_FAILED',
      message: expect.stringContaining('"Authorization"'),
    });
    await expect(
      registry.callTool(
        'fx__echo',
        { message: 'x' },
        { interceptors: [async (_c, next) => next({ headers: { 'x-bad': 'a\r\nb' } })] },
      ),
    ).rejects.toMatchObject({ code: 'INTERCEPTOR_FAILED' });
    await expect(
      registry.callTool(
        'fx__echo',
        { message: 'x' },
        { interceptors: [(async () => undefined) as unknown as ToolCallInterceptor] },
      ),
    ).rejects.toMatchObject({
      code: 'INTERCEPTOR_FAILED',
      message: expect.stringContaining('instead of a tool result'),
    });
    await expect(
      registry.callTool(
        'fx__echo',
        { message: 'x' },
        { interceptors: ['nope' as unknown as ToolCallInterceptor] },
      ),
    ).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(
      registry.callTool(
        'fx__echo',
        { message: 'x' },
        { interceptors: [async (_c, next) => next({ meta: { progressToken: 'mine' } })] },
      ),
    ).rejects.toMatchObject({
      code: 'INTERCEPTOR_FAILED',
      message: expect.stringContaining('"progressToken"'),
    });
    // The failures count as failed calls, like any other.
    expect(registry.stats().byTool.fx__echo?.errors).toBeGreaterThanOrEqual(4);
  });

  it('let errors from next() through unchanged', async () => {
    const seen: unknown[] = [];
    const error = await registry
      .callTool(
        'fx__echo',
        {},
        {
          interceptors: [
            async (_context, next) => {
              try {
                return await next();
              } catch (caught) {
                seen.push(caught);
                throw caught;
              }
            },
          ],
        },
      )
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENTS' });
    expect(seen).toHaveLength(1);
  });

  it('refuse a registry whose interceptors option is not a list of functions', async () => {
    await expect(
      createRegistry({ servers: {}, cache: 'memory', logger: silentLogger, interceptors: [{}] as never }),
    ).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('interceptors })[0]'),
    });
  });
});

async function requestCarrying(name: string, value: string) {
  const events = await readEvents(eventsFile);
  return events.filter(
    (event) => event.headers?.[name.toLowerCase()] === value && event.rpc?.includes('tools/call'),
  );
}
