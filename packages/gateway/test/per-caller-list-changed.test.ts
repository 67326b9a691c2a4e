/**
 * `list_changed` per caller: two users with real tokens (a real OAuth server on loopback) hold
 * 2025 sessions on a gateway whose policy hides denied tools. A reload that changes only the
 * policy, hiding a tool from user A, tells A (whose new list lacks it) and not B; B's absence is
 * proven by a later notification on the same stream (a prompt added upstream), which B hears with
 * no tools notification before it. An upstream tool change both may see is told to both.
 */
import { silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../core/test/support/index.js';
import {
  createPublisher,
  definePrompt,
  defineTool,
  type ListeningPublisher,
  type Publisher,
} from '../../publisher/src/index.js';
import type { OAuthClientName } from '../../publisher/test/support/oauth-server.js';
import type { GatewayPolicy } from '../src/index.js';
import { startUsersGateway, type UsersGateway } from './support/gateway-users.js';

type Heard = 'tools' | 'prompts';

let upstream: Publisher;
let upstreamListening: ListeningPublisher;
let users: UsersGateway;

const tool = (name: string) =>
  defineTool({ name, description: `The ${name} tool.`, execute: () => `${name} ran` });
const upstreams = () => ({
  servers: { up: { url: upstreamListening.url, type: 'http' as const } },
  cache: 'memory' as const,
  logger: silentLogger,
});
const OPEN_POLICY: GatewayPolicy = { allow: ['up__*'] };
const NO_BETA_FOR_READERS: GatewayPolicy = {
  allow: ['up__*'],
  byScope: { 'files:read': { deny: ['up__beta'] } },
};

beforeAll(async () => {
  upstream = createPublisher({
    name: 'up',
    version: '1.0.0',
    onError: () => {},
    tools: [tool('alpha'), tool('beta')],
    prompts: [],
  });
  upstreamListening = await upstream.listen();
  users = await startUsersGateway(
    { upstreams: upstreams(), upstreamSessions: 'shared', policy: OPEN_POLICY },
    { clientName: 'per-caller' },
  );
});

afterAll(async () => {
  await users?.close();
  await upstream?.close({ drainMs: 100 });
});

/** A user's client, recording each list_changed it hears, in order. */
async function connectAs(user: OAuthClientName, scope: string) {
  const heard: Heard[] = [];
  const client = await users.connectAs(user, { scope });
  client.setNotificationHandler('notifications/tools/list_changed', () => {
    heard.push('tools');
  });
  client.setNotificationHandler('notifications/prompts/list_changed', () => {
    heard.push('prompts');
  });
  const names = async () => (await client.listTools()).tools.map((listed) => listed.name).sort();
  return { client, heard, names };
}

describe('per-caller list_changed', () => {
  it('tells only the callers whose visible list a policy reload changed; upstream changes reach both', async () => {
    const a = await connectAs('agent', 'mcp files:read');
    const b = await connectAs('agent-b', 'mcp files:write');
    expect(await a.names()).toEqual(['up__alpha', 'up__beta']);
    expect(await b.names()).toEqual(['up__alpha', 'up__beta']);

    // An upstream tool both may see: both are told. A client's stream for server messages opens
    // after connect, so tools are added until both have heard one.
    let added = '';
    for (let attempt = 0; !(a.heard.includes('tools') && b.heard.includes('tools')); attempt++) {
      if (attempt === 40) throw new Error('the clients never heard an upstream tool change');
      added = `gamma_${attempt}`;
      await upstream.addTools([tool(added)]);
      await waitFor(() => a.heard.includes('tools') && b.heard.includes('tools'), {
        timeoutMs: 1_000,
        message: 'both clients told of the new tool',
      }).catch(() => undefined);
    }
    expect(await a.names()).toContain(`up__${added}`);
    expect(await b.names()).toContain(`up__${added}`);

    // A policy-only reload hiding beta from readers (A) only.
    const aBefore = a.heard.length;
    const bBefore = b.heard.length;
    await users.gateway.reload({ upstreams: upstreams(), policy: NO_BETA_FOR_READERS });
    await waitFor(() => a.heard.length > aBefore, { message: 'A told that its tool list changed' });
    expect(a.heard.slice(aBefore)).toEqual(['tools']);
    expect(await a.names()).not.toContain('up__beta');
    expect(await b.names()).toContain('up__beta');

    // A later notification on the same streams: B's first one after the reload is this one.
    await upstream.addPrompts([definePrompt({ name: 'later', get: () => ({ messages: [] }) })]);
    await waitFor(() => b.heard.length > bBefore && a.heard.length > aBefore + 1, {
      message: 'both told of the new prompt',
    });
    expect(b.heard.slice(bBefore)).toEqual(['prompts']);
    expect(a.heard.slice(aBefore)).toEqual(['tools', 'prompts']);

    // A reload that changes nothing visible tells nobody (again proven by a later notification).
    const aQuiet = a.heard.length;
    const bQuiet = b.heard.length;
    await users.gateway.reload({
      upstreams: upstreams(),
      policy: { ...NO_BETA_FOR_READERS, maxArgumentBytes: 10_000 },
    });
    await upstream.addTools([tool('delta')]);
    await waitFor(() => a.heard.length > aQuiet && b.heard.length > bQuiet, {
      message: 'both told of delta',
    });
    expect(a.heard.slice(aQuiet)).toEqual(['tools']);
    expect(b.heard.slice(bQuiet)).toEqual(['tools']);
    expect(await a.names()).toEqual(['up__alpha', `up__${added}`, 'up__delta'].sort());
  });
});
