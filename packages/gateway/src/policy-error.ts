/** The one shape of a bad policy option: `CONFIG_INVALID` naming the path, what it must be and what it was. */
import { ToolwireError } from '@toolwire/core';

export function policyError(path: string, expected: string, value: unknown): ToolwireError {
  const got = typeof value === 'function' ? 'a function' : (JSON.stringify(value) ?? String(value));
  return new ToolwireError({
    code: 'CONFIG_INVALID',
    message: `${path} must be ${expected}, not ${got.length > 80 ? `${got.slice(0, 80)}…` : got}.`,
  });
}
