/**
 * 2025 era: a tool asks the client (elicitation, sampling) from the instance running it; the
 * client's answer is a new POST, which the load balancer sends to whichever instance is next.
 * That instance routes the answer over Redis pub/sub to the one that asked, and the tool gets
 * it. A client's cancellation, wherever it lands, reaches the instance running the call. SDK v1,
 * SDK v2 and @toolwire/core as clients.
 */
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as TransportV2,
} from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createRegistry } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFleet } from '../support/fleet.mjs';
import { fleetAvailable } from '../support/requirements.mjs';
import { recordingFetch } from '../support/served-by.mjs';

const available = await fleetAvailable();
const silent = { debug() {}, info() {}, warn() {}, error() {} };

type Fleet = Awaited<ReturnType<typeof startFleet>>;
type Served = ReturnType<typeof recordingFetch>['served'];
const textOf = (result: unknown) =>
  ((result as { content: { text: string }[] }).content[0] as { text: string }).text;

/**
 * Answers that reached an instance other than the one that asked (named in the tool's text). The
 * tool's result may reach the client before the 202 of the answer that resumed it (the asking
 * instance can be the one the answer landed on), so the last answer's record may lag the result.
 */
async function crossed(served: Served, askers: string[]): Promise<number> {
  const answersOf = () => served.filter((entry) => entry.carried === 'answer');
  await vi.waitFor(() => expect(answersOf()).toHaveLength(askers.length));
  const answers = answersOf();
  expect(answers.every((entry) => entry.status === 202)).toBe(true);
  return answers.filter((entry, index) => entry.instance !== askers[index]).length;
}

describe.skipIf(!available)('server-to-client requests across instances (2025 era)', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startFleet({ instances: 3 });
  });
  afterAll(async () => {
    await fleet?.close();
  });

  it('SDK v1: elicitation and sampling answers reach the asking instance', async () => {
    const recorder = recordingFetch();
    const client = new ClientV1(
      { name: 'fleet-v1', version: '1.0.0' },
      { capabilities: { elicitation: { form: {} }, sampling: {} } },
    );
    client.setRequestHandler(ElicitRequestSchema, async () => ({
      action: 'accept',
      content: { name: 'Ada' },
    }));
    client.setRequestHandler(CreateMessageRequestSchema, async () => ({
      role: 'assistant',
      content: { type: 'text', text: 'fleet' },
      model: 'scripted',
    }));
    const transport = new TransportV1(new URL(fleet.url), { fetch: recorder.fetch });
    await client.connect(transport);
    const askers: string[] = [];
    for (let round = 0; round < 3; round++) {
      const greeting = textOf(await client.callTool({ name: 'greet', arguments: {} }));
      expect(greeting).toMatch(/^Hello Ada, from [abc]$/);
      askers.push(greeting.slice(-1));
      const thought = textOf(await client.callTool({ name: 'think', arguments: {} }));
      expect(thought).toMatch(/^The model said fleet, to [abc]$/);
      askers.push(thought.slice(-1));
    }
    expect(await crossed(recorder.served, askers)).toBeGreaterThan(0);
    await transport.terminateSession();
    await client.close();
  });

  it('SDK v2 (2025 era): elicitation and sampling answers reach the asking instance', async () => {
    const recorder = recordingFetch();
    const client = new ClientV2(
      { name: 'fleet-v2', version: '1.0.0' },
      { capabilities: { elicitation: { form: {} }, sampling: {} }, versionNegotiation: { mode: 'legacy' } },
    );
    client.setRequestHandler('elicitation/create', async () => ({
      action: 'accept',
      content: { name: 'Bo' },
    }));
    client.setRequestHandler('sampling/createMessage', async () => ({
      role: 'assistant',
      content: { type: 'text', text: 'v2' },
      model: 'scripted',
    }));
    const transport = new TransportV2(new URL(fleet.url), { fetch: recorder.fetch });
    await client.connect(transport);
    const askers: string[] = [];
    for (let round = 0; round < 3; round++) {
      const greeting = textOf(await client.callTool({ name: 'greet', arguments: {} }));
      expect(greeting).toMatch(/^Hello Bo, from [abc]$/);
      askers.push(greeting.slice(-1));
      const thought = textOf(await client.callTool({ name: 'think', arguments: {} }));
      expect(thought).toMatch(/^The model said v2, to [abc]$/);
      askers.push(thought.slice(-1));
    }
    expect(await crossed(recorder.served, askers)).toBeGreaterThan(0);
    await transport.terminateSession();
    await client.close();
  });

  it('SDK v1: a cancellation sent to another instance aborts the call where it runs', async () => {
    const recorder = recordingFetch();
    const client = new ClientV1({ name: 'fleet-cancel', version: '1.0.0' });
    const transport = new TransportV1(new URL(fleet.url), { fetch: recorder.fetch });
    await client.connect(transport);
    const tag = crypto.randomUUID();
    const abort = new AbortController();
    const call = client.callTool({ name: 'hold', arguments: { tag } }, undefined, { signal: abort.signal });
    let runner: string | null = null;
    while (!runner) {
      runner = await fleet.redis.get(`${fleet.prefix}:test:held:${tag}`);
      if (!runner) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    abort.abort();
    await expect(call).rejects.toThrow();
    let aborted: string | null = null;
    while (!aborted) {
      aborted = await fleet.redis.get(`${fleet.prefix}:test:aborted:${tag}`);
      if (!aborted) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(aborted).toBe(runner);
    const cancel = recorder.served.find((entry) => entry.carried === 'notifications/cancelled');
    expect(cancel?.instance).not.toBe(runner);
    await transport.terminateSession();
    await client.close();
  });

  it('@toolwire/core (legacy): elicitation answers reach the asking instance', async () => {
    const registry = await createRegistry({
      servers: { fleet: { url: fleet.url, protocol: 'legacy', toolPrefix: false } },
      onElicitation: async () => ({ action: 'accept', content: { name: 'Grace' } }),
      cache: 'memory',
      logger: silent,
    });
    try {
      const askers = new Set<string>();
      for (let round = 0; round < 4; round++) {
        const { text } = await registry.callTool('greet', {});
        expect(text).toMatch(/^Hello Grace, from [abc]$/);
        askers.add(text.slice(-1));
      }
      expect(askers.size).toBeGreaterThan(1);
    } finally {
      await registry.close();
    }
  });
});
