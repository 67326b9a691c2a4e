import { describe, expect, it } from 'vitest';
import { excerpt, previewValue } from './bounded-text.js';

describe('excerpt', () => {
  it('keeps short texts and cuts long ones to the bound, saying how much was left out', () => {
    expect(excerpt('short', 10)).toBe('short');
    const cut = excerpt('x'.repeat(5_000_000), 1_000);
    expect(cut.length).toBeLessThanOrEqual(1_000);
    expect(cut).toMatch(/^x+… \(\d+ more characters\)$/);
    expect(Number(/\((\d+) more/.exec(cut)?.[1]) + cut.indexOf('…')).toBe(5_000_000);
  });

  it('never splits a surrogate pair', () => {
    const cut = excerpt(`${'a'.repeat(5)}${'😀'.repeat(50)}`, 40);
    expect(cut.length).toBeLessThanOrEqual(40);
    expect(() => encodeURIComponent(cut)).not.toThrow();
  });
});

describe('previewValue', () => {
  it('renders values briefly, whatever their size', () => {
    expect(previewValue('C', 60)).toBe('"C"');
    expect(previewValue(null, 60)).toBe('null');
    expect(previewValue(4.5, 60)).toBe('4.5');
    expect(previewValue(new Array(1_000_000).fill(1), 60)).toBe('[1000000 items]');
    expect(previewValue({ a: 1, b: 2 }, 60)).toBe('{2 properties}');
    expect(previewValue('y'.repeat(10_000), 60).length).toBeLessThanOrEqual(60);
  });
});
