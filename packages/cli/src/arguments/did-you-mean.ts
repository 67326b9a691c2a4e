/** The closest names to a mistyped one (edit distance), for "did you mean" hints. */

/** Names within a couple of typos of `input`, closest first. */
export function didYouMean(input: string, candidates: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(input.length / 3));
  return candidates
    .map((candidate) => ({ candidate, distance: editDistance(input, candidate) }))
    .filter(({ candidate, distance }) => distance <= limit || candidate.startsWith(input))
    .sort((left, right) => left.distance - right.distance)
    .map(({ candidate }) => candidate);
}

function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row++) {
    const current = [row];
    for (let column = 1; column <= right.length; column++) {
      const substitution = previous[column - 1]! + (left[row - 1] === right[column - 1] ? 0 : 1);
      current.push(Math.min(previous[column]! + 1, current[column - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length]!;
}
