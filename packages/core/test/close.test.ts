/**
 * `close()` and `await using` leave nothing behind: no child process (the stdio servers' pids
 * are gone), no socket or timer (active handles compared before and after), and every 2025
 * HTTP session was terminated with a DELETE the server actually received.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Registry, silentLogger } from '../src/index.js';
import {
  activeResources,
  addedResources,
  childProcessIds,
  createTempDir,
  type EverythingHttpServer,
  everythingStdio,
  fixtureStdio,
  type HttpFixtureServer,
  isProcessAlive,
  readEvents,
  settledResources,
  startEverythingHttp,
  startHttpFixture,
  type TempDir,
  waitForEvent,
} from './support/index.js';

describe('closing a registry', () => {
  let dir: TempDir;
  let everythingHttp: EverythingHttpServer;
  let http: HttpFixtureServer;
  const httpEvents = () => dir.file('http-events.jsonl');
  const stdioEvents = () => dir.file('stdio-events.jsonl');

  beforeAll(async () => {
    // Load the Node-only stdio module up front, as the first stdio connection would: the SDK's
    // `import process from 'node:process'` makes Node create `process.stdin` (a pipe handle in
    // a test worker) once per process. That is Node's, not a registry's, and must not count.
    await import('../src/stdio.js');
    dir = await createTempDir();
    [everythingHttp, http] = await Promise.all([
      startEverythingHttp('streamableHttp'),
      startHttpFixture({ eventsFile: httpEvents() }),
    ]);
  });

  afterAll(async () => {
    await everythingHttp?.stop();
    await http?.stop();
    await dir?.remove();
  });

  it('leaves no child process, socket or timer, and DELETEs every HTTP session', async () => {
    const resourcesBefore = activeResources();
    const childrenBefore = childProcessIds();

    const registry = await createRegistry({
      servers: {
        everything: everythingStdio(),
        fixture: fixtureStdio({ eventsFile: stdioEvents() }),
        everythingHttp: { url: everythingHttp.url },
        session: { url: http.url, protocol: 'legacy' },
        modern: { url: http.url, protocol: 'auto' },
      },
      logger: silentLogger,
    });
    expect(registry.servers().map((server) => `${server.name}:${server.status}`)).toEqual([
      'everything:active',
      'fixture:active',
      'everythingHttp:active',
      'session:active',
      'modern:active',
    ]);
    await Promise.all([
      registry.callTool('everything__echo', { message: 'a' }),
      registry.callTool('fixture__echo', { message: 'b' }),
      registry.callTool('everythingHttp__echo', { message: 'c' }),
      registry.callTool('session__echo', { message: 'd' }),
      registry.callTool('modern__echo', { message: 'e' }),
      registry.callTool('everything__trigger-long-running-operation', { duration: 0.1, steps: 2 }),
    ]);
    const stdioChildren = childProcessIds().filter((pid) => !childrenBefore.includes(pid));
    expect(stdioChildren).toHaveLength(2);
    const opened = await waitForEvent(httpEvents(), (event) => event.session === 'opened');
    const fixturePid = (await waitForEvent(stdioEvents(), (event) => event.tool === 'echo')).pid;
    expect(stdioChildren).toContain(fixturePid);

    await registry.close();

    for (const pid of stdioChildren)
      expect(isProcessAlive(pid), `stdio server ${pid} still alive`).toBe(false);
    expect(childProcessIds().sort()).toEqual([...childrenBefore].sort());
    expect(addedResources(resourcesBefore, await settledResources())).toEqual({});

    const events = await readEvents(httpEvents());
    expect(events).toContainEqual(
      expect.objectContaining({ http: 'DELETE', path: '/mcp', sessionId: opened.sessionId }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ session: 'closed', sessionId: opened.sessionId }),
    );
    // The 2026-07-28 connection has no session, so nothing to DELETE for it: one DELETE in all.
    expect(events.filter((event) => event.http === 'DELETE')).toHaveLength(1);
    await everythingHttp.waitForOutput(/Received session termination request for session/, 5_000);
  });

  it('closes on leaving an `await using` block', async () => {
    const childrenBefore = childProcessIds();
    let pid: number | undefined;
    let sessionId: string | undefined;
    {
      await using registry = await createRegistry({
        servers: {
          fixture: fixtureStdio({ eventsFile: stdioEvents(), name: 'scoped' }),
          session: { url: http.url, protocol: 'legacy' },
        },
        logger: silentLogger,
      });
      await registry.callTool('fixture__echo', { message: 'scoped' });
      pid = (await waitForEvent(stdioEvents(), (event) => event.message === 'scoped')).pid;
      const sessions = (await readEvents(httpEvents())).filter((event) => event.session === 'opened');
      sessionId = sessions.at(-1)?.sessionId;
      expect(isProcessAlive(pid)).toBe(true);
    }
    expect(isProcessAlive(pid)).toBe(false);
    expect(childProcessIds().sort()).toEqual([...childrenBefore].sort());
    expect(await readEvents(httpEvents())).toContainEqual(
      expect.objectContaining({ http: 'DELETE', sessionId: expect.any(String) }),
    );
    expect(await readEvents(httpEvents())).toContainEqual(
      expect.objectContaining({ session: 'closed', sessionId }),
    );
  });

  it('is idempotent, and a closed registry refuses calls', async () => {
    const registry: Registry = await createRegistry({
      servers: { fixture: fixtureStdio() },
      logger: silentLogger,
    });
    await Promise.all([registry.close(), registry.close()]);
    await registry.close();
    await expect(registry.callTool('fixture__echo', { message: 'x' })).rejects.toMatchObject({
      code: 'REGISTRY_CLOSED',
    });
  });
});
