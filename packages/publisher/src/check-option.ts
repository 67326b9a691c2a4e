/**
 * Checks numeric options where they are given, so a bad value fails at start-up with
 * `CONFIG_INVALID` naming the option instead of misbehaving later.
 */
import { ToolwireError } from '@toolwire/core';

/** `value`, or `fallback` when it is undefined; a positive number (an integer when `integer`) or `CONFIG_INVALID`. */
export function positive(path: string, value: number | undefined, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  const valid =
    typeof value === 'number' && value > 0 && (integer ? Number.isInteger(value) : Number.isFinite(value));
  if (!valid) {
    throw new ToolwireError({
      code: 'CONFIG_INVALID',
      message: `${path} must be a positive ${integer ? 'integer' : 'number'}; got ${String(value)}.`,
    });
  }
  return value;
}
