/**
 * A request that provably never reached the server is sent again once, on a fresh connection,
 * for any tool: here the server restarts behind a connection that vanished without a goodbye, so
 * the next call goes out on a stale keep-alive socket and is reset unread. The fault server's
 * event log proves the non-idempotent call ran exactly once.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, silentLogger } from '../src/index.js';
import {
  type HttpFaultServer,
  readEvents,
  startHttpFaultServer,
  temporaryDirectory,
} from './support/fault-servers.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

const directory = temporaryDirectory('stale-connections');
const eventsFile = join(directory.path, 'events.jsonl');
const runs = (server: string, value: string) =>
  readEvents(eventsFile).filter(
    (event) =>
      event.server === server && event.tool === 'append' && event.event === 'start' && event.value === value,
  );

describe.each([
  { era: '2025', modern: false },
  { era: '2026-07-28', modern: true },
])('restart behind a stale keep-alive connection ($era)', ({ era, modern }) => {
  const name = modern ? 'modern' : 'legacy';
  let server: HttpFaultServer;
  let proxy: TcpProxy;

  beforeAll(async () => {
    server = await startHttpFaultServer(name, eventsFile, { modern });
    proxy = await startTcpProxy(() => server.port);
  });
  afterAll(async () => {
    await proxy?.stop();
    await server?.stop();
  });

  it('a call reset before the server read it is sent once more on a fresh connection, and runs once', {
    timeout: 180_000,
  }, async () => {
    await using registry = await createRegistry({
      servers: { h: { url: `http://127.0.0.1:${proxy.port}/mcp`, type: 'http' } },
      cache: 'none',
      logger: silentLogger,
    });
    expect(registry.server('h')?.protocolVersion === '2026-07-28').toBe(modern);
    expect((await registry.callTool('h__append', { value: `${era}-before` })).text).toMatch(/appended/);
    // The fault server keeps idle sockets 2 min and says so (`Keep-Alive: timeout=120`), so fetch
    // keeps them however long the restart takes on a loaded machine (without the hint it dropped
    // them after 4 s and the call went out on a fresh connection, proving nothing). A client may
    // still open a fresh connection: then try the scenario again, up to three times.
    for (let attempt = 1; attempt <= 3 && proxy.resetWrites === 0; attempt++) {
      const value = `${era}-after-${attempt}`;
      proxy.vanish();
      await server.restart();
      // An answer, not the call's TIMEOUT: the reset request was sent again at once.
      const result = await registry.callTool('h__append', { value }, { timeoutMs: 30_000 });
      expect(result.text).toMatch(new RegExp(`appended ${value}`));
      // The retry ran the non-idempotent tool exactly once.
      expect(runs(name, value)).toHaveLength(1);
    }
    // A first attempt really did go out on a stale socket and was reset unread.
    expect(proxy.resetWrites).toBeGreaterThanOrEqual(1);
  });
});

describe('a request the server may have read', () => {
  it('is not re-sent: a close (FIN) after the request was read fails SERVER_CLOSED, "may or may not have run"', async () => {
    const server = await startHttpFaultServer('hangup', eventsFile);
    try {
      await using registry = await createRegistry({
        servers: { h: { url: server.url, type: 'http' } },
        cache: 'none',
        logger: silentLogger,
      });
      const failure = await registry.callTool('h__hang_up', {}).catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 'SERVER_CLOSED', server: 'h', tool: 'h__hang_up' });
      expect((failure as Error).message).toMatch(/may or may not have run/);
      const hangUps = readEvents(eventsFile).filter(
        (event) => event.server === 'hangup' && event.tool === 'hang_up' && event.event === 'start',
      );
      expect(hangUps).toHaveLength(1);
      expect((await registry.callTool('h__echo', { message: 'next' })).text).toBe('hangup: next');
    } finally {
      await server.stop();
    }
  });
});

afterAll(() => directory.cleanup());
