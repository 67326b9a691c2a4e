// The one measuring loop every timed benchmark uses: rows are measured round-robin, one turn each
// per iteration, with the starting row rotating, so that whatever else the machine is doing (other
// processes, GC, thermal state) falls on every row alike. Warm-up iterations run the same loop and
// are thrown away.

/**
 * Runs `iterations` rounds (after `warmup` discarded ones); in each round every row's `measure()`
 * runs once, in rotated order. `measure` returns one sample or an array of samples (numbers).
 * Resolves with the samples of each row, by row name.
 */
export async function interleave({ rows, iterations, warmup = 0, measure, between }) {
  const samples = new Map(rows.map((row) => [row.name, []]));
  for (let round = -warmup; round < iterations; round++) {
    const offset = ((round % rows.length) + rows.length) % rows.length;
    for (let index = 0; index < rows.length; index++) {
      const row = rows[(index + offset) % rows.length];
      const value = await measure(row, round);
      if (round >= 0) {
        const list = samples.get(row.name);
        if (Array.isArray(value)) list.push(...value);
        else list.push(value);
      }
      if (between) await between(row, round);
    }
  }
  return samples;
}

/** Runs `action` and resolves with the milliseconds it took and its value. */
export async function timed(action) {
  const started = performance.now();
  const value = await action();
  return { ms: performance.now() - started, value };
}

/** Resolves after `ms` milliseconds (lets closed child processes exit between measurements). */
export function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
