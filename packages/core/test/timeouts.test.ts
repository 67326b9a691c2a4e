/**
 * Timeouts are validated where they are given (config, pool options, per call) against the range a
 * timer can hold, and a call that is retried keeps its original deadline: the retry gets the time
 * left, not a fresh timeout.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRegistry, silentLogger } from '../src/index.js';
import { readEvents, stdioFaultServer, temporaryDirectory } from './support/fault-servers.js';
import { waitFor } from './support/index.js';

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
  // An outcome, not a clock: the retry of a read-only call waits for its server to restart, held
  // until the call's deadline has passed. With the time left (none) it is never sent again and
  // fails with the deadline's own TIMEOUT; a fresh timeout would send it to the new process.
  it('a retried call gets what is left of its deadline, not a fresh timeout', async () => {
    const release = join(directory.path, 'release-restart');
    await using registry = await createRegistry({
      servers: { r: stdioFaultServer('r', eventsFile, { holdRestartUntil: release }) },
      cache: 'memory',
      logger: silentLogger,
    });
    const serverEvents = () => readEvents(eventsFile).filter((event) => event.server === 'r');
    const pid = serverEvents().find((event) => event.event === 'start')?.pid;
    expect(pid).toBeTypeOf('number');
    const timeoutMs = 2_000;
    // A read-only call is re-sent after its server dies (if its deadline allows).
    const call = registry
      .callTool('r__read_value', { key: 'budget', ms: 120_000 }, { timeoutMs })
      .catch((error: unknown) => error);
    const budgetStarts = () =>
      serverEvents().filter(
        (event) => event.tool === 'read_value' && event.key === 'budget' && event.event === 'start',
      );
    await waitFor(() => budgetStarts().length === 1, { message: 'the call to reach the server' });
    // The deadline started before the server saw the call, so it ends before this plus timeoutMs.
    const deadlinePassed = performance.now() + timeoutMs;
    process.kill(pid as number, 'SIGKILL');
    await waitFor(() => serverEvents().some((event) => event.event === 'restart-held'), {
      message: 'the server to restart',
    });
    await waitFor(() => performance.now() > deadlinePassed, { message: "the call's deadline" });
    writeFileSync(release, '');
    const failure = await call;
    expect(failure).toMatchObject({ code: 'TIMEOUT', tool: 'r__read_value' });
    expect((failure as Error).message).toMatch(
      /timed out after 2000 ms \(the time ran out before it could be sent again\)/,
    );
    // Not sent again, and the server is back for the next call.
    expect(budgetStarts()).toHaveLength(1);
    expect((await registry.callTool('r__echo', { message: 'back' })).text).toBe('r: back');
  });
});
