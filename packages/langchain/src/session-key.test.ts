/** Unit tests of session-key resolution and of the include/exclude name filter. */
import { describe, expect, it } from 'vitest';
import { compileNameFilter } from './name-filter.js';
import { resolveSessionKey } from './session-key.js';

describe('resolveSessionKey', () => {
  it("prefers LangGraph's thread_id, falls back to a string option, lets a function decide alone", () => {
    const config = { configurable: { thread_id: 'thread-1', user: 'u7' } };
    expect(resolveSessionKey(config, undefined)).toBe('thread-1');
    expect(resolveSessionKey(config, 'fallback')).toBe('thread-1');
    expect(resolveSessionKey({}, 'fallback')).toBe('fallback');
    expect(resolveSessionKey({}, undefined)).toBeUndefined();
    expect(resolveSessionKey(config, (runConfig) => String(runConfig.configurable?.user))).toBe('u7');
  });
});

describe('compileNameFilter', () => {
  it('matches exact names and globs, exclude after include', () => {
    const keep = compileNameFilter(['files__*', 'memory__read_graph'], ['files__write_?ile']);
    expect(
      ['files__read_file', 'files__write_file', 'memory__read_graph', 'memory__open_nodes'].filter(keep),
    ).toEqual(['files__read_file', 'memory__read_graph']);
    expect(compileNameFilter(undefined, undefined)('anything')).toBe(true);
    expect(compileNameFilter(['a.b'], undefined)('axb')).toBe(false);
  });
});
