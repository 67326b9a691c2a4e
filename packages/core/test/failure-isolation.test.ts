/**
 * A server that cannot start never blocks or fails the others: each failure mode (a command
 * that does not exist, a process that exits at once, a refused port, HTTP 500 on the
 * handshake, a handshake slower than the connect timeout) leaves that server `failed` with a
 * readable error and every other server `active` and callable; a call for a tool of a server
 * that never connected says why that server failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Registry, type ServerStatusEvent, silentLogger } from '../src/index.js';
import { fixtureStdio, freePort, type HttpFixtureServer, startHttpFixture } from './support/index.js';

describe('one failing server among working ones', () => {
  let failing: HttpFixtureServer;
  let working: HttpFixtureServer;
  let registry: Registry;
  let refusedUrl: string;
  const statuses: ServerStatusEvent[] = [];

  beforeAll(async () => {
    [failing, working] = await Promise.all([
      startHttpFixture({ name: 'failing', failInitialize: true }),
      startHttpFixture({ name: 'working' }),
    ]);
    refusedUrl = `http://127.0.0.1:${await freePort()}/mcp`;
    registry = await createRegistry({
      servers: {
        good: fixtureStdio({ name: 'good' }),
        goodHttp: { url: working.url },
        badCommand: { command: 'toolwire-no-such-command-4b1e', args: ['--stdio'] },
        exitsAtOnce: {
          command: process.execPath,
          args: ['-e', 'console.error("missing API_KEY; giving up"); process.exit(2)'],
        },
        refused: { url: refusedUrl },
        error500: { url: failing.url },
        tooSlow: fixtureStdio({ name: 'slow', delayMs: 30_000 }, { connectTimeoutMs: 1_000 }),
      },
      logger: silentLogger,
      listeners: { 'server:status': (event) => statuses.push(event) },
    });
  });

  afterAll(async () => {
    await registry?.close();
    await Promise.all([failing?.stop(), working?.stop()]);
  });

  it('marks the working servers active and keeps them callable', async () => {
    expect(registry.server('good')?.status).toBe('active');
    expect(registry.server('goodHttp')?.status).toBe('active');
    expect((await registry.callTool('good__echo', { message: 'hi' })).text).toBe('good: hi');
    expect((await registry.callTool('goodHttp__echo', { message: 'hi' })).text).toBe('working: hi');
  });

  it.each([
    ['badCommand', /command "toolwire-no-such-command-4b1e" was not found/],
    ['exitsAtOnce', /exited during start-up[\s\S]*missing API_KEY; giving up/],
    ['refused', /connection refused at http:\/\/127\.0\.0\.1:\d+\/mcp/],
    ['error500', /HTTP 500/],
    ['tooSlow', /did not finish connecting within 1000 ms/],
  ])('marks %s failed with a readable error', (name, message) => {
    const info = registry.server(name);
    expect(info?.status).toBe('failed');
    expect(info?.error?.code).toBe('CONNECT_FAILED');
    expect(info?.error?.message).toMatch(new RegExp(`^Server "${name}" `));
    expect(info?.error?.message).toMatch(message);
    expect(info?.toolCount).toBe(0);
  });

  it('counts servers by status', () => {
    const stats = registry.stats();
    expect(stats.serversByStatus).toMatchObject({ active: 2, failed: 5 });
    expect(stats.byServer.refused).toMatchObject({ status: 'failed', lastError: { code: 'CONNECT_FAILED' } });
  });

  it('reports each server’s start-up as server:status events', () => {
    const transitions = (server: string) =>
      statuses
        .filter((event) => event.server === server)
        .map((event) => `${event.previous}->${event.status}${event.error ? `:${event.error.code}` : ''}`);
    expect(transitions('good')).toEqual(['discovered->loading', 'loading->active']);
    for (const server of ['badCommand', 'exitsAtOnce', 'refused', 'error500', 'tooSlow']) {
      expect(transitions(server), server).toEqual(['discovered->loading', 'loading->failed:CONNECT_FAILED']);
    }
  });

  it('lists only the working servers’ tools', () => {
    expect(new Set(registry.tools().map((tool) => tool.server))).toEqual(new Set(['good', 'goodHttp']));
  });

  it('answers a call to a failed server’s tool with why the server failed, not "no such tool"', async () => {
    const error = await registry.callTool('exitsAtOnce__anything', {}).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'CONNECT_FAILED',
      server: 'exitsAtOnce',
      tool: 'exitsAtOnce__anything',
    });
    expect((error as Error).message).toMatch(
      /^Server "exitsAtOnce" failed to connect, so its tools are unknown: /,
    );
    expect((error as Error).message).toMatch(/missing API_KEY; giving up/);
    // A name no server owns is still unknown, with suggestions.
    const unknown = await registry.callTool('nobody__echo', {}).catch((caught: unknown) => caught);
    expect(unknown).toMatchObject({ code: 'TOOL_NOT_FOUND' });
  });
});
