/**
 * Cancellation reaches the server: aborting a call's signal sends MCP `notifications/cancelled`
 * and the fixture's `sleep` tool, which records what it received, sees it. Checked over stdio
 * and over Streamable HTTP in both protocol eras (2025 sessions and 2026-07-28 requests).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Registry, silentLogger } from '../src/index.js';
import {
  createTempDir,
  fixtureStdio,
  type HttpFixtureServer,
  readEvents,
  startHttpFixture,
  type TempDir,
  waitFor,
  waitForEvent,
} from './support/index.js';

describe('cancellation reaches the server', () => {
  let dir: TempDir;
  let http: HttpFixtureServer;
  let registry: Registry;
  const stdioEvents = () => dir.file('stdio-events.jsonl');
  const httpEvents = () => dir.file('http-events.jsonl');

  beforeAll(async () => {
    dir = await createTempDir();
    http = await startHttpFixture({ name: 'web', eventsFile: httpEvents() });
    registry = await createRegistry({
      servers: {
        local: fixtureStdio({ name: 'local', eventsFile: stdioEvents() }),
        legacy: { url: http.url, protocol: 'legacy' },
        modern: { url: http.url, protocol: 'auto' },
      },
      logger: silentLogger,
    });
  });

  afterAll(async () => {
    await registry?.close();
    await http?.stop();
    await dir?.remove();
  });

  it('connects the fixture over stdio and over HTTP in both eras', () => {
    expect(registry.servers().map((server) => [server.name, server.status, server.protocolVersion])).toEqual([
      ['local', 'active', expect.stringMatching(/^2025-/)],
      ['legacy', 'active', expect.stringMatching(/^2025-/)],
      ['modern', 'active', '2026-07-28'],
    ]);
  });

  it('over stdio: the server receives notifications/cancelled for the aborted request', async () => {
    const controller = new AbortController();
    const call = registry.callTool('local__sleep', { ms: 20_000 }, { signal: controller.signal });
    const started = await waitForEvent(
      stdioEvents(),
      (event) => event.tool === 'sleep' && event.event === 'start',
    );
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED', server: 'local' });
    const notification = await waitForEvent(
      stdioEvents(),
      (event) => event.notification === 'notifications/cancelled',
      'notifications/cancelled at the stdio fixture',
    );
    expect(notification.params?.requestId).toBe(started.id);
    await waitForEvent(stdioEvents(), (event) => event.event === 'cancelled' && event.id === started.id);
  });

  it('over stdio: a timeout also cancels the request at the server', async () => {
    const before = (await readEvents(stdioEvents())).length;
    const call = registry.callTool('local__sleep', { ms: 20_000 }, { timeoutMs: 200 });
    await expect(call).rejects.toMatchObject({ code: 'TIMEOUT', server: 'local' });
    const fresh = async () => (await readEvents(stdioEvents())).slice(before);
    const started = await waitFor(async () => (await fresh()).find((event) => event.event === 'start'), {
      message: 'the sleep to start',
    });
    const notification = await waitFor(
      async () => (await fresh()).find((event) => event.notification === 'notifications/cancelled'),
      { message: 'notifications/cancelled after the timeout' },
    );
    expect(notification.params?.requestId).toBe(started.id);
  });

  it('over Streamable HTTP (2025 session): notifications/cancelled is POSTed and the server aborts', async () => {
    const controller = new AbortController();
    const call = registry.callTool('legacy__sleep', { ms: 20_000 }, { signal: controller.signal });
    const started = await waitForEvent(
      httpEvents(),
      (event) => event.tool === 'sleep' && event.event === 'start',
    );
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED', server: 'legacy' });
    await waitForEvent(
      httpEvents(),
      (event) => event.event === 'cancelled' && event.id === started.id && event.at >= started.at,
      'the sleep to be cancelled at the HTTP fixture',
    );
    const cancelPosts = (await readEvents(httpEvents())).filter(
      (event) => event.http === 'POST' && event.rpc?.includes('notifications/cancelled'),
    );
    expect(cancelPosts).toHaveLength(1);
    expect(cancelPosts[0]?.sessionId).toEqual(expect.any(String));
  });

  it('over Streamable HTTP (2026-07-28): the server aborts the request', async () => {
    const before = (await readEvents(httpEvents())).length;
    const controller = new AbortController();
    const call = registry.callTool('modern__sleep', { ms: 20_000 }, { signal: controller.signal });
    const fresh = async () => (await readEvents(httpEvents())).slice(before);
    await waitFor(
      async () => (await fresh()).find((event) => event.tool === 'sleep' && event.event === 'start'),
      {
        message: 'the sleep to start at the HTTP fixture',
      },
    );
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED', server: 'modern' });
    await waitFor(
      async () => (await fresh()).find((event) => event.tool === 'sleep' && event.event === 'cancelled'),
      {
        message: 'the sleep to be cancelled at the HTTP fixture',
      },
    );
    expect((await fresh()).some((event) => event.tool === 'sleep' && event.event === 'done')).toBe(false);
  });
});
