import { describe, expect, it } from 'vitest';
import { compileGlobs } from './glob.js';

describe('compileGlobs', () => {
  it('matches exact names', () => {
    const matches = compileGlobs(['read_file']);
    expect(matches('read_file')).toBe(true);
    expect(matches('read_file_2')).toBe(false);
    expect(matches('xread_file')).toBe(false);
  });

  it('matches * as any run and ? as one character, anchored at both ends', () => {
    const matches = compileGlobs(['get_*', 'list_?']);
    expect(matches('get_')).toBe(true);
    expect(matches('get_forecast')).toBe(true);
    expect(matches('forget_it')).toBe(false);
    expect(matches('list_a')).toBe(true);
    expect(matches('list_ab')).toBe(false);
    expect(matches('list_')).toBe(false);
  });

  it('takes every other character literally', () => {
    const matches = compileGlobs(['get.item*', 'a+b', '(x)|[y]', '$^{}\\']);
    expect(matches('get.item_v2')).toBe(true);
    expect(matches('getXitem')).toBe(false);
    expect(matches('a+b')).toBe(true);
    expect(matches('aab')).toBe(false);
    expect(matches('(x)|[y]')).toBe(true);
    expect(matches('x')).toBe(false);
    expect(matches('$^{}\\')).toBe(true);
  });

  it('matches when any pattern matches, and nothing with no patterns', () => {
    expect(compileGlobs(['a', 'b*'])('bee')).toBe(true);
    expect(compileGlobs([])('anything')).toBe(false);
  });
});
