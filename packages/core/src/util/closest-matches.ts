/** How close a candidate must be to count as a suggestion. */
export interface ClosestMatchesOptions {
  /**
   * The largest score (edit distance, or less for a name that contains the other) a suggestion
   * may have. Default: a third of the longer name, at least 2 (lenient enough for tool names).
   */
  maxDistance?: number;
}

/** "Did you mean" suggestions for unknown names (tools, config keys), by edit distance and substring. */
export function closestMatches(
  target: string,
  candidates: Iterable<string>,
  limit = 3,
  options: ClosestMatchesOptions = {},
): string[] {
  const needle = target.toLowerCase();
  const scored: { name: string; score: number }[] = [];
  for (const name of candidates) {
    const lower = name.toLowerCase();
    let score = editDistance(needle, lower);
    if (lower.includes(needle) || needle.includes(lower))
      score = Math.min(score, Math.abs(lower.length - needle.length) / 4);
    if (lower.endsWith(needle)) score = Math.min(score, 0.5);
    const threshold =
      options.maxDistance ?? Math.max(2, Math.floor(Math.max(needle.length, lower.length) / 3));
    if (score <= threshold) scored.push({ name, score });
  }
  scored.sort((left, right) => left.score - right.score || left.name.localeCompare(right.name));
  return scored.slice(0, limit).map((entry) => entry.name);
}

function editDistance(left: string, right: string): number {
  if (left === right) return 0;
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row++) {
    const current = [row];
    for (let column = 1; column <= right.length; column++) {
      const cost = left[row - 1] === right[column - 1] ? 0 : 1;
      current[column] = Math.min(
        previous[column]! + 1,
        current[column - 1]! + 1,
        previous[column - 1]! + cost,
      );
    }
    previous = current;
  }
  return previous[right.length]!;
}
