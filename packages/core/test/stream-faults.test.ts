/**
 * Peers that break mid-reply, on both protocol eras: a Streamable HTTP response stream cut
 * mid-call (2026-07-28 and 2025), a 2025 stream whose resumption the server refuses (409), and
 * replies of the wrong shape (`result: 42`) over stdio, JSON and SSE. Each call fails with its
 * typed error well before its timeout, and the next call works.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Registry, silentLogger } from '../src/index.js';
import {
  type HttpFaultServer,
  readEvents,
  startHttpFaultServer,
  stdioFaultServer,
  temporaryDirectory,
} from './support/fault-servers.js';

const directory = temporaryDirectory('stream-faults');
const eventsFile = join(directory.path, 'events.jsonl');
let legacy: HttpFaultServer;
let modern: HttpFaultServer;
/** Answers the optional standalone GET stream with 404 (not 405), a while after it is opened. */
let noGetStream: HttpFaultServer;

beforeAll(async () => {
  [legacy, modern, noGetStream] = await Promise.all([
    startHttpFaultServer('legacy', eventsFile),
    startHttpFaultServer('modern', eventsFile, { modern: true }),
    startHttpFaultServer('no-get', eventsFile, { getStream404AfterMs: 300 }),
  ]);
});
afterAll(async () => {
  await Promise.all([legacy?.stop(), modern?.stop(), noGetStream?.stop()]);
  directory.cleanup();
});

const CALL_TIMEOUT_MS = 30_000;

/**
 * The call's failure. A call left hanging would end in its own `TIMEOUT` after 30 s, so the
 * error's code (SERVER_CLOSED, a protocol error) is what shows it ended at once; nothing is timed.
 */
async function outcome(registry: Registry, tool: string, args: Record<string, unknown>) {
  const failure = await registry
    .callTool(tool, args, { timeoutMs: CALL_TIMEOUT_MS })
    .then(() => undefined)
    .catch((error: unknown) => error);
  return { failure };
}

async function registryFor(name: string, server: HttpFaultServer) {
  return createRegistry({
    servers: { [name]: { url: server.url, type: 'http' } },
    cache: 'none',
    logger: silentLogger,
  });
}

describe('cut response streams', () => {
  it('2026-07-28: a stream cut mid-call fails SERVER_CLOSED at once; the next call works', async () => {
    await using registry = await registryFor('m', modern);
    expect(registry.server('m')?.protocolVersion).toBe('2026-07-28');
    const { failure } = await outcome(registry, 'm__cut_stream', {});
    expect(failure).toMatchObject({ code: 'SERVER_CLOSED', server: 'm', tool: 'm__cut_stream' });
    expect((failure as Error).message).toMatch(/may or may not have run/);
    expect((await registry.callTool('m__echo', { message: 'after' })).text).toBe('modern: after');
  });

  it('2025: a stream cut mid-call fails SERVER_CLOSED at once; the next call works', async () => {
    await using registry = await registryFor('l', legacy);
    expect(registry.server('l')?.protocolVersion).not.toBe('2026-07-28');
    const { failure } = await outcome(registry, 'l__cut_stream', {});
    expect(failure).toMatchObject({ code: 'SERVER_CLOSED', server: 'l', tool: 'l__cut_stream' });
    expect((await registry.callTool('l__echo', { message: 'after' })).text).toBe('legacy: after');
  });

  it('2025: a resumable stream whose resumption is refused (409) fails the call promptly', async () => {
    await using registry = await registryFor('l', legacy);
    const { failure } = await outcome(registry, 'l__cut_stream', { resumable: true });
    expect(failure).toMatchObject({ code: 'SERVER_CLOSED', server: 'l', tool: 'l__cut_stream' });
    // The client did try to resume, and was refused.
    expect(readEvents(eventsFile).some((event) => event.event === 'resume-refused')).toBe(true);
    expect((await registry.callTool('l__echo', { message: 'after' })).text).toBe('legacy: after');
  });
});

describe('error texts a server sizes', () => {
  it('a 1 MB JSON-RPC error message is cut on its way out: the error, servers() and stats stay small', async () => {
    await using registry = await registryFor('l', legacy);
    const failure = (await registry
      .callTool('l__huge_error', { bytes: 1_000_000 }, { validate: false })
      .catch((error: unknown) => error)) as Error & { code?: string };
    expect(failure.code).toBe('TOOL_ERROR');
    expect(failure.message.length).toBeLessThanOrEqual(8_000);
    expect(failure.message).toMatch(/more characters/);
    expect(String(failure.stack ?? '').length).toBeLessThanOrEqual(16_000);
    expect(JSON.stringify(registry.servers()).length).toBeLessThan(50_000);
    expect(JSON.stringify(registry.stats()).length).toBeLessThan(50_000);
    expect((await registry.callTool('l__echo', { message: 'after' })).text).toBe('legacy: after');
  });
});

describe('a server without a standalone GET stream', () => {
  it('that answers it 404 (not 405) fails no running call; the next call starts a new session', async () => {
    await using registry = await registryFor('n', noGetStream);
    // The GET stream's 404 arrives (300 ms) while this call runs (1.5 s): the call is not lost.
    const result = await registry.callTool(
      'n__append',
      { value: 'survives', ms: 1_500 },
      { timeoutMs: CALL_TIMEOUT_MS },
    );
    expect(result.text).toMatch(/^appended survives/);
    const runs = readEvents(eventsFile).filter(
      (event) => event.server === 'no-get' && event.tool === 'append' && event.event === 'start',
    );
    expect(runs).toHaveLength(1);
    expect(
      readEvents(eventsFile).some((event) => event.server === 'no-get' && event.event === 'get-stream-404'),
    ).toBe(true);
    expect((await registry.callTool('n__echo', { message: 'after' })).text).toBe('no-get: after');
  });
});

describe('malformed replies', () => {
  const expectMalformed = (failure: unknown, server: string, tool: string) => {
    expect(failure).toMatchObject({ code: 'PROTOCOL_ERROR', server, tool });
    expect((failure as Error).message).toMatch(/malformed reply.*"result" must be an object, got number 42/);
  };

  it('over stdio: result: 42 fails PROTOCOL_ERROR at once; the next call works', async () => {
    await using registry = await createRegistry({
      servers: { s: stdioFaultServer('s', eventsFile) },
      cache: 'none',
      logger: silentLogger,
    });
    const { failure } = await outcome(registry, 's__malformed_result', {});
    expectMalformed(failure, 's', 's__malformed_result');
    expect((await registry.callTool('s__echo', { message: 'after' })).text).toBe('s: after');
  });

  it('over Streamable HTTP (JSON and SSE replies, a body that is not JSON, both eras): fails PROTOCOL_ERROR at once', async () => {
    await using legacyRegistry = await registryFor('l', legacy);
    await using modernRegistry = await registryFor('m', modern);
    for (const [registry, name] of [
      [legacyRegistry, 'l'],
      [modernRegistry, 'm'],
    ] as const) {
      for (const sse of [false, true]) {
        const { failure } = await outcome(registry, `${name}__malformed_result`, { sse });
        expectMalformed(failure, name, `${name}__malformed_result`);
      }
      const notJson = await outcome(registry, `${name}__malformed_result`, { notJson: true });
      expect(notJson.failure).toMatchObject({ code: 'PROTOCOL_ERROR', tool: `${name}__malformed_result` });
      expect((notJson.failure as Error).message).toMatch(/not valid JSON/);
      expect((await registry.callTool(`${name}__echo`, { message: 'ok' })).text).toMatch(/: ok$/);
    }
  });
});
