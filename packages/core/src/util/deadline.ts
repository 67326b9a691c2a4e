/**
 * The one home of timeout limits: the largest delay a timer can honour, the check every timeout
 * option goes through, and the deadline a retried request shares with its first attempt.
 */
import { ToolwireError } from '../errors/toolwire-error.js';

/**
 * The longest timeout toolwire accepts (ms): 2^31 - 1, about 24.8 days. `setTimeout` stores its
 * delay in a signed 32-bit integer and fires after ~1 ms for anything larger, so a bigger value
 * would silently turn "wait a long time" into "fail at once".
 */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** Why a timeout value is unusable, or `undefined` when it is a whole number in 1..MAX_TIMEOUT_MS. */
export function timeoutProblem(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return `expected a whole number of milliseconds, got ${describe(value)}`;
  }
  if (!Number.isInteger(value)) return `expected a whole number of milliseconds, got ${value}`;
  if (value <= 0) return `must be positive, got ${value}`;
  if (value > MAX_TIMEOUT_MS) {
    return `must be at most ${MAX_TIMEOUT_MS} ms (about 24.8 days, the largest delay a timer can hold), got ${value}`;
  }
  return undefined;
}

/**
 * Checks a per-request timeout option (`callTool(…, { timeoutMs })`); throws `INVALID_OPTIONS`
 * naming the option, the tool and the allowed range.
 */
export function checkTimeoutOption(
  value: number | undefined,
  where: { option: string; server?: string | undefined; tool?: string | undefined },
): void {
  if (value === undefined) return;
  const problem = timeoutProblem(value);
  if (problem === undefined) return;
  throw new ToolwireError({
    code: 'INVALID_OPTIONS',
    server: where.server,
    tool: where.tool,
    message: `Option "${where.option}"${where.tool ? ` of the call to "${where.tool}"` : ''}: ${problem}`,
  });
}

/**
 * One request's time budget, shared by every attempt: a retry gets what is left of the original
 * deadline, never a fresh timeout.
 */
export class Deadline {
  /** The budget the caller asked for (ms), for messages. */
  readonly budgetMs: number;
  private readonly endsAt: number;

  constructor(budgetMs: number) {
    this.budgetMs = budgetMs;
    this.endsAt = performance.now() + budgetMs;
  }

  /** Milliseconds left (0 once expired), rounded up so a live budget is never reported as 0. */
  remainingMs(): number {
    return Math.max(0, Math.ceil(this.endsAt - performance.now()));
  }
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}
