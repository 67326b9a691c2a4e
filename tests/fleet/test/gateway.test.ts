/**
 * A gateway fleet: three `@toolwire/gateway` processes behind HAProxy (round robin, no
 * stickiness, each checked on `/ready`), their downstream sessions in one Redis, in front of two
 * shared upstream servers (publisher processes). A downstream session goes on through every
 * instance; each instance holds its own upstream session for it (upstream state is per gateway
 * instance, as docs/deployment.md says); an upstream that crashes leaves the other one working
 * through every instance, and the fleet stays ready while its required upstream is up.
 */
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as TransportV2,
} from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFleet } from '../support/gateway-fleet.mjs';
import { fleetAvailable } from '../support/requirements.mjs';
import { recordingFetch } from '../support/served-by.mjs';

const available = await fleetAvailable();

type GatewayFleet = Awaited<ReturnType<typeof startGatewayFleet>>;
const textOf = (result: unknown) =>
  ((result as { content: { text: string }[] }).content[0] as { text: string }).text;

describe.skipIf(!available)('a gateway fleet', () => {
  let fleet: GatewayFleet;
  const clients: ClientV2[] = [];

  beforeAll(async () => {
    fleet = await startGatewayFleet({ instances: 3, requiredUpstreams: ['beta'] });
  });
  afterAll(async () => {
    for (const client of clients) await client.close().catch(() => {});
    await fleet?.close();
  });

  /** A 2025-era SDK v2 client (one MCP session) through the balancer, recording who served what. */
  async function connect() {
    const recorder = recordingFetch();
    const client = new ClientV2(
      { name: 'gateway-fleet', version: '1.0.0' },
      { versionNegotiation: { mode: 'legacy' } },
    );
    const transport = new TransportV2(new URL(fleet.url), { fetch: recorder.fetch });
    await client.connect(transport);
    clients.push(client);
    /** The instance that answered the last tool call. */
    const lastCallServedBy = () =>
      recorder.served.filter((entry) => entry.carried === 'tools/call').at(-1)?.instance ?? undefined;
    return { client, transport, recorder, lastCallServedBy };
  }

  it('continues one downstream session through every instance; each instance has its own upstream session', async () => {
    const { client, transport, lastCallServedBy } = await connect();
    const sessionId = transport.sessionId as string;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['alpha__where', 'alpha__add', 'beta__where', 'beta__add']),
    );
    const upstreamSessionBy = new Map<string, Set<string>>();
    for (let call = 0; call < 6; call++) {
      const answer = textOf(await client.callTool({ name: 'alpha__where', arguments: {} }));
      const instance = lastCallServedBy() as string;
      const [upstream, upstreamSession] = answer.split(':');
      expect(upstream).toBe('up-alpha');
      upstreamSessionBy.set(
        instance,
        (upstreamSessionBy.get(instance) ?? new Set()).add(upstreamSession as string),
      );
    }
    expect(transport.sessionId).toBe(sessionId);
    expect(new Set(upstreamSessionBy.keys())).toEqual(new Set(['a', 'b', 'c']));
    // One upstream session per gateway instance for this downstream session, each its own.
    const perInstance = [...upstreamSessionBy.values()];
    for (const sessions of perInstance) expect(sessions.size).toBe(1);
    expect(new Set(perInstance.flatMap((sessions) => [...sessions])).size).toBe(3);
    expect(textOf(await client.callTool({ name: 'beta__add', arguments: { a: 2, b: 40 } }))).toBe('42');
  });

  it('an upstream that crashes leaves the other working through every instance, and the fleet ready', async () => {
    const { client, transport, lastCallServedBy } = await connect();
    const sessionId = transport.sessionId;
    await fleet.upstreams.alpha.kill();

    const servedBy = new Set<string>();
    for (let call = 0; call < 6; call++) {
      expect(textOf(await client.callTool({ name: 'beta__add', arguments: { a: call, b: 1 } }))).toBe(
        String(call + 1),
      );
      servedBy.add(lastCallServedBy() as string);
    }
    expect(servedBy).toEqual(new Set(['a', 'b', 'c']));

    // The crashed upstream's tools fail (an error result or a JSON-RPC error), promptly and typed.
    const failed = await client.callTool({ name: 'alpha__add', arguments: { a: 1, b: 1 } }).then(
      (result) => ({ isError: result.isError === true, text: textOf(result) }),
      (error: Error) => ({ isError: true, text: error.message }),
    );
    expect(failed.isError).toBe(true);
    expect(failed.text).toMatch(/alpha/);
    expect(transport.sessionId).toBe(sessionId);

    // `beta` is the required upstream: every instance stays ready, and so does the balancer.
    for (const instance of fleet.instances as { name: string; port: number }[]) {
      const ready = await fetch(`http://127.0.0.1:${instance.port}/ready`);
      expect(ready.status, `instance ${instance.name}`).toBe(200);
      await ready.body?.cancel();
    }
    const balanced = await fetch(`${fleet.origin}/ready`);
    expect(balanced.status).toBe(200);
    await balanced.body?.cancel();
  });
});
