import { describe, expect, it } from 'vitest';
import { colourEnabled } from './terminal.js';

describe('colourEnabled (no-color.org, force-color.org)', () => {
  const on = (env: Record<string, string>, isTTY = true) => colourEnabled({ env, isTTY });

  it('colours a terminal by default, never a pipe or TERM=dumb', () => {
    expect(on({})).toBe(true);
    expect(on({}, false)).toBe(false);
    expect(on({ TERM: 'dumb' })).toBe(false);
  });

  it('NO_COLOR turns colour off only when non-empty', () => {
    expect(on({ NO_COLOR: '1' })).toBe(false);
    expect(on({ NO_COLOR: 'false' })).toBe(false);
    expect(on({ NO_COLOR: '' })).toBe(true);
  });

  it('FORCE_COLOR non-empty forces colour, even piped; 0 and false turn it off; empty does nothing', () => {
    expect(on({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(on({ FORCE_COLOR: '3', NO_COLOR: '1' }, false)).toBe(true);
    expect(on({ FORCE_COLOR: '0' })).toBe(false);
    expect(on({ FORCE_COLOR: 'false' })).toBe(false);
    expect(on({ FORCE_COLOR: '' }, false)).toBe(false);
  });
});
