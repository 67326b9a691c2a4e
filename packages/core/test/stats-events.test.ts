/**
 * What a registry reports about itself: events for status changes (`server:status`) and calls
 * (`call:start` / `call:end`), per-tool stats (calls, errors, last error, last use, latency
 * percentiles) and registry totals (by status, by server). A server that crashes mid-call is
 * reported `failed` with `SERVER_CLOSED` and comes back on the next call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CallEndEvent,
  type CallStartEvent,
  createRegistry,
  type Registry,
  type ServerStatusEvent,
  silentLogger,
} from '../src/index.js';
import { createTempDir, fixtureStdio, readEvents, type TempDir } from './support/index.js';

describe('stats and events', () => {
  let dir: TempDir;
  let registry: Registry;
  const starts: CallStartEvent[] = [];
  const ends: CallEndEvent[] = [];
  const statuses: ServerStatusEvent[] = [];
  const events = () => dir.file('events.jsonl');

  beforeAll(async () => {
    dir = await createTempDir();
    registry = await createRegistry({
      servers: {
        fixture: fixtureStdio({ eventsFile: events() }),
        idle: fixtureStdio({ name: 'idle' }),
        off: fixtureStdio({ name: 'off' }, { disabled: true }),
      },
      logger: silentLogger,
    });
    registry.on('call:start', (event) => starts.push(event));
    registry.on('call:end', (event) => ends.push(event));
    registry.on('server:status', (event) => statuses.push(event));
  });

  afterAll(async () => {
    await registry?.close();
    await dir?.remove();
  });

  it('emits call:start and call:end for every outcome', async () => {
    const before = Date.now();
    await registry.callTool('fixture__echo', { message: 'one' }, { sessionKey: 'thread-1' });
    await registry.callTool('fixture__echo', { message: 'two' });
    await registry.callTool('fixture__fail', { reason: 'no such city' });
    await registry.callTool('fixture__sleep', { ms: 5_000 }, { timeoutMs: 100 }).catch(() => {});
    await registry.callTool('fixture__sleep', { ms: 'soon' }).catch(() => {});

    expect(starts.map((event) => [event.tool, event.server, event.sessionKey])).toEqual([
      ['fixture__echo', 'fixture', 'thread-1'],
      ['fixture__echo', 'fixture', undefined],
      ['fixture__fail', 'fixture', undefined],
      ['fixture__sleep', 'fixture', undefined],
      ['fixture__sleep', 'fixture', undefined],
    ]);
    expect(ends.map((event) => [event.callId, event.outcome, event.error?.code])).toEqual([
      [starts[0]?.callId, 'ok', undefined],
      [starts[1]?.callId, 'ok', undefined],
      [starts[2]?.callId, 'tool-error', undefined],
      [starts[3]?.callId, 'failed', 'TIMEOUT'],
      [starts[4]?.callId, 'failed', 'INVALID_ARGUMENTS'],
    ]);
    expect(new Set(starts.map((event) => event.callId)).size).toBe(5);
    for (const end of ends) expect(end.durationMs).toBeGreaterThanOrEqual(0);
    expect(ends[3]?.durationMs).toBeGreaterThanOrEqual(100);

    const echo = registry.tool('fixture__echo')?.stats;
    expect(echo).toMatchObject({ calls: 2, errors: 0, lastError: undefined });
    expect(echo?.lastUsedAt).toBeGreaterThanOrEqual(before);
    expect(echo?.latency).toMatchObject({ count: 2 });
    expect(echo?.latency.p50Ms).toBeLessThanOrEqual(echo?.latency.p95Ms as number);
    expect(echo?.latency.p99Ms).toBeLessThanOrEqual(echo?.latency.maxMs as number);

    expect(registry.tool('fixture__fail')?.stats).toMatchObject({
      calls: 1,
      errors: 1,
      lastError: { code: 'TOOL_ERROR', message: 'no such city', at: expect.any(Number) },
    });
    // The timed-out call, then the one whose arguments were rejected before reaching the server.
    expect(registry.tool('fixture__sleep')?.stats).toMatchObject({
      calls: 2,
      errors: 2,
      lastError: { code: 'INVALID_ARGUMENTS', message: expect.stringContaining('ms: must be integer') },
    });
  });

  it('totals calls and errors, by status and by server', () => {
    const stats = registry.stats();
    expect(stats).toMatchObject({ servers: 3, tools: 10, calls: 5, errors: 3 });
    expect(stats.serversByStatus).toEqual({ discovered: 0, loading: 0, active: 2, failed: 0, disabled: 1 });
    expect(stats.toolsByStatus).toMatchObject({ active: 10 });
    expect(stats.byServer.fixture).toMatchObject({ status: 'active', tools: 5, calls: 5, errors: 3 });
    expect(stats.byServer.fixture?.connectLatencyMs).toBeGreaterThan(0);
    expect(stats.byServer.idle).toMatchObject({ status: 'active', tools: 5, calls: 0, errors: 0 });
    expect(stats.byServer.off).toMatchObject({ status: 'disabled', tools: 0 });
    expect(stats.byTool.fixture__echo?.calls).toBe(2);
    expect(stats.latency.count).toBe(5);
  });

  it('reports a crash as failed with SERVER_CLOSED, then reconnects on the next call', async () => {
    statuses.length = 0;
    const crash = await registry.callTool('fixture__crash', {}).catch((error: unknown) => error);
    expect(crash).toMatchObject({ code: 'SERVER_CLOSED', server: 'fixture' });
    expect(registry.server('fixture')).toMatchObject({ status: 'failed', error: { code: 'SERVER_CLOSED' } });
    expect(registry.server('idle')?.status).toBe('active');

    const result = await registry.callTool('fixture__echo', { message: 'back' });
    expect(result.text).toBe('fixture: back');
    expect(registry.server('fixture')?.status).toBe('active');
    expect(statuses.map((event) => [event.server, event.previous, event.status, event.error?.code])).toEqual([
      ['fixture', 'active', 'failed', 'SERVER_CLOSED'],
      ['fixture', 'failed', 'loading', undefined],
      ['fixture', 'loading', 'active', undefined],
    ]);
    const pids = new Set((await readEvents(events())).map((event) => event.pid));
    expect(pids.size).toBe(2);
  });

  it('stops calling listeners after unsubscribing, and survives a throwing listener', async () => {
    const seen: string[] = [];
    const unsubscribe = registry.on('call:end', (event) => seen.push(event.tool));
    registry.on('call:start', () => {
      throw new Error('a broken listener');
    });
    await registry.callTool('idle__echo', { message: 'a' });
    unsubscribe();
    await registry.callTool('idle__echo', { message: 'b' });
    expect(seen).toEqual(['idle__echo']);
  });
});
