/** Unit tests of session-key resolution. */
import { describe, expect, it } from 'vitest';
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
