/**
 * A session goes on through every instance of the fleet: three publisher processes behind
 * HAProxy (round robin, no stickiness) sharing Redis. Clients: the official SDK v1 and v2 and
 * @toolwire/core, on the 2025 era (one session, rebuilt from Redis wherever a request lands)
 * and on 2026-07-28 (per request; an input round's retry may land on another instance, which
 * opens the sealed `requestState` with the fleet's shared secret).
 */
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as TransportV2,
} from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createRegistry } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet } from '../support/fleet.mjs';
import { fleetAvailable } from '../support/requirements.mjs';
import { recordingFetch } from '../support/served-by.mjs';

const available = await fleetAvailable();
const silent = { debug() {}, info() {}, warn() {}, error() {} };

type Fleet = Awaited<ReturnType<typeof startFleet>>;
const textOf = (result: unknown) =>
  ((result as { content: { text: string }[] }).content[0] as { text: string }).text;

describe.skipIf(!available)('one session across the fleet', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startFleet({ instances: 3 });
  });
  afterAll(async () => {
    await fleet?.close();
  });

  it('SDK v1 (2025-11-25): one session, every call answered, by every instance in turn', async () => {
    const recorder = recordingFetch();
    const client = new ClientV1({ name: 'fleet-v1', version: '1.0.0' });
    const transport = new TransportV1(new URL(fleet.url), { fetch: recorder.fetch });
    await client.connect(transport);
    const sessionId = transport.sessionId as string;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const answers: string[] = [];
    for (let call = 0; call < 6; call++) {
      answers.push(textOf(await client.callTool({ name: 'where', arguments: {} })));
    }
    for (const answer of answers) expect(answer.endsWith(`:${sessionId}`)).toBe(true);
    expect(new Set(answers.map((answer) => answer.split(':')[0]))).toEqual(new Set(['a', 'b', 'c']));
    expect(new Set(recorder.served.map((entry) => entry.instance))).toEqual(new Set(['a', 'b', 'c']));
    expect(recorder.served.every((entry) => entry.status < 300)).toBe(true);
    await transport.terminateSession();
    await client.close();
  });

  it('SDK v2, 2025 era: one session, every call answered, by every instance in turn', async () => {
    const client = new ClientV2(
      { name: 'fleet-v2', version: '1.0.0' },
      { versionNegotiation: { mode: 'legacy' } },
    );
    const transport = new TransportV2(new URL(fleet.url));
    await client.connect(transport);
    const sessionId = transport.sessionId as string;
    const answers: string[] = [];
    for (let call = 0; call < 6; call++) {
      answers.push(textOf(await client.callTool({ name: 'where', arguments: {} })));
    }
    for (const answer of answers) expect(answer.endsWith(`:${sessionId}`)).toBe(true);
    expect(new Set(answers.map((answer) => answer.split(':')[0]))).toEqual(new Set(['a', 'b', 'c']));
    expect(textOf(await client.callTool({ name: 'add', arguments: { a: 2, b: 40 } }))).toBe('42');
    await transport.terminateSession();
    await client.close();
  });

  it('SDK v2, 2026-07-28: every instance serves calls, and an input round finishes on another instance', async () => {
    const client = new ClientV2(
      { name: 'fleet-v2-modern', version: '1.0.0' },
      { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    client.setRequestHandler('elicitation/create', async () => ({
      action: 'accept',
      content: { name: 'Ada' },
    }));
    const recorder = recordingFetch();
    await client.connect(new TransportV2(new URL(fleet.url), { fetch: recorder.fetch }));
    const answers: string[] = [];
    for (let call = 0; call < 6; call++) {
      answers.push(textOf(await client.callTool({ name: 'where', arguments: {} })));
    }
    expect(new Set(answers.map((answer) => answer.split(':')[0]))).toEqual(new Set(['a', 'b', 'c']));
    const before = recorder.served.length;
    // Round 1 asks (input_required), round 2 retries with the answer and the sealed state.
    expect(textOf(await client.callTool({ name: 'greet', arguments: {} }))).toMatch(
      /^Hello Ada, from [abc]$/,
    );
    const rounds = recorder.served.slice(before).filter((entry) => entry.method === 'POST');
    expect(rounds.length).toBeGreaterThanOrEqual(2);
    expect(new Set(rounds.map((entry) => entry.instance)).size).toBeGreaterThan(1);
    await client.close();
  });

  for (const protocol of ['legacy', '2026-07-28'] as const) {
    it(`@toolwire/core (${protocol}): calls and an elicitation through the fleet`, async () => {
      const registry = await createRegistry({
        servers: { fleet: { url: fleet.url, protocol, toolPrefix: false } },
        onElicitation: async () => ({ action: 'accept', content: { name: 'Grace' } }),
        cache: 'memory',
        logger: silent,
      });
      try {
        const answers: string[] = [];
        for (let call = 0; call < 6; call++) answers.push((await registry.callTool('where', {})).text);
        expect(new Set(answers.map((answer) => answer.split(':')[0]))).toEqual(new Set(['a', 'b', 'c']));
        if (protocol === 'legacy') {
          expect(new Set(answers.map((answer) => answer.split(':')[1])).size).toBe(1);
        }
        expect((await registry.callTool('add', { a: 1, b: 2 })).text).toBe('3');
        if (protocol === '2026-07-28') {
          expect((await registry.callTool('greet', {})).text).toMatch(/^Hello Grace, from [abc]$/);
        }
      } finally {
        await registry.close();
      }
    });
  }
});
