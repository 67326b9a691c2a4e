/** `include`/`exclude` for adapter options: exact registry tool names or globs (`*`, `?`). */

/** Compiles name patterns into one predicate; a pattern without `*`/`?` matches exactly. */
export function compileNameFilter(
  include: readonly string[] | undefined,
  exclude: readonly string[] | undefined,
): (name: string) => boolean {
  const included = include === undefined ? () => true : compilePatterns(include);
  const excluded = exclude === undefined ? () => false : compilePatterns(exclude);
  return (name) => included(name) && !excluded(name);
}

function compilePatterns(patterns: readonly string[]): (name: string) => boolean {
  const matchers = patterns.map((pattern) => {
    if (!/[*?]/.test(pattern)) return (name: string) => name === pattern;
    const source = [...pattern]
      .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    const regex = new RegExp(`^${source}$`);
    return (name: string) => regex.test(name);
  });
  return (name) => matchers.some((matches) => matches(name));
}
