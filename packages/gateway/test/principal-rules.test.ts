/**
 * Per-principal rules end to end: two users with real tokens from a real OAuth server
 * (oidc-provider on loopback; a client-credentials token's `sub` is its client, `agent` or
 * `agent-b`) call an upstream publisher through one gateway (SDK v2 client downstream).
 * `byPrincipal` widens the allow list for one subject and narrows it for the other; a deny from a
 * scope wins over a principal's allow, and a principal's deny over the top-level allow.
 */
import type { Client } from '@modelcontextprotocol/client';
import { silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OAuthClientName } from '../../publisher/test/support/oauth-server.js';
import { createGateway } from '../src/index.js';
import { startUsersGateway, type UsersGateway } from './support/gateway-users.js';
import { startUpstreamPublisher, type UpstreamPublisher } from './support/upstream-publisher.js';

let upstream: UpstreamPublisher;
let users: UsersGateway;

beforeAll(async () => {
  upstream = await startUpstreamPublisher();
  users = await startUsersGateway(
    {
      upstreams: {
        servers: { upstream: { url: upstream.url, type: 'http' } },
        cache: 'memory',
        logger: silentLogger,
      },
      upstreamSessions: 'shared',
      policy: {
        allow: ['upstream__forecast'],
        byPrincipal: {
          agent: { allow: ['upstream__remember', 'upstream__recall'] },
          'agent-b': { deny: ['upstream__forecast'] },
        },
        byScope: { 'files:read': { deny: ['upstream__remember'] } },
      },
    },
    { clientName: 'gateway-principal' },
  );
});

afterAll(async () => {
  await users?.close();
  await upstream?.close();
});

const connectAs = (user: OAuthClientName, scope = 'mcp') => users.connectAs(user, { scope });

const textOf = (result: Awaited<ReturnType<Client['callTool']>>) =>
  (result.content as { type: string; text?: string }[]).map((block) => block.text ?? '').join('\n');

describe('policy.byPrincipal', () => {
  it("widens one subject's allow list and narrows another's", async () => {
    const alice = await connectAs('agent');
    const bob = await connectAs('agent-b');

    expect(
      (await alice.callTool({ name: 'upstream__remember', arguments: { note: 'a' } })).isError,
    ).toBeFalsy();
    expect(textOf(await alice.callTool({ name: 'upstream__recall', arguments: {} }))).toBe('a');
    expect(
      (await alice.callTool({ name: 'upstream__forecast', arguments: { city: 'Oslo' } })).isError,
    ).toBeFalsy();

    const notAllowed = await bob.callTool({ name: 'upstream__recall', arguments: {} });
    expect(notAllowed.isError).toBe(true);
    expect(textOf(notAllowed)).toContain('does not allow "upstream__recall"');
    const denied = await bob.callTool({ name: 'upstream__forecast', arguments: { city: 'Oslo' } });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toContain('denies "upstream__forecast"');
  });

  it("a scope's deny wins over the principal's allow", async () => {
    const readOnlyAlice = await connectAs('agent', 'mcp files:read');
    const refused = await readOnlyAlice.callTool({ name: 'upstream__remember', arguments: { note: 'b' } });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain('denies "upstream__remember"');
    // The rest of her principal's allow list still holds.
    expect((await readOnlyAlice.callTool({ name: 'upstream__recall', arguments: {} })).isError).toBeFalsy();
  });

  it.each([
    [{ byPrincipal: [] }, 'policy.byPrincipal must be an object of subject'],
    [{ byPrincipal: { alice: { deny: 'x' } } }, 'policy.byPrincipal["alice"].deny must be an array'],
    [{ byPrincipal: { alice: { allow: ['x'] } } }, 'policy.byPrincipal["alice"].allow widens policy.allow'],
  ])('rejects %j as CONFIG_INVALID naming the path', async (policy, message) => {
    const failure = createGateway({
      upstreams: { servers: {}, cache: 'memory', logger: silentLogger },
      // biome-ignore lint/suspicious/noExplicitAny: deliberately malformed input
      policy: policy as any,
    });
    await expect(failure).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(failure).rejects.toThrow(message);
  });
});
