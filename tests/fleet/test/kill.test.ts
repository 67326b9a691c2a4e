/**
 * One instance SIGKILLed while calls are in flight on every instance: the calls it was running
 * fail promptly with a typed error (the instance relaying the resumed stream sees the runner is
 * gone), every other call finishes, and every later call succeeds, on the same session. SDK v1,
 * SDK v2 and @toolwire/core on both eras; each test kills an instance of a fleet of its own.
 */
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as TransportV2,
} from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { createRegistry, ToolwireError } from '@toolwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startFleet } from '../support/fleet.mjs';
import { fleetAvailable } from '../support/requirements.mjs';

const available = await fleetAvailable();
const silent = { debug() {}, info() {}, warn() {}, error() {} };
type Fleet = Awaited<ReturnType<typeof startFleet>>;

const CALLS = 6;

/**
 * A fetch that notes which `hold` calls have their response under way (status and headers in).
 * A 2025-era `hold` call is seen running (its tag in Redis) a moment before its instance sends
 * the response head of its event stream; killed in between, the client would get HAProxy's 502 to
 * its POST instead of a cut stream it resumes elsewhere, which is what the tests are about. So the
 * kill waits for both.
 */
function answeredCalls() {
  const tags = new Set<string>();
  const watching: typeof fetch = async (input, init) => {
    const body =
      typeof init?.body === 'string'
        ? init.body
        : input instanceof Request && input.body
          ? await input.clone().text()
          : '';
    const response = await fetch(input, init);
    const tag = /"tag":"([^"]+)"/.exec(body)?.[1];
    if (tag && /"name":"hold"/.test(body)) tags.add(tag);
    return response;
  };
  return { tags, fetch: watching };
}

const textOf = (result: unknown) =>
  ((result as { content: { text: string }[] }).content[0] as { text: string }).text;

describe.skipIf(!available)('an instance killed with calls in flight', () => {
  let fleet: Fleet | undefined;

  afterEach(async () => {
    await fleet?.close();
    fleet = undefined;
  });

  /**
   * Starts CALLS `hold` calls, waits until each runs somewhere, kills the instance running the
   * first, releases them all, and returns what each call became and where it ran.
   */
  async function killDuringCalls(call: (tag: string) => Promise<string>, answered?: Set<string>) {
    const running = fleet as Fleet;
    const tags = Array.from({ length: CALLS }, () => crypto.randomUUID());
    const outcomes = Promise.allSettled(tags.map((tag) => call(tag)));
    const where: string[] = [];
    for (const tag of tags) {
      for (;;) {
        const instance = await running.redis.get(`${running.prefix}:test:held:${tag}`);
        if (instance) {
          where.push(instance);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    while (answered && !tags.every((tag) => answered.has(tag)))
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(new Set(where).size).toBeGreaterThan(1);
    const victim = where[0] as string;
    await running.instances.find((instance: { name: string }) => instance.name === victim).kill();
    for (const tag of tags)
      await running.redis.set(`${running.prefix}:test:release:${tag}`, '1', 'PX', 60_000);
    const settled = await outcomes;
    return { settled, where, victim, tags };
  }

  it('SDK v1 (2025 era): only the dead instance’s calls fail, typed; the session goes on', async () => {
    fleet = await startFleet({ instances: 3 });
    const client = new Client({ name: 'kill-v1', version: '1.0.0' });
    const answered = answeredCalls();
    const transport = new StreamableHTTPClientTransport(new URL(fleet.url), { fetch: answered.fetch });
    await client.connect(transport);
    const sessionId = transport.sessionId as string;
    const { settled, where, victim, tags } = await killDuringCalls(
      async (tag) => textOf(await client.callTool({ name: 'hold', arguments: { tag } })),
      answered.tags,
    );
    settled.forEach((outcome, index) => {
      if (where[index] === victim) {
        expect(outcome.status).toBe('rejected');
        const reason = (outcome as PromiseRejectedResult).reason;
        expect(reason).toBeInstanceOf(McpError);
        expect(reason.code).toBe(-32603);
        expect(String(reason.message)).toMatch(/went away/);
      } else {
        expect(outcome).toEqual({ status: 'fulfilled', value: `released ${tags[index]} on ${where[index]}` });
      }
    });
    const later: string[] = [];
    for (let call = 0; call < 6; call++)
      later.push(textOf(await client.callTool({ name: 'where', arguments: {} })));
    for (const answer of later) expect(answer).toMatch(new RegExp(`^[abc]:${sessionId}$`));
    expect(later.some((answer) => answer.startsWith(`${victim}:`))).toBe(false);
    await transport.terminateSession();
    await client.close();
  });

  it('SDK v2 (2025 era): only the dead instance’s calls fail, typed; the session goes on', async () => {
    fleet = await startFleet({ instances: 3 });
    const client = new ClientV2(
      { name: 'kill-v2', version: '1.0.0' },
      { versionNegotiation: { mode: 'legacy' } },
    );
    const answered = answeredCalls();
    const transport = new TransportV2(new URL(fleet.url), { fetch: answered.fetch });
    await client.connect(transport);
    const sessionId = transport.sessionId as string;
    const { settled, where, victim, tags } = await killDuringCalls(
      async (tag) => textOf(await client.callTool({ name: 'hold', arguments: { tag } })),
      answered.tags,
    );
    settled.forEach((outcome, index) => {
      if (where[index] === victim) {
        expect(outcome.status).toBe('rejected');
        expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: -32603 });
      } else {
        expect(outcome).toEqual({ status: 'fulfilled', value: `released ${tags[index]} on ${where[index]}` });
      }
    });
    for (let call = 0; call < 6; call++) {
      expect(textOf(await client.callTool({ name: 'where', arguments: {} }))).toMatch(
        new RegExp(`^[abc]:${sessionId}$`),
      );
    }
    await transport.terminateSession();
    await client.close();
  });

  for (const protocol of ['legacy', '2026-07-28'] as const) {
    it(`@toolwire/core (${protocol}): only the dead instance’s calls fail, with a ToolwireError`, async () => {
      fleet = await startFleet({ instances: 3 });
      const answered = answeredCalls();
      const registry = await createRegistry({
        fetch: answered.fetch,
        servers: { fleet: { url: fleet.url, protocol, toolPrefix: false } },
        cache: 'memory',
        logger: silent,
      });
      try {
        const { settled, where, victim, tags } = await killDuringCalls(
          async (tag) => (await registry.callTool('hold', { tag })).text,
          // 2025 era only: a 2026-07-28 call's response may begin only with its result.
          protocol === 'legacy' ? answered.tags : undefined,
        );
        settled.forEach((outcome, index) => {
          if (where[index] === victim) {
            expect(outcome.status).toBe('rejected');
            expect(ToolwireError.isInstance((outcome as PromiseRejectedResult).reason)).toBe(true);
          } else if (protocol === 'legacy' || outcome.status === 'fulfilled') {
            expect(outcome).toEqual({
              status: 'fulfilled',
              value: `released ${tags[index]} on ${where[index]}`,
            });
          } else {
            // 2026-07-28: the SDK v2 client under core may take one broken response stream for a
            // closed connection and fail every call in flight with it: still typed, never a hang.
            expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: 'SERVER_CLOSED' });
          }
        });
        for (let call = 0; call < 6; call++) {
          expect((await registry.callTool('add', { a: call, b: 1 })).text).toBe(String(call + 1));
        }
      } finally {
        await registry.close();
      }
    });
  }
});
