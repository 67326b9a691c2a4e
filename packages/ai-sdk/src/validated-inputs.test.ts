import { describe, expect, it } from 'vitest';
import { ValidatedInputs } from './validated-inputs.js';

describe('ValidatedInputs', () => {
  it('answers true once per remembered object, by identity only', () => {
    const inputs = new ValidatedInputs();
    const input = { value: 1 };
    inputs.add(input);
    expect(inputs.take({ value: 1 })).toBe(false);
    expect(inputs.take(input)).toBe(true);
    expect(inputs.take(input)).toBe(false);
    expect(inputs.take(undefined)).toBe(false);
  });

  it('holds a bounded number of inputs, forgetting the oldest first', () => {
    const inputs = new ValidatedInputs();
    const added = Array.from({ length: 20 }, (_, index) => ({ index }));
    for (const input of added) inputs.add(input);
    expect(added.map((input) => inputs.take(input))).toEqual([
      ...Array.from({ length: 4 }, () => false),
      ...Array.from({ length: 16 }, () => true),
    ]);
  });
});
