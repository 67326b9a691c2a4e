// The one measuring loop every timed benchmark uses: rows are measured round-robin, one turn each
// per iteration, so that whatever else the machine is doing (other processes, GC, thermal state)
// falls on every row alike. The order changes every iteration: shuffled by default (a fixed-seed
// permutation, so that which row follows which changes too: a row may leave work behind it, such
// as servers shutting down or a server process going back to sleep), or rotated
// (`order: 'rotate'`, the starting row moves on). Warm-up iterations run the same loop and are
// thrown away.

/**
 * Runs `iterations` rounds (after `warmup` discarded ones); in each round every row's `measure()`
 * runs once, in rotated or shuffled order. `measure` returns one sample or an array of samples.
 * Resolves with the samples of each row, by row name.
 */
export async function interleave({ rows, iterations, warmup = 0, measure, between, order = 'shuffle' }) {
  const samples = new Map(rows.map((row) => [row.name, []]));
  const random = seededRandom(0x70017);
  for (let round = -warmup; round < iterations; round++) {
    const offset = ((round % rows.length) + rows.length) % rows.length;
    const sequence =
      order === 'shuffle'
        ? shuffle(rows, random)
        : rows.map((_, index) => rows[(index + offset) % rows.length]);
    for (const row of sequence) {
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

/** A Fisher-Yates shuffle of a copy of `items`. */
function shuffle(items, random) {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy;
}

/** A small deterministic generator (mulberry32), so runs shuffle alike. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
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
