/**
 * Protocol eras and transport selection: a 2026-07-28-capable server (our SDK v2 fixture) and a
 * 2025-era one (server-everything, SDK v1) both work, each at the version it speaks; a bare
 * `url` finds Streamable HTTP, and falls back to legacy SSE for an SSE-only server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Registry, silentLogger } from '../src/index.js';
import {
  childProcessIds,
  createTempDir,
  type EverythingHttpServer,
  everythingStdio,
  type HttpFixtureServer,
  readEvents,
  startEverythingHttp,
  startHttpFixture,
  type TempDir,
} from './support/index.js';

describe('protocol negotiation and transport fallback', () => {
  let dir: TempDir;
  let fixture: HttpFixtureServer;
  let everythingHttp: EverythingHttpServer;
  let everythingSse: EverythingHttpServer;
  let registry: Registry;
  const fixtureEvents = () => dir.file('http-events.jsonl');

  beforeAll(async () => {
    dir = await createTempDir();
    [fixture, everythingHttp, everythingSse] = await Promise.all([
      startHttpFixture({ name: 'v2', eventsFile: fixtureEvents() }),
      startEverythingHttp('streamableHttp'),
      startEverythingHttp('sse'),
    ]);
    registry = await createRegistry({
      servers: {
        modern: { url: fixture.url, protocol: 'auto' },
        pinned: { url: fixture.url, protocol: '2026-07-28' },
        legacyFixture: { url: fixture.url, protocol: 'legacy' },
        everythingHttp: { url: everythingHttp.url },
        everythingSse: { url: everythingSse.url },
        everythingStdioAuto: everythingStdio({ protocol: 'auto' }),
      },
      logger: silentLogger,
    });
  });

  afterAll(async () => {
    await registry?.close();
    await Promise.all([fixture?.stop(), everythingHttp?.stop(), everythingSse?.stop()]);
    await dir?.remove();
  });

  const summary = (name: string) => {
    const info = registry.server(name);
    return {
      status: info?.status,
      error: info?.error?.message,
      protocolVersion: info?.protocolVersion,
      transport: info?.transport,
      connectedTransport: info?.connectedTransport,
    };
  };

  it('negotiates 2026-07-28 with a modern server when asked for `auto` or a pin', async () => {
    for (const name of ['modern', 'pinned']) {
      expect(summary(name)).toEqual({
        status: 'active',
        error: undefined,
        protocolVersion: '2026-07-28',
        transport: 'auto',
        connectedTransport: 'streamable-http',
      });
      const result = await registry.callTool(`${name}__echo`, { message: name });
      expect(result.text).toBe(`v2: ${name}`);
    }
    // What the server saw: a `server/discover` probe, then requests stamped with the version.
    const events = await readEvents(fixtureEvents());
    const modernPosts = events.filter(
      (event) => event.http === 'POST' && event.protocolVersion === '2026-07-28',
    );
    expect(modernPosts.map((event) => event.rpc?.[0])).toEqual(
      expect.arrayContaining(['server/discover', 'tools/list', 'tools/call']),
    );
    expect(modernPosts.some((event) => event.rpc?.includes('initialize'))).toBe(false);
  });

  it('speaks the 2025 handshake to the same server when asked for `legacy`', async () => {
    expect(summary('legacyFixture')).toMatchObject({
      status: 'active',
      protocolVersion: expect.stringMatching(/^2025-/),
    });
    expect((await registry.callTool('legacyFixture__echo', { message: 'old' })).text).toBe('v2: old');
    const events = await readEvents(fixtureEvents());
    expect(events.some((event) => event.rpc?.includes('initialize') && event.sessionId === undefined)).toBe(
      true,
    );
  });

  it('falls back to the 2025 era with a 2025-era server (SDK v1) under `auto`', async () => {
    for (const name of ['everythingHttp', 'everythingSse', 'everythingStdioAuto']) {
      expect(summary(name)).toMatchObject({
        status: 'active',
        protocolVersion: expect.stringMatching(/^2025-/),
      });
      const result = await registry.callTool(`${name}__echo`, { message: name });
      expect(result.text).toBe(`Echo: ${name}`);
    }
  });

  it('uses Streamable HTTP for a bare `url` when the server speaks it', () => {
    expect(summary('everythingHttp')).toMatchObject({
      transport: 'auto',
      connectedTransport: 'streamable-http',
    });
  });

  it('falls back to legacy SSE for a bare `url` whose server only speaks SSE', async () => {
    expect(summary('everythingSse')).toMatchObject({ transport: 'auto', connectedTransport: 'sse' });
    const result = await registry.callTool('everythingSse__get-structured-content', { location: 'New York' });
    expect(result.structuredContent).toMatchObject({ temperature: 33 });
  });

  it('leaves no probe process behind when negotiating over stdio', () => {
    const servers = new Set([fixture.pid, everythingHttp.pid, everythingSse.pid]);
    expect(childProcessIds().filter((pid) => !servers.has(pid))).toHaveLength(1);
  });
});
