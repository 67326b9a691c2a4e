/**
 * The registry's `roots` option: a fixed list of directories servers may work in, or a handler
 * deciding per server and conversation. Either becomes the registry-wide `onRoots`.
 */
import type { Root } from '@modelcontextprotocol/client';
import { type RootsHandler, rootsProblem } from '../connection/server-requests.js';
import { ToolwireError } from '../errors/toolwire-error.js';

/** What `createRegistry({ roots })` accepts. */
export type RootsOption = readonly Root[] | RootsHandler;

/** The registry-wide roots handler for the `roots` option; a bad fixed list is refused up front. */
export function rootsHandlerFrom(option: RootsOption | undefined): RootsHandler | undefined {
  if (option === undefined) return undefined;
  if (typeof option === 'function') return option;
  const problem = rootsProblem(option);
  if (problem !== undefined) {
    throw new ToolwireError({
      code: 'INVALID_OPTIONS',
      message: `roots: expected an array of { uri: 'file:///…', name? } or a function, got ${problem}`,
    });
  }
  const fixed = option.map((root) => ({ ...root }));
  return () => fixed.map((root) => ({ ...root }));
}
