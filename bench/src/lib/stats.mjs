// Order statistics over samples (nearest-rank percentiles), the only summaries the reports use.

/** The value at quantile `fraction` (0..1) of the samples, by nearest rank. */
export function percentile(samples, fraction) {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((left, right) => left - right);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1];
}

/** The median of the samples. */
export function median(samples) {
  return percentile(samples, 0.5);
}

/** Median, p99 and count of the samples. */
export function summarize(samples) {
  return { median: median(samples), p99: percentile(samples, 0.99), count: samples.length };
}

/** `value / baseline`, or NaN when either is missing. */
export function ratio(value, baseline) {
  return Number.isFinite(value) && Number.isFinite(baseline) && baseline > 0 ? value / baseline : Number.NaN;
}
