/**
 * The policy's argument and result limits, rate limits and audit records cover prompts and
 * resources as they cover tool calls, over real peers: two users with real tokens (oidc-provider
 * on loopback), an upstream publisher on loopback that counts the prompt gets and resource reads
 * it serves, and the gateway. A prompt with arguments over `maxArgumentBytes` never goes upstream;
 * a prompt or read result over `maxResultBytes` is a `RESULT_TOO_LARGE` JSON-RPC error and its
 * content is not forwarded; a limit with `kinds` counts prompt gets or resource reads per user,
 * matched by registry name or URI (or `<server>__<uri>`), while a limit without `kinds` still
 * counts tool calls only; every `prompts/get`, `resources/read` and `resources/subscribe`,
 * refused or not, leaves one audit record naming its kind, what was asked, and the caller.
 */
import { silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPublisher,
  definePrompt,
  defineResource,
  defineTool,
  type ListeningPublisher,
} from '../../publisher/src/index.js';
import { listen } from '../../publisher/test/support/modern-mcp.js';
import type { OAuthClientName } from '../../publisher/test/support/oauth-server.js';
import { readEvents } from '../../publisher/test/support/raw-mcp.js';
import type { GatewayAuditRecord } from '../src/index.js';
import { startUsersGateway, type UsersGateway } from './support/gateway-users.js';

const MAX_ARGUMENT_BYTES = 200;
const MAX_RESULT_BYTES = 1_000;

let upstream: ListeningPublisher;
let users: UsersGateway;
const audit: GatewayAuditRecord[] = [];
/** What reached the upstream: prompt names got and resource URIs read. */
const served: string[] = [];

beforeAll(async () => {
  const publisher = createPublisher({
    name: 'up',
    version: '1.0.0',
    onError: () => {},
    prompts: [
      definePrompt({
        name: 'echo',
        description: 'Repeats the text ten times.',
        arguments: [{ name: 'text', required: true }],
        get: ({ text }) => {
          served.push('echo');
          return { messages: [{ role: 'user', content: { type: 'text', text: String(text).repeat(10) } }] };
        },
      }),
      definePrompt({
        name: 'greet',
        arguments: [{ name: 'who', required: true }],
        get: ({ who }) => {
          served.push('greet');
          return { messages: [{ role: 'user', content: { type: 'text', text: `Hello ${who}.` } }] };
        },
      }),
    ],
    resources: [
      defineResource({
        uri: 'memo://small',
        name: 'small',
        mimeType: 'text/plain',
        read: () => {
          served.push('memo://small');
          return 'small';
        },
      }),
      defineResource({
        uri: 'memo://large',
        name: 'large',
        mimeType: 'text/plain',
        read: () => {
          served.push('memo://large');
          return 'z'.repeat(5_000);
        },
      }),
      defineResource({
        uri: 'blob://{id}',
        template: true,
        name: 'blob',
        mimeType: 'text/plain',
        read: (uri) => {
          served.push(uri.href);
          return `blob ${uri.href}`;
        },
      }),
    ],
    tools: [defineTool({ name: 'ping', description: 'Answers pong.', execute: () => 'pong' })],
    extend(server, { era }) {
      if (era !== 'legacy') return;
      server.server.registerCapabilities({ resources: { subscribe: true } });
      server.server.setRequestHandler('resources/subscribe', async () => ({}));
      server.server.setRequestHandler('resources/unsubscribe', async () => ({}));
    },
  });
  upstream = await publisher.listen();
  users = await startUsersGateway(
    {
      upstreams: {
        servers: { up: { url: upstream.url, type: 'http', protocol: 'legacy' } },
        cache: 'memory',
        logger: silentLogger,
      },
      policy: {
        maxArgumentBytes: MAX_ARGUMENT_BYTES,
        maxResultBytes: MAX_RESULT_BYTES,
        byPrincipal: { 'agent-b': { deny: ['memo://large'] } },
        rateLimits: [
          // No `kinds`: tool calls only, as before prompts and resources had limits.
          { name: 'calls', per: 'principal', limit: 1, windowMs: 600_000 },
          {
            name: 'greetings',
            per: 'principal+tool',
            kinds: ['prompt'],
            tools: ['up__greet'],
            limit: 2,
            windowMs: 600_000,
          },
          // Matched as `<server>__<uri>`, as the allow/deny rules match resources.
          {
            name: 'blob-reads',
            per: 'principal',
            kinds: ['resource'],
            tools: ['up__blob://*'],
            limit: 2,
            windowMs: 600_000,
          },
        ],
        onAudit: (record) => audit.push(record),
        auditArguments: true,
      },
    },
    { clientName: 'gateway-limits' },
  );
});

afterAll(async () => {
  await users?.close();
  await upstream?.close({ drainMs: 100 });
});

const connectAs = (user: OAuthClientName) => users.connectAs(user);

describe('argument and result limits for prompts and resources', () => {
  it('refuses prompt arguments over maxArgumentBytes before anything goes upstream', async () => {
    const alice = await connectAs('agent');
    served.length = 0;
    audit.length = 0;
    await expect(
      alice.getPrompt({ name: 'up__echo', arguments: { text: 'x'.repeat(MAX_ARGUMENT_BYTES) } }),
    ).rejects.toMatchObject({
      message: expect.stringContaining(
        `The arguments of the prompt "up__echo" are ${MAX_ARGUMENT_BYTES + 11} bytes, over the gateway's policy.maxArgumentBytes (${MAX_ARGUMENT_BYTES})`,
      ),
      data: { code: 'POLICY_DENIED', maxArgumentBytes: MAX_ARGUMENT_BYTES },
    });
    expect(served).toEqual([]);
    expect(audit).toEqual([
      expect.objectContaining({
        kind: 'prompt',
        name: 'up__echo',
        server: 'up',
        outcome: 'denied',
        errorCode: 'POLICY_DENIED',
        principal: expect.any(String),
      }),
    ]);
    // Under the limit it goes through.
    const echoed = await alice.getPrompt({ name: 'up__echo', arguments: { text: 'hi' } });
    expect(echoed.messages[0]?.content).toEqual({ type: 'text', text: 'hi'.repeat(10) });
    expect(audit.at(-1)).toMatchObject({ kind: 'prompt', outcome: 'ok', arguments: { text: 'hi' } });
  });

  it('replaces a prompt or read result over maxResultBytes by a RESULT_TOO_LARGE error, not forwarded', async () => {
    const alice = await connectAs('agent');
    served.length = 0;
    audit.length = 0;
    // 150 bytes of arguments (under their limit), rendered ten times: over the result limit.
    const prompt = alice.getPrompt({ name: 'up__echo', arguments: { text: 'y'.repeat(150) } });
    await expect(prompt).rejects.toMatchObject({
      message: expect.stringMatching(
        /^.*The result of the prompt "up__echo" is \d+ bytes, over the gateway's policy\.maxResultBytes \(1000\); it was not forwarded\./,
      ),
      data: { code: 'RESULT_TOO_LARGE', maxResultBytes: MAX_RESULT_BYTES, bytes: expect.any(Number) },
    });
    await expect(prompt.catch((error: Error) => JSON.stringify(error))).resolves.not.toContain('yyyy');

    const read = alice.readResource({ uri: 'memo://large' });
    await expect(read).rejects.toMatchObject({
      message: expect.stringContaining('The result of the resource "memo://large" is'),
      data: { code: 'RESULT_TOO_LARGE', maxResultBytes: MAX_RESULT_BYTES },
    });
    await expect(read.catch((error: Error) => JSON.stringify(error))).resolves.not.toContain('zzzz');
    // Both went upstream: the gateway measured what came back.
    expect(served).toEqual(['echo', 'memo://large']);
    expect(audit).toEqual([
      expect.objectContaining({
        kind: 'prompt',
        name: 'up__echo',
        outcome: 'denied',
        errorCode: 'RESULT_TOO_LARGE',
      }),
      expect.objectContaining({
        kind: 'resource',
        operation: 'read',
        uri: 'memo://large',
        server: 'up',
        outcome: 'denied',
        errorCode: 'RESULT_TOO_LARGE',
      }),
    ]);
    expect(audit[1]).not.toHaveProperty('arguments');
    expect((await alice.readResource({ uri: 'memo://small' })).contents[0]).toMatchObject({ text: 'small' });
  });
});

describe('rate limits for prompts and resources', () => {
  it('counts prompt gets and resource reads per user under limits with kinds, and tool calls apart', async () => {
    const alice = await connectAs('agent');
    const bob = await connectAs('agent-b');
    served.length = 0;
    audit.length = 0;

    for (const who of ['Ada', 'Grace']) {
      await alice.getPrompt({ name: 'up__greet', arguments: { who } });
    }
    await expect(alice.getPrompt({ name: 'up__greet', arguments: { who: 'Edsger' } })).rejects.toMatchObject({
      message: expect.stringContaining(
        'Rate limit "greetings" reached for "up__greet": 2 requests per 600000 ms',
      ),
      data: { code: 'RATE_LIMITED', limit: 'greetings', retryAfterMs: expect.any(Number) },
    });
    expect(served.filter((name) => name === 'greet')).toHaveLength(2);
    // Bob has his own counter.
    await bob.getPrompt({ name: 'up__greet', arguments: { who: 'Barbara' } });

    await alice.readResource({ uri: 'blob://1' });
    await alice.readResource({ uri: 'blob://2' });
    await expect(alice.readResource({ uri: 'blob://3' })).rejects.toMatchObject({
      data: { code: 'RATE_LIMITED', limit: 'blob-reads' },
    });
    expect(served).not.toContain('blob://3');
    // Not under the limit's URIs: read as often as wanted.
    for (let read = 0; read < 3; read++) await alice.readResource({ uri: 'memo://small' });
    expect((await bob.readResource({ uri: 'blob://3' })).contents[0]).toMatchObject({
      text: 'blob blob://3',
    });

    // The limit without `kinds` counted none of the above: Alice's first tool call goes through.
    expect((await alice.callTool({ name: 'up__ping', arguments: {} })).isError).toBeFalsy();
    expect((await alice.callTool({ name: 'up__ping', arguments: {} })).isError).toBe(true);

    const refused = audit.filter((record) => record.outcome === 'rate-limited');
    expect(refused).toEqual([
      expect.objectContaining({ kind: 'prompt', name: 'up__greet', errorCode: 'RATE_LIMITED' }),
      expect.objectContaining({ kind: 'resource', uri: 'blob://3', errorCode: 'RATE_LIMITED' }),
      expect.objectContaining({ kind: 'tool', tool: 'up__ping', errorCode: 'RATE_LIMITED' }),
    ]);
    const principals = new Set(
      audit.filter((record) => record.kind === 'prompt').map((record) => record.principal),
    );
    expect(principals.size).toBe(2);
  });
});

describe('audit of subscriptions', () => {
  it('records each resources/subscribe, a refused one as denied', async () => {
    const alice = await connectAs('agent');
    const bob = await connectAs('agent-b');
    audit.length = 0;
    await alice.subscribeResource({ uri: 'memo://small' });
    await expect(bob.subscribeResource({ uri: 'memo://large' })).rejects.toMatchObject({
      data: { code: 'POLICY_DENIED' },
    });
    expect(audit).toEqual([
      expect.objectContaining({
        kind: 'resource',
        operation: 'subscribe',
        uri: 'memo://small',
        outcome: 'ok',
      }),
      expect.objectContaining({
        kind: 'resource',
        operation: 'subscribe',
        uri: 'memo://large',
        outcome: 'denied',
        errorCode: 'POLICY_DENIED',
      }),
    ]);
    expect(audit[0]?.principal).not.toBe(audit[1]?.principal);
  });

  it('records the subscriptions of a 2026-07-28 listen stream, a refused one as denied', async () => {
    audit.length = 0;
    const token = await users.token('agent-b');
    const stream = await listen(
      users.url,
      { resourceSubscriptions: ['memo://small', 'memo://large'] },
      { token },
    );
    try {
      // Acknowledged once the allowed subscription is in place; the refused URI is left out.
      await readEvents(stream.response, (events) => events.length >= 1);
      expect(audit).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: 'resource',
            operation: 'subscribe',
            uri: 'memo://small',
            outcome: 'ok',
          }),
          expect.objectContaining({
            kind: 'resource',
            operation: 'subscribe',
            uri: 'memo://large',
            outcome: 'denied',
            errorCode: 'POLICY_DENIED',
          }),
        ]),
      );
      expect(audit).toHaveLength(2);
    } finally {
      stream.controller.abort();
    }
  });
});
