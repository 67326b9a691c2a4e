/**
 * `completion/complete` is judged by the policy of the prompt or resource it completes, over real
 * peers: two users with real tokens (oidc-provider on loopback), an upstream publisher on loopback
 * with a prompt and a resource template that answers completions and records each one it receives,
 * and the gateway. `byPrincipal` denies the prompt and the template to one user: that user's
 * completions are refused with the same `POLICY_DENIED` error its `prompts/get` gets and never
 * reach the upstream, while the other user's are answered by the upstream; every completion,
 * refused or not, leaves an audit record naming what was completed. A rate limit whose `kinds`
 * names `'completion'` counts completions (and a prompt-only limit does not).
 */
import type { Client } from '@modelcontextprotocol/client';
import { silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPublisher,
  definePrompt,
  defineResource,
  type ListeningPublisher,
} from '../../publisher/src/index.js';
import {
  type OAuthClientName,
  type OAuthServer,
  startOAuthServer,
} from '../../publisher/test/support/oauth-server.js';
import { createGateway, type Gateway, type GatewayAuditRecord, type GatewayPolicy } from '../src/index.js';
import { connectUser, gatewayAuth } from './support/gateway-users.js';

const TEMPLATE = 'note://{name}';
const NAMES = ['alpha', 'beta', 'gamma'];

let oauth: OAuthServer;
let upstream: ListeningPublisher;
let gateway: Gateway;
let url: string;
const clients: Client[] = [];
const audit: GatewayAuditRecord[] = [];
/** The completions that reached the upstream: `<prompt name or URI template> <argument>`. */
const completed: string[] = [];

const upstreams = () => ({
  servers: { up: { url: upstream.url, type: 'http' as const, protocol: 'legacy' as const } },
  cache: 'memory' as const,
  logger: silentLogger,
});

const basePolicy: GatewayPolicy = {
  byPrincipal: { 'agent-b': { deny: ['up__greet', 'note://*'] } },
  auditArguments: true,
  onAudit: (record) => audit.push(record),
};

beforeAll(async () => {
  oauth = await startOAuthServer();
  const publisher = createPublisher({
    name: 'up',
    version: '1.0.0',
    onError: () => {},
    tools: [],
    prompts: [
      definePrompt({
        name: 'greet',
        arguments: [{ name: 'who', required: true }],
        get: ({ who }) => ({
          messages: [{ role: 'user', content: { type: 'text', text: `Hello ${who}.` } }],
        }),
      }),
    ],
    resources: [defineResource({ uri: TEMPLATE, template: true, name: 'note', read: (uri) => uri.href })],
    // The publisher wraps no completions: the upstream answers them itself, and records each.
    extend(server) {
      server.server.registerCapabilities({ completions: {} });
      server.server.setRequestHandler('completion/complete', async ({ params }) => {
        const target = params.ref.type === 'ref/prompt' ? params.ref.name : params.ref.uri;
        completed.push(`${target} ${params.argument.name}`);
        return {
          completion: { values: NAMES.filter((name) => name.startsWith(params.argument.value)) },
        };
      });
    },
  });
  upstream = await publisher.listen();
  gateway = await createGateway({
    upstreams: upstreams(),
    policy: basePolicy,
    publisher: { onError: () => {}, http: { auth: gatewayAuth(oauth) } },
  });
  ({ url } = await gateway.listen());
});

afterAll(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => {});
  await gateway?.close();
  await upstream?.close({ drainMs: 100 });
  await oauth?.close();
});

const connectAs = (user: OAuthClientName) =>
  connectUser({ oauth, url, user, clients, name: `gateway-completions-${user}` });

const completePrompt = (client: Client, value: string) =>
  client.complete({ ref: { type: 'ref/prompt', name: 'up__greet' }, argument: { name: 'who', value } });

const completeTemplate = (client: Client, value: string) =>
  client.complete({ ref: { type: 'ref/resource', uri: TEMPLATE }, argument: { name: 'name', value } });

describe('completions and the policy', () => {
  it('refuses a denied prompt or template to one user as its get would be, and answers the other', async () => {
    const alice = await connectAs('agent');
    const bob = await connectAs('agent-b');
    completed.length = 0;
    audit.length = 0;

    expect((await completePrompt(alice, 'a')).completion.values).toEqual(['alpha']);
    expect((await completeTemplate(alice, 'g')).completion.values).toEqual(['gamma']);
    expect(completed).toEqual(['greet who', `${TEMPLATE} name`]);

    // Bob is denied both: hidden from his lists, refused like his prompts/get, nothing upstream.
    expect((await bob.listPrompts()).prompts).toEqual([]);
    expect((await bob.listResourceTemplates()).resourceTemplates).toEqual([]);
    const getRefusal = await bob
      .getPrompt({ name: 'up__greet', arguments: { who: 'Ada' } })
      .catch((error: unknown) => error);
    const promptRefusal = await completePrompt(bob, 'a').catch((error: unknown) => error);
    expect(promptRefusal).toMatchObject({
      code: (getRefusal as { code: number }).code,
      message: (getRefusal as Error).message,
      data: { code: 'POLICY_DENIED' },
    });
    expect((promptRefusal as Error).message).toContain(
      `The gateway's policy denies the prompt "up__greet" to this caller.`,
    );
    await expect(completeTemplate(bob, 'g')).rejects.toMatchObject({
      message: expect.stringContaining(
        `The gateway's policy denies the resource "${TEMPLATE}" to this caller.`,
      ),
      data: { code: 'POLICY_DENIED' },
    });
    expect(completed).toEqual(['greet who', `${TEMPLATE} name`]);

    const completions = audit.filter((record) => record.kind === 'completion');
    expect(completions).toEqual([
      expect.objectContaining({
        kind: 'completion',
        ref: 'prompt',
        name: 'up__greet',
        server: 'up',
        argument: 'who',
        arguments: { who: 'a' },
        outcome: 'ok',
        principal: expect.any(String),
      }),
      expect.objectContaining({
        kind: 'completion',
        ref: 'resource',
        uri: TEMPLATE,
        server: 'up',
        argument: 'name',
        outcome: 'ok',
      }),
      expect.objectContaining({
        ref: 'prompt',
        name: 'up__greet',
        outcome: 'denied',
        errorCode: 'POLICY_DENIED',
      }),
      expect.objectContaining({
        ref: 'resource',
        uri: TEMPLATE,
        outcome: 'denied',
        errorCode: 'POLICY_DENIED',
      }),
    ]);
    // The records name each caller by its own digest.
    expect(completions[0]?.principal).not.toBe(completions[2]?.principal);
    expect(completions[2]?.principal).toBe(completions[3]?.principal);
  });

  it("counts completions in a limit whose kinds name 'completion', and only there", async () => {
    await gateway.reload({
      upstreams: upstreams(),
      policy: {
        ...basePolicy,
        rateLimits: [
          { name: 'prompts', per: 'principal', kinds: ['prompt'], limit: 1, windowMs: 60_000 },
          { name: 'completions', per: 'principal', kinds: ['completion'], limit: 2, windowMs: 60_000 },
        ],
      },
    });
    const alice = await connectAs('agent');
    completed.length = 0;
    expect((await completePrompt(alice, 'b')).completion.values).toEqual(['beta']);
    expect((await completeTemplate(alice, '')).completion.values).toEqual(NAMES);
    await expect(completePrompt(alice, 'g')).rejects.toMatchObject({
      data: { code: 'RATE_LIMITED', limit: 'completions', retryAfterMs: expect.any(Number) },
    });
    expect(completed).toEqual(['greet who', `${TEMPLATE} name`]);
    // The prompt limit was not used up by the completions.
    const greeting = await alice.getPrompt({ name: 'up__greet', arguments: { who: 'Ada' } });
    expect(greeting.messages[0]?.content).toEqual({ type: 'text', text: 'Hello Ada.' });
    expect(audit.at(-2)).toMatchObject({
      kind: 'completion',
      outcome: 'rate-limited',
      errorCode: 'RATE_LIMITED',
    });
  });
});
