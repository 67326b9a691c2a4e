// Order statistics over samples (nearest-rank percentiles) and the spread the verdicts rest on:
// the median of per-iteration paired ratios with a distribution-free confidence interval.

/** The value at quantile `fraction` (0..1) of the samples, by nearest rank. */
export function percentile(samples, fraction) {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((left, right) => left - right);
  return sortedPercentile(sorted, fraction);
}

function sortedPercentile(sorted, fraction) {
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1];
}

/** The median of the samples. */
export function median(samples) {
  return percentile(samples, 0.5);
}

/** Median, p99, quartiles (the IQR is `q3 - q1`) and count of the samples. */
export function summarize(samples) {
  const sorted = [...samples].sort((left, right) => left - right);
  return {
    median: sortedPercentile(sorted, 0.5),
    p99: sortedPercentile(sorted, 0.99),
    q1: sortedPercentile(sorted, 0.25),
    q3: sortedPercentile(sorted, 0.75),
    count: sorted.length,
  };
}

/** `value / baseline`, or NaN when either is missing. */
export function ratio(value, baseline) {
  return Number.isFinite(value) && Number.isFinite(baseline) && baseline > 0 ? value / baseline : Number.NaN;
}

/**
 * The ratio of two rows measured in the same interleaved iterations, from their paired samples
 * (`samples[i] / baselineSamples[i]`, iteration i of both): `{ median, low, high, count, level }`.
 * `low`–`high` is a distribution-free confidence interval of the median paired ratio (order
 * statistics of the binomial(n, ½) around n/2, 95% by normal approximation); with fewer than 6
 * pairs no such interval exists and it is the full range of the pairs (`level: 'range'`).
 */
export function pairedRatio(samples, baselineSamples) {
  return medianInterval(pairs(samples, baselineSamples, ratio));
}

/** Like `pairedRatio`, for the paired differences `samples[i] - baselineSamples[i]`. */
export function pairedDifference(samples, baselineSamples) {
  return medianInterval(pairs(samples, baselineSamples, (value, baseline) => value - baseline));
}

function pairs(samples, baselineSamples, combine) {
  const values = [];
  const length = Math.min(samples?.length ?? 0, baselineSamples?.length ?? 0);
  for (let index = 0; index < length; index++) {
    const value = combine(samples[index], baselineSamples[index]);
    if (Number.isFinite(value)) values.push(value);
  }
  return values;
}

/** The median of `values` with its distribution-free interval (see `pairedRatio`). */
export function medianInterval(values) {
  const sorted = [...values].sort((left, right) => left - right);
  const count = sorted.length;
  if (count === 0) return { median: Number.NaN, low: Number.NaN, high: Number.NaN, count, level: 'none' };
  const middle = sortedPercentile(sorted, 0.5);
  if (count < 6) return { median: middle, low: sorted[0], high: sorted[count - 1], count, level: 'range' };
  const half = (1.96 * Math.sqrt(count)) / 2;
  const lowRank = Math.max(1, Math.floor(count / 2 - half));
  const highRank = Math.min(count, Math.ceil(count / 2 + half + 1));
  return { median: middle, low: sorted[lowRank - 1], high: sorted[highRank - 1], count, level: '95%' };
}

/**
 * Pairs every row of one interleaved loop with every other: `{ [row]: { [other]: pairedRatio } }`
 * (row over other), so targets and tables can compare any two rows of the same run.
 */
export function pairwiseRatios(samplesByRow) {
  const names = [...samplesByRow.keys()];
  return Object.fromEntries(
    names.map((name) => [
      name,
      Object.fromEntries(
        names
          .filter((other) => other !== name)
          .map((other) => [other, pairedRatio(samplesByRow.get(name), samplesByRow.get(other))]),
      ),
    ]),
  );
}

/**
 * A verdict computed from a ratio's interval: for `direction: 'at most'` the target is met when
 * the interval's upper bound is within it and missed when even its lower bound is over it (and
 * the other way round for `'at least'`); otherwise, or with too few pairs for a 95% interval,
 * the run cannot tell: inconclusive.
 */
export function verdict(spread, target, direction = 'at most') {
  if (!spread || !Number.isFinite(spread.low) || !Number.isFinite(spread.high)) return 'pending';
  // Fewer than 6 pairs give no 95% interval of the median (even their full range covers it
  // less often): such a run cannot decide a target either way.
  if (spread.level !== '95%') return 'inconclusive';
  if (direction === 'at most') {
    if (spread.high <= target) return 'met';
    if (spread.low > target) return 'missed';
    return 'inconclusive';
  }
  if (spread.low >= target) return 'met';
  if (spread.high < target) return 'missed';
  return 'inconclusive';
}
