/**
 * Timeouts are validated where they are given (config, pool options, per call) against the range a
 * timer can hold, and a call that is retried keeps its original deadline: the retry gets the time
 * left, not a fresh timeout.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRegistry, silentLogger } from '../src/index.js';
import { readEvents, stdioFaultServer, temporaryDirectory } from './support/fault-servers.js';

const directory = temporaryDirectory('timeouts');
afterAll(() => directory.cleanup());
const eventsFile = join(directory.path, 'events.jsonl');

describe('timeout options', () => {
  it('rejects a config timeout a timer cannot hold, naming the option (CONFIG_INVALID)', async () => {
    const failure = await createRegistry({
      callTimeoutMs: 3e9,
      servers: { s: { ...stdioFaultServer('s', eventsFile), connectTimeoutMs: 2 ** 31 } },
      cache: 'none',
      logger: silentLogger,
    }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((failure as Error).message).toMatch(/callTimeoutMs: must be at most 2147483647 ms/);
    expect((failure as Error).message).toMatch(/servers\.s\.connectTimeoutMs: must be at most 2147483647/);
  });

  it('rejects a pool idle timeout past the timer limit', async () => {
    const failure = await createRegistry({
      servers: {},
      pool: { idleTimeoutMs: 3e9 },
      cache: 'none',
      logger: silentLogger,
    }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((failure as Error).message).toMatch(/pool\.idleTimeoutMs: must be at most 2147483647/);
  });

  it('rejects a per-call timeout out of range with INVALID_OPTIONS naming the option and tool', async () => {
    await using registry = await createRegistry({
      servers: { s: stdioFaultServer('s', eventsFile) },
      cache: 'none',
      logger: silentLogger,
    });
    for (const timeoutMs of [3e9, 0, -5, 1.5, Number.NaN]) {
      const failure = await registry
        .callTool('s__echo', { message: 'hi' }, { timeoutMs })
        .catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 'INVALID_OPTIONS', server: 's', tool: 's__echo' });
      expect((failure as Error).message).toMatch(/Option "timeoutMs" of the call to "s__echo"/);
    }
    await expect(registry.listResources('s', { timeoutMs: 3e9 })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
    // A valid value still works.
    expect((await registry.callTool('s__echo', { message: 'ok' }, { timeoutMs: 5_000 })).text).toBe('s: ok');
  });
});

describe('retry budget', () => {
  // Bounds are logical, not speed-dependent: a fresh timeout for the re-sent call could not end before
  // (kill time + timeoutMs), so ending earlier proves the retry used what was left of the budget.
  it('a retried call gets what is left of its deadline, not a fresh timeout', {
    timeout: 120_000,
  }, async () => {
    await using registry = await createRegistry({
      servers: { r: stdioFaultServer('r', eventsFile) },
      cache: 'memory',
      logger: silentLogger,
    });
    const pid = readEvents(eventsFile).filter((event) => event.server === 'r' && event.event === 'start')[0]
      ?.pid;
    expect(pid).toBeTypeOf('number');
    const timeoutMs = 20_000;
    const started = performance.now();
    // A read-only call is re-sent after its server dies; the re-sent call never answers either.
    const call = registry
      .callTool('r__read_value', { key: 'budget', ms: 120_000 }, { timeoutMs })
      .catch((error: unknown) => error);
    // Kill the server once the call has reached it (its start is in the event log).
    const budgetStarts = () =>
      readEvents(eventsFile).filter(
        (event) => event.tool === 'read_value' && event.key === 'budget' && event.event === 'start',
      );
    while (budgetStarts().length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    // … and no sooner than 5 s in: that is the slack the deadline check below allows for timers.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 5_000 - (performance.now() - started))));
    const killedAt = performance.now() - started;
    process.kill(pid as number, 'SIGKILL');
    const failure = await call;
    const elapsed = performance.now() - started;
    expect(failure).toMatchObject({ code: 'TIMEOUT', tool: 'r__read_value' });
    expect((failure as Error).message).toMatch(/20000 ms/);
    // It was re-sent (a second start on a new process) …
    expect(budgetStarts()).toHaveLength(2);
    // … and still failed at the original deadline: a fresh timeout would end after killedAt + 20 s.
    expect(elapsed).toBeLessThan(killedAt + timeoutMs);
  });
});
