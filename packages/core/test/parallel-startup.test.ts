/**
 * Servers connect in parallel: with several servers that each take a known time to start, the
 * registry is ready in about the time of the slowest one, not the sum. Durations are compared
 * with a baseline measured side by side (the slowest server alone), never with a wall clock.
 */
import { describe, expect, it } from 'vitest';
import { createRegistry, silentLogger } from '../src/index.js';
import { fixtureStdio } from './support/index.js';

const delays = [1_500, 2_250, 3_000, 3_750];
const slowest = Math.max(...delays);
const sum = delays.reduce((total, delay) => total + delay, 0);

async function timeToReady(serverDelays: number[]) {
  const servers = Object.fromEntries(
    serverDelays.map((delayMs, index) => [`slow${index}`, fixtureStdio({ name: `slow${index}`, delayMs })]),
  );
  const started = performance.now();
  const registry = await createRegistry({ servers, logger: silentLogger });
  const elapsed = performance.now() - started;
  const infos = registry.servers();
  await registry.close();
  return { elapsed, infos };
}

describe('parallel start-up', () => {
  it('takes about as long as the slowest server, not the sum of all', async () => {
    const alone = await timeToReady([slowest]);
    const all = await timeToReady(delays);

    expect(all.infos.map((info) => info.status)).toEqual(delays.map(() => 'active'));
    all.infos.forEach((info, index) => {
      expect(info.connectLatencyMs).toBeGreaterThanOrEqual(delays[index] as number);
    });
    expect(all.elapsed).toBeGreaterThanOrEqual(slowest);

    // One after the other, four servers would need the slowest one's time plus the other three
    // delays (6750 ms): a ratio to the baseline of about 2.8. In parallel it stays near 1; the
    // margin absorbs spawning three more processes on a busy machine.
    const ratio = all.elapsed / alone.elapsed;
    const sequentialRatio = (alone.elapsed + sum - slowest) / alone.elapsed;
    const report = `4 servers: ${Math.round(all.elapsed)} ms; the slowest alone: ${Math.round(alone.elapsed)} ms; ratio ${ratio.toFixed(2)} (one by one: >= ${sequentialRatio.toFixed(2)})`;
    expect(ratio, report).toBeLessThan(1.8);
  });
});
