/**
 * Soak: 20,000 calls on one session of a real stdio server, all passing the same long-lived
 * caller signal (as an agent loop does). Each request gets its own AbortController linked to the
 * caller's; this proves the link is removed every time (no abort listeners pile up on the
 * caller's signal) and that no timers, sockets or other handles accumulate.
 */
import { getEventListeners } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRegistry, silentLogger } from '../src/index.js';
import { readEvents, stdioFaultServer, temporaryDirectory } from './support/fault-servers.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const TOTAL_CALLS = 20_000;
const CONCURRENCY = 16;

function handleCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

describe('soak', () => {
  it(`${TOTAL_CALLS} calls on one session leak no listeners and no handles`, async () => {
    const directory = temporaryDirectory('soak');
    cleanups.push(() => directory.cleanup());
    const eventsFile = join(directory.path, 'events.jsonl');
    const registry = await createRegistry({
      servers: { s: stdioFaultServer('s', eventsFile) },
      cache: 'memory',
      logger: silentLogger,
    });
    cleanups.push(() => registry.close());
    const caller = new AbortController();

    let sent = 0;
    let maxListenersSeen = 0;
    const run = async (until: number) => {
      const target = sent + until;
      const workers = Array.from({ length: CONCURRENCY }, async () => {
        while (sent < target) {
          const index = sent++;
          const result = await registry.callTool(
            's__echo',
            { message: String(index) },
            { signal: caller.signal },
          );
          if (result.text !== `s: ${index}`)
            throw new Error(`wrong answer for call ${index}: ${result.text}`);
          if (index % 500 === 0) {
            maxListenersSeen = Math.max(maxListenersSeen, getEventListeners(caller.signal, 'abort').length);
          }
        }
      });
      await Promise.all(workers);
    };

    // Warm up (lazy module loads, JIT, pools), then measure the rest.
    await run(1_000);
    const handlesBefore = handleCounts();
    const heapBefore = process.memoryUsage().heapUsed;
    await run(TOTAL_CALLS - 1_000);
    expect(sent).toBe(TOTAL_CALLS);

    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    expect(maxListenersSeen).toBeLessThanOrEqual(CONCURRENCY);
    const handlesAfter = handleCounts();
    for (const [kind, count] of handlesAfter) {
      expect({ kind, count: Math.min(count, (handlesBefore.get(kind) ?? 0) + 2) }).toEqual({ kind, count });
    }
    // One session, one process: every call went over the same connection.
    expect(readEvents(eventsFile).filter((event) => event.event === 'start')).toHaveLength(1);
    expect(registry.server('s')?.connections).toBe(1);
    expect(registry.stats().calls).toBe(TOTAL_CALLS);
    // Generous: 19,000 calls must not keep tens of megabytes alive.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  }, 240_000);
});
