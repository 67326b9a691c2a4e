/** Tool filters: exact names or simple globs (`*` any run, `?` one character). */
export function compileGlobs(patterns: readonly string[]): (name: string) => boolean {
  const matchers = patterns.map((pattern) => {
    if (!/[*?]/.test(pattern)) return (name: string) => name === pattern;
    const source = pattern
      .split('')
      .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    const regex = new RegExp(`^${source}$`);
    return (name: string) => regex.test(name);
  });
  return (name) => matchers.some((matches) => matches(name));
}
