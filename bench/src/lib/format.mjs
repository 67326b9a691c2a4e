// Number formatting shared by the report and the console output.

/** Milliseconds as µs below 1 ms, ms below 10 s, else s, with 3 significant digits. */
export function duration(ms) {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms < 1) return `${significant(ms * 1000)} µs`;
  if (ms < 10_000) return `${significant(ms)} ms`;
  return `${significant(ms / 1000)} s`;
}

/** A ratio as `1.23×`. */
export function times(value) {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a';
}

/** Megabytes with one decimal. */
export function megabytes(value) {
  return Number.isFinite(value) ? `${value.toFixed(1)} MB` : 'n/a';
}

/** A count with thousands separators. */
export function count(value) {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
}

function significant(value) {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** A markdown table from a header row and body rows (cells are strings). */
export function table(header, rows, align = header.map((_, index) => (index === 0 ? 'left' : 'right'))) {
  const rule = align.map((side) => (side === 'left' ? ':---' : '---:'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** A paired ratio with its interval: `1.07× (95% CI 1.05–1.09, n=3000)` (lib/stats.mjs `pairedRatio`). */
export function spreadText(spread) {
  if (!spread || !Number.isFinite(spread.median)) return 'n/a';
  return `${times(spread.median)} (${intervalText(spread)})`;
}

/** The interval alone: `95% CI 1.05–1.09, n=3000`, or `range …` with too few pairs for a CI. */
export function intervalText(spread) {
  if (!spread || !Number.isFinite(spread.low)) return 'n/a';
  const kind = spread.level === '95%' ? '95% CI' : 'range';
  return `${kind} ${spread.low.toFixed(2)}–${spread.high.toFixed(2)}, n=${spread.count}`;
}
