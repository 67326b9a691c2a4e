/**
 * Selecting tools by name: exact names or globs (`*`, `?`) to include, then to exclude. One rule
 * for a server's `enabledTools`/`disabledTools`, `registry.tools({ include, exclude })`, the
 * adapters and the publisher's selection. An empty or absent `include` keeps everything.
 */
import { compileGlobs } from './glob.js';

export function createNameFilter(
  include: readonly string[] | undefined,
  exclude: readonly string[] | undefined,
): (name: string) => boolean {
  const included = include && include.length > 0 ? compileGlobs(include) : () => true;
  const excluded = exclude && exclude.length > 0 ? compileGlobs(exclude) : () => false;
  return (name) => included(name) && !excluded(name);
}
