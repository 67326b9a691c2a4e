/**
 * The Redactor on errors: toolwire errors are redacted in place, foreign causes (SDK, fetch,
 * Node system errors) are replaced by copies that keep what classifies them (name, code,
 * status, the chain) and nothing that carries request data.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AuthError } from '../errors/auth-error.js';
import { ToolwireError } from '../errors/toolwire-error.js';
import { httpStatusOf, systemCodeOf } from '../pool/retry-policy.js';
import { Redactor } from './redactor.js';
import { SecretSet } from './secret-set.js';

const SECRET = 'sk-live-5c1e77aa';

function redactor(): Redactor {
  const secrets = new SecretSet();
  secrets.add(SECRET);
  return new Redactor(secrets);
}

/** A Node spawn error as `child_process` makes it. */
function spawnError(): Error {
  return Object.assign(new Error('spawn missing-command ENOENT'), {
    errno: -2,
    code: 'ENOENT',
    syscall: 'spawn missing-command',
    path: 'missing-command',
    spawnargs: ['--api-key', SECRET],
  });
}

/** An SDK-style HTTP error: the response body (echoing the request) in `data`, the cause in `data.cause`. */
function sdkError(): Error {
  const fetchFailure = new TypeError(`fetch failed for https://api.example.com/mcp?key=${SECRET}`, {
    cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', port: 9 }),
  });
  return Object.assign(new Error(`Error POSTing to endpoint: bad key ${SECRET}`), {
    name: 'SdkHttpError',
    code: 'CLIENT_HTTP_NOT_IMPLEMENTED',
    data: { status: 500, text: `bad key ${SECRET}`, cause: fetchFailure },
  });
}

describe('Redactor.error', () => {
  it('redacts a toolwire error in place and replaces its foreign causes by safe copies', () => {
    const error = new ToolwireError({
      code: 'CONNECT_FAILED',
      server: 'crm',
      message: `failed with ${SECRET}`,
      cause: spawnError(),
    });
    const result = redactor().error(error);
    expect(result).toBe(error);
    expect(error.message).toBe('failed with [redacted]');
    const printed = inspect(error, { depth: Number.POSITIVE_INFINITY });
    expect(printed).not.toContain(SECRET);
    expect(printed).not.toContain('spawnargs');
    const cause = error.cause as Record<string, unknown>;
    expect(cause).not.toBeInstanceOf(ToolwireError);
    expect(cause).toMatchObject({ code: 'ENOENT', errno: -2, syscall: 'spawn missing-command' });
    expect(cause.path).toBeUndefined();
    expect(systemCodeOf(error.cause)).toBe('ENOENT');
  });

  it('keeps status and the whole chain (data.cause too) so retries still classify the failure', () => {
    const error = new ToolwireError({ code: 'TOOL_ERROR', message: 'call failed', cause: sdkError() });
    redactor().error(error);
    const printed = `${inspect(error, { depth: Number.POSITIVE_INFINITY })}${JSON.stringify(error)}`;
    expect(printed).not.toContain(SECRET);
    expect(httpStatusOf(error.cause)).toBe(500);
    expect(systemCodeOf(error.cause)).toBe('ECONNREFUSED');
    expect((error.cause as Error).name).toBe('SdkHttpError');
    expect((error.cause as { data?: unknown }).data).toBeUndefined();
    expect(printed).toContain('fetch failed for https://api.example.com/mcp?key=[redacted]');
  });

  it('redacts a toolwire error deeper in the chain in place, and subclass fields too', () => {
    const inner = new AuthError({
      server: 'crm',
      oauthError: `bad_${SECRET}`,
      message: `no token: ${SECRET}`,
    });
    const outer = new ToolwireError({ code: 'CONNECT_FAILED', message: 'unavailable', cause: inner });
    redactor().error(outer);
    expect(outer.cause).toBe(inner);
    expect(inner.message).toBe('no token: [redacted]');
    expect(inner.oauthError).toBe('bad_[redacted]');
    expect(inner.stack).not.toContain(SECRET);
  });

  it('copies a foreign error given directly, and AggregateError attempts', () => {
    const aggregate = new AggregateError(
      [new Error(`first ${SECRET}`), Object.assign(new Error('second'), { code: 'ECONNREFUSED' })],
      `all failed ${SECRET}`,
    );
    const copy = redactor().error(aggregate);
    expect(copy).not.toBe(aggregate);
    const printed = inspect(copy, { depth: Number.POSITIVE_INFINITY });
    expect(printed).not.toContain(SECRET);
    expect(printed).toContain("code: 'ECONNREFUSED'");
  });

  it('survives cycles in a cause chain', () => {
    const first = new Error(`one ${SECRET}`);
    const second = new Error('two', { cause: first });
    (first as { cause?: unknown }).cause = second;
    const error = new ToolwireError({ code: 'INTERNAL', message: 'x', cause: first });
    redactor().error(error);
    expect(inspect(error, { depth: 20 })).not.toContain(SECRET);
  });

  it('catches secrets learned after the error was first redacted', () => {
    const secrets = new SecretSet();
    const late = new Redactor(secrets);
    const error = new ToolwireError({
      code: 'AUTH_FAILED',
      message: 'token tok-9f8e7d6c5b rejected',
      cause: new Error('tok-9f8e7d6c5b'),
    });
    late.error(error);
    secrets.addRuntime('tok-9f8e7d6c5b');
    late.error(error);
    expect(inspect(error, { depth: Number.POSITIVE_INFINITY })).not.toContain('tok-9f8e7d6c5b');
  });
});

describe('Redactor.logger and event', () => {
  it('redacts messages and event errors, keeping names as they are', () => {
    const lines: unknown[] = [];
    const target = redactor();
    const logger = target.logger({
      debug: (...args) => lines.push(args),
      info: (...args) => lines.push(args),
      warn: (...args) => lines.push(args),
      error: (...args) => lines.push(args),
    });
    logger.warn(`token ${SECRET} refused`, { server: 'crm' });
    expect(lines).toEqual([['token [redacted] refused', { server: 'crm' }]]);
    const event = target.event({
      server: 'crm',
      tool: 'crm__search',
      error: new ToolwireError({ code: 'TIMEOUT', message: `timed out ${SECRET}` }),
    });
    expect(event.tool).toBe('crm__search');
    expect(event.error.message).toBe('timed out [redacted]');
  });
});
