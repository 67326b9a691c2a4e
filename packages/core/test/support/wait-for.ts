/** Polling helpers for conditions that become true "soon" (a file line, a process exit). */

export interface WaitForOptions {
  /** Give up after this long. Default 30 s (generous: tests share two cores with other suites). */
  timeoutMs?: number;
  /** Time between checks. Default 25 ms. */
  intervalMs?: number;
  /** Said in the error when the condition never held. */
  message?: string;
}

/**
 * Resolves with the first truthy value `check` returns; rejects after `timeoutMs` with `message`.
 * `check` may be async; an exception it throws counts as "not yet".
 */
export async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: WaitForOptions = {},
): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 25, message = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError ? ` (last error: ${String(lastError)})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${message}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
