/**
 * The `requestState` of 2026-07-28 input rounds is sealed (AES-256-GCM) and bound to the caller,
 * the tool and its arguments, and an expiry: forged, altered, expired, or replayed state (by
 * another principal, on another tool, with other arguments, at an instance with another secret)
 * is refused with -32602 "Invalid or expired requestState" before the tool goes on, and the
 * operator hears why. Instances sharing `requestStateSecret` accept each other's state; a list of
 * secrets rotates. The state does not reveal the answers it carries.
 */
import { ToolwireError } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, defineTool, type Publisher, type PublisherOptions } from '../src/index.js';
import { fromBase64URL } from '../src/util/base64url.js';
import { accepted, type ModernAnswer, modernCall } from './support/modern-mcp.js';

const SECRET = 'request-state-test-secret-0123456789abcdef';
const NEW_SECRET = 'request-state-test-rotated-secret-0123456789';
const confirmForm = {
  message: 'Really delete?',
  requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
};

const open: Publisher[] = [];
const deleted: string[] = [];

/** A publisher with a tool that deletes after a confirmation; tokens are "<client>.<user>". */
async function start(options: Partial<PublisherOptions> = {}): Promise<{ url: string; errors: Error[] }> {
  const errors: Error[] = [];
  const publisher = createPublisher({
    name: 'request-state',
    version: '1.0.0',
    requestStateSecret: SECRET,
    tools: [
      defineTool({
        name: 'delete_file',
        inputSchema: {
          type: 'object',
          properties: { path: { type: 'string' } },
          required: ['path'],
        },
        async execute(args, context) {
          const answer = await context.elicit(confirmForm, { key: 'confirm' });
          if (answer.action !== 'accept' || answer.content?.ok !== true) return 'kept';
          deleted.push(String(args.path));
          return `deleted ${String(args.path)}`;
        },
      }),
      defineTool({
        name: 'delete_everything',
        async execute(_args, context) {
          const answer = await context.elicit(confirmForm, { key: 'confirm' });
          if (answer.content?.ok === true) deleted.push('*');
          return 'deleted everything';
        },
      }),
      defineTool({
        name: 'two_steps',
        async execute(_args, context) {
          const name = await context.elicit(
            {
              message: 'Name?',
              requestedSchema: { type: 'object', properties: { name: { type: 'string' } } },
            },
            { key: 'name' },
          );
          const color = await context.elicit(
            {
              message: 'Color?',
              requestedSchema: { type: 'object', properties: { color: { type: 'string' } } },
            },
            { key: 'color' },
          );
          return `${String(name.content?.name)} likes ${String(color.content?.color)}`;
        },
      }),
    ],
    http: {
      auth: {
        authorizationServers: ['http://127.0.0.1/issuer'],
        async verify(token) {
          const [clientId, user] = token.split('.');
          return {
            token,
            clientId: clientId as string,
            scopes: [],
            expiresAt: Math.floor(Date.now() / 1000) + 300,
            extra: { subject: user },
          };
        },
      },
    },
    onError: (error) => errors.push(error),
    ...options,
  });
  open.push(publisher);
  return { url: (await publisher.listen()).url, errors };
}

let main: { url: string; errors: Error[] };

beforeAll(async () => {
  main = await start();
});

afterAll(async () => {
  await Promise.all(open.map((publisher) => publisher.close({ drainMs: 200 })));
});

const alice = { token: 'app.alice' };
const bob = { token: 'app.bob' };

/** Round 1 of `delete_file` for alice: the state to echo back. */
async function firstRound(url = main.url, path = '/tmp/a'): Promise<string> {
  const first = await modernCall(url, 'delete_file', { path }, {}, alice);
  expect(first.body.result?.resultType).toBe('input_required');
  return first.body.result?.requestState as string;
}

function expectRefused(answer: ModernAnswer): void {
  expect(answer.body.result).toBeUndefined();
  expect(answer.body.error).toEqual({
    code: -32602,
    message: 'Invalid or expired requestState',
    data: { reason: 'invalid_request_state' },
  });
}

/** The operator's error about the last refused state. */
function lastRefusal(errors: Error[]): ToolwireError {
  const error = errors.findLast((candidate) => candidate.message.includes('requestState'));
  expect(ToolwireError.isInstance(error)).toBe(true);
  expect((error as ToolwireError).code).toBe('PROTOCOL_ERROR');
  return error as ToolwireError;
}

describe('a sealed requestState', () => {
  it('completes the call when the same caller echoes it for the same request', async () => {
    const state = await firstRound();
    expect(state).toMatch(/^tw1\.[A-Za-z0-9_-]+$/);
    const done = await modernCall(
      main.url,
      'delete_file',
      { path: '/tmp/a' },
      { inputResponses: { confirm: accepted({ ok: true }) }, requestState: state },
      alice,
    );
    expect(done.body.result?.content).toEqual([{ type: 'text', text: 'deleted /tmp/a' }]);
  });

  it('refuses a state with one character changed', async () => {
    const state = await firstRound();
    const at = state.length - 10;
    const forged = `${state.slice(0, at)}${state[at] === 'A' ? 'B' : 'A'}${state.slice(at + 1)}`;
    const before = deleted.length;
    expectRefused(
      await modernCall(
        main.url,
        'delete_file',
        { path: '/tmp/a' },
        { inputResponses: { confirm: accepted({ ok: true }) }, requestState: forged },
        alice,
      ),
    );
    expect(deleted.length).toBe(before);
    expect(lastRefusal(main.errors).message).toContain('(integrity)');
  });

  it('refuses the conformance suite’s tampering (a suffix) and a state it never issued', async () => {
    const state = await firstRound();
    for (const forged of [
      `${state}-TAMPERED`,
      'hello',
      'tw1.',
      `tw1.${'A'.repeat(40)}`,
      btoa('{"ok":true}'),
    ]) {
      expectRefused(
        await modernCall(
          main.url,
          'delete_file',
          { path: '/tmp/a' },
          { inputResponses: { confirm: accepted({ ok: true }) }, requestState: forged },
          alice,
        ),
      );
    }
  });

  it('refuses a state replayed by another principal', async () => {
    const state = await firstRound();
    expectRefused(
      await modernCall(
        main.url,
        'delete_file',
        { path: '/tmp/a' },
        { inputResponses: { confirm: accepted({ ok: true }) }, requestState: state },
        bob,
      ),
    );
    expect(lastRefusal(main.errors).message).toContain('(principal)');
  });

  it('refuses a state replayed on another tool, or with other arguments', async () => {
    const state = await firstRound(main.url, '/tmp/a');
    const retry = { inputResponses: { confirm: accepted({ ok: true }) }, requestState: state };
    expectRefused(await modernCall(main.url, 'delete_everything', {}, retry, alice));
    expect(lastRefusal(main.errors).message).toContain('(request)');
    expectRefused(await modernCall(main.url, 'delete_file', { path: '/etc' }, retry, alice));
    expect(lastRefusal(main.errors).message).toContain('(request)');
    expect(deleted).not.toContain('*');
    expect(deleted).not.toContain('/etc');
  });

  it('accepts the same arguments written in another key order', async () => {
    const first = await modernCall(main.url, 'two_steps', { b: 1, a: 2 }, {}, alice);
    const next = await modernCall(
      main.url,
      'two_steps',
      { a: 2, b: 1 },
      {
        inputResponses: { name: accepted({ name: 'Ada' }) },
        requestState: first.body.result?.requestState as string,
      },
      alice,
    );
    expect(Object.keys(next.body.result?.inputRequests ?? {})).toEqual(['color']);
  });

  it('refuses a state past its expiry', async () => {
    const short = await start({ requestStateTtlMs: 1 });
    const state = await firstRound(short.url);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expectRefused(
      await modernCall(
        short.url,
        'delete_file',
        { path: '/tmp/a' },
        { inputResponses: { confirm: accepted({ ok: true }) }, requestState: state },
        alice,
      ),
    );
    expect(lastRefusal(short.errors).message).toContain('(expired)');
  });

  it('is accepted by another instance sharing the secret, refused by one with its own', async () => {
    const sibling = await start();
    const stranger = await start({ requestStateSecret: undefined });
    const retry = async (url: string) =>
      modernCall(
        url,
        'delete_file',
        { path: '/tmp/b' },
        {
          inputResponses: { confirm: accepted({ ok: true }) },
          requestState: await firstRound(main.url, '/tmp/b'),
        },
        alice,
      );
    expect((await retry(sibling.url)).body.result?.content).toEqual([
      { type: 'text', text: 'deleted /tmp/b' },
    ]);
    expectRefused(await retry(stranger.url));
    expect(lastRefusal(stranger.errors).message).toContain('requestStateSecret');
  });

  it('rotates: a list seals with its first secret and opens with any', async () => {
    const rotated = await start({ requestStateSecret: [NEW_SECRET, SECRET] });
    const retired = await start({ requestStateSecret: NEW_SECRET });
    const old = await firstRound(main.url, '/tmp/c');
    const done = await modernCall(
      rotated.url,
      'delete_file',
      { path: '/tmp/c' },
      { inputResponses: { confirm: accepted({ ok: true }) }, requestState: old },
      alice,
    );
    expect(done.body.result?.content).toEqual([{ type: 'text', text: 'deleted /tmp/c' }]);
    // What the rotated instance seals opens where only the new secret is known.
    const fresh = await firstRound(rotated.url, '/tmp/d');
    const opened = await modernCall(
      retired.url,
      'delete_file',
      { path: '/tmp/d' },
      { inputResponses: { confirm: accepted({ ok: true }) }, requestState: fresh },
      alice,
    );
    expect(opened.body.result?.content).toEqual([{ type: 'text', text: 'deleted /tmp/d' }]);
  });

  it('does not reveal the answers it carries', async () => {
    const first = await modernCall(main.url, 'two_steps', {}, {}, alice);
    const second = await modernCall(
      main.url,
      'two_steps',
      {},
      {
        inputResponses: { name: accepted({ name: 'Zebedee-Quintessence' }) },
        requestState: first.body.result?.requestState as string,
      },
      alice,
    );
    const state = second.body.result?.requestState as string;
    expect(Object.keys(second.body.result?.inputRequests ?? {})).toEqual(['color']);
    const bytes = fromBase64URL(state.slice('tw1.'.length)) as Uint8Array;
    const decoded = new TextDecoder('latin1').decode(bytes);
    expect(`${state}\n${decoded}`).not.toContain('Zebedee');
    expect(decoded).not.toContain('name');
    const done = await modernCall(
      main.url,
      'two_steps',
      {},
      { inputResponses: { color: accepted({ color: 'teal' }) }, requestState: state },
      alice,
    );
    expect(done.body.result?.content).toEqual([{ type: 'text', text: 'Zebedee-Quintessence likes teal' }]);
  });
});

describe('requestState options', () => {
  it('refuses a secret shorter than 32 bytes, an empty list and a bad TTL at creation', () => {
    const base = { name: 'x', version: '1', tools: [] };
    expect(() => createPublisher({ ...base, requestStateSecret: 'short' })).toThrow(
      /requestStateSecret must be at least 32 bytes .* it has 5/,
    );
    expect(() => createPublisher({ ...base, requestStateSecret: [SECRET, new Uint8Array(8)] })).toThrow(
      /requestStateSecret\[1\] must be at least 32 bytes/,
    );
    expect(() => createPublisher({ ...base, requestStateSecret: [] })).toThrow(/must not be an empty list/);
    expect(() => createPublisher({ ...base, requestStateTtlMs: 0 })).toThrow(
      /requestStateTtlMs must be a positive/,
    );
    try {
      createPublisher({ ...base, requestStateSecret: 'short' });
    } catch (error) {
      expect((error as ToolwireError).code).toBe('CONFIG_INVALID');
      expect((error as Error).message).not.toContain('short');
    }
  });
});
