/** A mistake in how the CLI was invoked (exit code 2), as opposed to a failing server or tool. */
export class UsageError extends Error {
  override name = 'UsageError';
}
