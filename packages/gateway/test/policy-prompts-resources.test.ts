/**
 * The policy's allow/deny rules cover prompts and resources too, over real peers: two users with
 * real tokens (oidc-provider on loopback), an upstream with a prompt and a resource (our
 * publisher on loopback), and the gateway. `byPrincipal` denies the prompt and the resource to
 * one user: that user's lists leave them out and `prompts/get` / `resources/read` /
 * `resources/subscribe` are refused with `POLICY_DENIED` (nothing goes upstream), while the other
 * user lists, gets and reads them. A top-level `allow` limits resources by URI like tools by name.
 */
import { silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OAuthClientName } from '../../publisher/test/support/oauth-server.js';
import { startUsersGateway, type UsersGateway } from './support/gateway-users.js';
import { startUpstreamPublisher, type UpstreamPublisher } from './support/upstream-publisher.js';

let upstream: UpstreamPublisher;
let users: UsersGateway;

beforeAll(async () => {
  upstream = await startUpstreamPublisher();
  users = await startUsersGateway(
    {
      upstreams: {
        servers: { upstream: { url: upstream.url, type: 'http', protocol: 'legacy' } },
        cache: 'memory',
        logger: silentLogger,
      },
      policy: {
        // Prompts by registry name, resources by URI (or `<server>__<uri>`), as tools by name.
        byPrincipal: { 'agent-b': { deny: ['upstream__greeting', 'memo://*'] } },
      },
    },
    { clientName: 'gateway-policy' },
  );
});

afterAll(async () => {
  await users?.close();
  await upstream?.close();
});

const connectAs = (user: OAuthClientName) => users.connectAs(user);

describe('policy for prompts and resources', () => {
  it('lets one user list, get and read what it denies to the other', async () => {
    const alice = await connectAs('agent');
    const bob = await connectAs('agent-b');

    expect((await alice.listPrompts()).prompts.map((prompt) => prompt.name)).toEqual(['upstream__greeting']);
    expect((await alice.listResources()).resources.map((resource) => resource.uri)).toEqual(['memo://note']);
    const greeting = await alice.getPrompt({ name: 'upstream__greeting', arguments: { who: 'Ada' } });
    expect(greeting.messages[0]?.content).toEqual({ type: 'text', text: 'Say hello to Ada.' });
    expect((await alice.readResource({ uri: 'memo://note' })).contents[0]).toMatchObject({
      text: '(nothing)',
    });

    // Bob's lists leave them out…
    expect((await bob.listPrompts()).prompts).toEqual([]);
    expect((await bob.listResources()).resources).toEqual([]);
    // …and asking anyway is refused by the policy, not forwarded.
    await expect(
      bob.getPrompt({ name: 'upstream__greeting', arguments: { who: 'Ada' } }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('policy denies the prompt "upstream__greeting"'),
      data: { code: 'POLICY_DENIED' },
    });
    await expect(bob.readResource({ uri: 'memo://note' })).rejects.toMatchObject({
      message: expect.stringContaining('policy denies the resource "memo://note"'),
      data: { code: 'POLICY_DENIED' },
    });
    await expect(bob.subscribeResource({ uri: 'memo://note' })).rejects.toMatchObject({
      data: { code: 'POLICY_DENIED' },
    });
    // Tools are untouched by these rules.
    expect((await bob.callTool({ name: 'upstream__recall', arguments: {} })).isError).toBeFalsy();
  });

  it('limits resources to a top-level allow list, matched by URI or <server>__<uri>', async () => {
    await users.gateway.reload({
      upstreams: {
        servers: { upstream: { url: upstream.url, type: 'http', protocol: 'legacy' } },
        cache: 'memory',
        logger: silentLogger,
      },
      policy: { allow: ['upstream__*'] },
    });
    const alice = await connectAs('agent');
    expect((await alice.listResources()).resources.map((resource) => resource.uri)).toEqual(['memo://note']);
    await users.gateway.reload({
      upstreams: {
        servers: { upstream: { url: upstream.url, type: 'http', protocol: 'legacy' } },
        cache: 'memory',
        logger: silentLogger,
      },
      policy: { allow: ['upstream__forecast'] },
    });
    expect((await alice.listResources()).resources).toEqual([]);
    expect((await alice.listPrompts()).prompts).toEqual([]);
    await expect(alice.readResource({ uri: 'memo://note' })).rejects.toMatchObject({
      data: { code: 'POLICY_DENIED' },
    });
  });
});
