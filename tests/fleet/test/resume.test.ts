/**
 * 2025 era: a tool's response stream (progress events, then the result) is cut mid-stream; the
 * client reconnects with `Last-Event-ID`, the load balancer sends that GET to another instance,
 * and that instance relays the stream from Redis: the events stored while the client was away,
 * then each new one live, then the result. Every progress event arrives exactly once, in order.
 * SDK v1, SDK v2 and @toolwire/core as clients.
 */
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as TransportV2,
} from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createRegistry } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cuttingFetch } from '../support/cut-stream.mjs';
import { startFleet } from '../support/fleet.mjs';
import { fleetAvailable } from '../support/requirements.mjs';
import { recordingFetch } from '../support/served-by.mjs';

const available = await fleetAvailable();
const silent = { debug() {}, info() {}, warn() {}, error() {} };
type Fleet = Awaited<ReturnType<typeof startFleet>>;

const COUNT = 10;
const textOf = (result: unknown) =>
  ((result as { content: { text: string }[] }).content[0] as { text: string }).text;

describe.skipIf(!available)('a cut SSE response resumes through another instance', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startFleet({ instances: 3 });
  });
  afterAll(async () => {
    await fleet?.close();
  });

  /**
   * Cuts the call's stream after the first half of its progress, opens the tool's gate once the
   * client has resumed somewhere, and checks what arrived and where.
   */
  async function scenario(
    connect: (fetch: typeof globalThis.fetch) => Promise<{
      call: (gate: string, onProgress: (progress: number) => void) => Promise<string>;
      close: () => Promise<void>;
    }>,
  ) {
    const gate = crypto.randomUUID();
    const recorder = recordingFetch();
    const cutter = cuttingFetch(recorder.fetch, (text: string) => text.includes(`step ${COUNT / 2}"`));
    const client = await connect(cutter.fetch);
    const progress: number[] = [];
    const calling = client.call(gate, (value) => progress.push(value));
    // The first half went out on the original stream before it was cut; the second half is
    // produced only once the client has come back (a GET with Last-Event-ID) on some instance.
    const resumed = async () => {
      for (;;) {
        const resume = recorder.served.find((entry) => entry.method === 'GET' && entry.resumed);
        if (resume && cutter.state.cut) return resume;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const resume = await resumed();
    await fleet.redis.set(`${fleet.prefix}:test:gate:${gate}`, '1', 'PX', 60_000);
    const result = await calling;
    await client.close();
    const runner = result.slice(-1);
    expect(result).toBe(`counted ${COUNT} on ${runner}`);
    expect(progress).toEqual(Array.from({ length: COUNT }, (_, index) => index + 1));
    const call = recorder.served.find((entry) => entry.carried === 'tools/call');
    expect(call?.instance).toBe(runner);
    expect(resume.status).toBe(200);
    expect(resume.instance).not.toBe(runner);
    // One resumption was enough: the other instance went on relaying live until the result.
    expect(recorder.served.filter((entry) => entry.method === 'GET' && entry.resumed)).toHaveLength(1);
  }

  it('SDK v1', async () => {
    await scenario(async (fetch) => {
      const client = new ClientV1({ name: 'resume-v1', version: '1.0.0' });
      const transport = new TransportV1(new URL(fleet.url), { fetch });
      await client.connect(transport);
      return {
        call: async (gate, onProgress) =>
          textOf(
            await client.callTool({ name: 'countdown', arguments: { count: COUNT, gate } }, undefined, {
              onprogress: ({ progress }) => onProgress(progress),
            }),
          ),
        close: async () => {
          await transport.terminateSession().catch(() => {});
          await client.close();
        },
      };
    });
  });

  it('SDK v2 (2025 era)', async () => {
    await scenario(async (fetch) => {
      const client = new ClientV2(
        { name: 'resume-v2', version: '1.0.0' },
        { versionNegotiation: { mode: 'legacy' } },
      );
      const transport = new TransportV2(new URL(fleet.url), { fetch });
      await client.connect(transport);
      return {
        call: async (gate, onProgress) =>
          textOf(
            await client.callTool(
              { name: 'countdown', arguments: { count: COUNT, gate } },
              {
                onprogress: ({ progress }) => onProgress(progress),
              },
            ),
          ),
        close: async () => {
          await transport.terminateSession().catch(() => {});
          await client.close();
        },
      };
    });
  });

  it('@toolwire/core (legacy)', async () => {
    await scenario(async (fetch) => {
      const registry = await createRegistry({
        servers: { fleet: { url: fleet.url, protocol: 'legacy', toolPrefix: false } },
        cache: 'memory',
        logger: silent,
        fetch,
      });
      return {
        call: async (gate, onProgress) =>
          (
            await registry.callTool(
              'countdown',
              { count: COUNT, gate },
              { onProgress: ({ progress }) => onProgress(progress) },
            )
          ).text,
        close: () => registry.close(),
      };
    });
  });
});
