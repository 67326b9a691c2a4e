/**
 * Soak: 5,000 calls on one session of a real stdio server, all passing the same long-lived
 * caller signal (as an agent loop does). Each request gets its own AbortController linked to the
 * caller's; this proves the link is removed every time (no abort listeners pile up on the
 * caller's signal) and that no timers, sockets or other handles accumulate.
 *
 * Every leak looked for here is per call, so it shows within a few thousand calls: a listener or
 * handle per call at once, retained memory because the heap is measured after a full garbage
 * collection (20,000 calls compared raw heap sizes, which young garbage swings by tens of MB).
 */
import { getEventListeners } from 'node:events';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { createRegistry, silentLogger } from '../src/index.js';
import { readEvents, stdioFaultServer, temporaryDirectory } from './support/fault-servers.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const TOTAL_CALLS = 5_000;
const WARM_UP_CALLS = 500;
const CONCURRENCY = 16;

/** The heap still reachable: what a full collection leaves (the worker runs without --expose-gc). */
function retainedHeap(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

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
    await run(WARM_UP_CALLS);
    const handlesBefore = handleCounts();
    const heapBefore = retainedHeap();
    await run(TOTAL_CALLS - WARM_UP_CALLS);
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
    // 4,500 calls may not keep 4 MB alive: a leak of 1 KB per call fails (a run keeps ~0.4 MB).
    expect(retainedHeap() - heapBefore).toBeLessThan(4 * 1024 * 1024);
  }, 240_000);
});
