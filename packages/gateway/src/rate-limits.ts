/**
 * The gateway's rate limits: how many calls a caller (or everyone) may make of a tool (or of a
 * set of tools) per window, counted in a store every gateway instance shares (Redis on a fleet;
 * memory in one process). Sliding windows: a store keeps, per limit and subject, the times of
 * the calls it let through in the last `windowMs` (at most `limit` of them), so no span of
 * `windowMs` ever holds more than `limit` calls (a fixed window let up to twice the limit through
 * around its end). Keys hold the caller's principal digest, never a token.
 */
import { createNameFilter, ToolwireError, withStallTolerantDeadline } from '@toolwire/core';
import { policyError } from './policy-error.js';

/**
 * One rate limit.
 *
 * @example
 * ```ts
 * rateLimits: [
 *   { name: 'per-user', per: 'principal', limit: 600, windowMs: 60_000 },
 *   { name: 'search-per-user', per: 'principal+tool', tools: ['docs__search'], limit: 30, windowMs: 60_000 },
 *   { name: 'expensive-for-all', per: 'tool', tools: ['render__*'], limit: 100, windowMs: 60_000 },
 * ]
 * ```
 */
export interface GatewayRateLimit {
  /** Names the limit in refusals and store keys; default `rateLimits[<index>]`. Keep it stable across instances. */
  name?: string | undefined;
  /**
   * What one counter counts: `'principal'` each caller's calls (of the `tools` together),
   * `'principal+tool'` each caller's calls of each tool, `'tool'` every caller's calls of each tool.
   * Without downstream auth every caller is one principal (`anonymous`).
   */
  per: 'principal' | 'principal+tool' | 'tool';
  /**
   * Registry names or globs the limit applies to; default every tool (and, with `kinds`, every
   * prompt and resource). Prompts are matched by registry name, resources by URI or as
   * `<server>__<uri>`, as the allow/deny rules match them. With `per: 'principal+tool'` or
   * `'tool'`, each prompt and each resource URI has its counter, as each tool has.
   */
  tools?: readonly string[] | undefined;
  /**
   * What the limit counts: `'tool'` (`tools/call`), `'prompt'` (`prompts/get`), `'resource'`
   * (`resources/read` and `resources/subscribe`), `'completion'` (`completion/complete`, for a
   * prompt by its registry name, for a resource template by its URI template). Default `['tool']`:
   * a limit without `kinds` counts tool calls only, as before prompts and resources had limits. A `per: 'principal'`
   * limit with several kinds counts them in one counter.
   */
  kinds?: readonly GatewayRequestKind[] | undefined;
  /** Calls allowed per window (a whole number ≥ 1). */
  limit: number;
  /** The window, in milliseconds (a whole number ≥ 1). */
  windowMs: number;
}

/** The kinds of request the gateway's policy limits and audits. */
export type GatewayRequestKind = 'tool' | 'prompt' | 'resource' | 'completion';

const REQUEST_KINDS: readonly GatewayRequestKind[] = ['tool', 'prompt', 'resource', 'completion'];

/** Where the counters live. Every gateway instance given the same store (and prefix) shares the limits. */
export interface RateLimitStore {
  /**
   * Counts one call against `key` in the sliding window of the last `windowMs`: when fewer than
   * `limit` calls were let through in it, this one is recorded and `count` is their number with
   * it; otherwise it is not recorded and `count` is `limit + 1`. `resetMs`: the milliseconds
   * until the oldest call recorded leaves the window (when a refused caller may call again).
   * (A store written for fixed windows, which ignores `limit`, still works: `count` past `limit`
   * refuses.)
   */
  hit(key: string, windowMs: number, limit: number): Promise<{ count: number; resetMs: number }>;
}

/** Options of the built-in stores. */
export interface RateLimitStoreClockOptions {
  /** The clock, in milliseconds (default `Date.now`): injectable for tests. */
  now?: (() => number) | undefined;
}

/** How long one store call may take before it counts as a store failure. */
export const RATE_LIMIT_STORE_TIMEOUT_MS = 1_000;

/** Counters in this process's memory: the default, for a single gateway instance. */
export function createMemoryRateLimitStore(options: RateLimitStoreClockOptions = {}): RateLimitStore {
  const now = options.now ?? Date.now;
  /** Per key: the times of the calls let through, oldest first (at most `limit`), and the window. */
  const logs = new Map<string, { times: number[]; windowMs: number }>();
  let nextSweep = 0;
  return {
    async hit(key, windowMs, limit = Number.POSITIVE_INFINITY) {
      const at = now();
      // Logs whose every call has left its window are dropped now and then, so idle callers do not pile up.
      if (at >= nextSweep) {
        for (const [stored, log] of logs) {
          if ((log.times.at(-1) ?? Number.NEGATIVE_INFINITY) <= at - log.windowMs) logs.delete(stored);
        }
        nextSweep = at + 60_000;
      }
      let log = logs.get(key);
      if (!log) {
        log = { times: [], windowMs };
        logs.set(key, log);
      }
      log.windowMs = windowMs;
      const { times } = log;
      while (times.length > 0 && (times[0] as number) <= at - windowMs) times.shift();
      const recorded = times.length < limit;
      if (recorded) times.push(at);
      const resetMs = (times[0] ?? at) + windowMs - at;
      return { count: recorded ? times.length : limit + 1, resetMs };
    },
  };
}

/** Why a call was refused by a rate limit: which one, and when it may be made again. */
export interface RateLimitRefusal {
  limit: string;
  retryAfterMs: number;
  message: string;
}

/** The checked limits, counting calls. */
export interface RateLimiter {
  /**
   * Counts the call against every limit that applies to `tool` and resolves with the refusal
   * of the one that is exhausted (the latest to reset), or `undefined`. Rejects with
   * `STORE_UNAVAILABLE` when the store fails or does not answer in time. `request` makes it a
   * prompt or resource request instead of a tool call: `tool` is then the prompt's registry name
   * or the resource's URI, and `aliases` other names a limit's globs may match it by.
   */
  check(
    tool: string,
    principal: string,
    request?: { kind: Exclude<GatewayRequestKind, 'tool'>; aliases?: readonly string[] | undefined },
  ): Promise<RateLimitRefusal | undefined>;
}

export function createRateLimiter(
  limits: readonly GatewayRateLimit[],
  store: RateLimitStore,
  timeoutMs = RATE_LIMIT_STORE_TIMEOUT_MS,
): RateLimiter {
  const compiled = limits.map((limit, index) => ({
    ...limit,
    name: limit.name ?? `rateLimits[${index}]`,
    applies: createNameFilter(limit.tools, undefined),
    kinds: new Set<GatewayRequestKind>(limit.kinds ?? ['tool']),
  }));
  // Tool calls (the hot path) filter as they always did; the other kinds also by kind and alias.
  const toolLimits = compiled.filter((limit) => limit.kinds.has('tool'));
  return {
    async check(tool, principal, request) {
      const applying =
        request === undefined
          ? toolLimits.filter((limit) => limit.applies(tool))
          : compiled.filter(
              (limit) =>
                limit.kinds.has(request.kind) &&
                (limit.applies(tool) || (request.aliases ?? []).some((alias) => limit.applies(alias))),
            );
      if (applying.length === 0) return undefined;
      // Tool counters keep their keys (`tool:<name>`); a prompt's or resource's is `<kind>:<name>`.
      const counted = request === undefined ? `tool:${tool}` : `${request.kind}:${tool}`;
      const counts = await withDeadline(
        timeoutMs,
        Promise.all(
          applying.map((limit) => {
            const subject =
              limit.per === 'principal'
                ? principal
                : limit.per === 'tool'
                  ? counted
                  : `${principal}:${counted}`;
            return store.hit(`${limit.name}:${limit.per}:${subject}`, limit.windowMs, limit.limit);
          }),
        ),
      );
      let refusal: RateLimitRefusal | undefined;
      counts.forEach(({ count, resetMs }, index) => {
        const limit = applying[index] as (typeof applying)[number];
        if (count <= limit.limit) return;
        const retryAfterMs = Math.max(1, Math.ceil(resetMs));
        if (refusal && refusal.retryAfterMs >= retryAfterMs) return;
        const whose = limit.per === 'tool' ? 'all callers' : 'this caller';
        const unit = request === undefined ? 'call' : 'request';
        refusal = {
          limit: limit.name,
          retryAfterMs,
          message: `Rate limit "${limit.name}" reached for "${tool}": ${limit.limit} ${unit}${limit.limit === 1 ? '' : 's'} per ${limit.windowMs} ms (${whose}); retry in ${retryAfterMs} ms.`,
        };
      });
      return refusal;
    },
  };
}

async function withDeadline<T>(timeoutMs: number, work: Promise<T>): Promise<T> {
  try {
    // Core's store deadline: time this process itself spent busy is not held against the store.
    return await withStallTolerantDeadline(
      work,
      timeoutMs,
      () =>
        new ToolwireError({
          code: 'STORE_UNAVAILABLE',
          message: `The gateway's rate-limit store did not answer within ${timeoutMs} ms.`,
        }),
    );
  } catch (error) {
    if (ToolwireError.isInstance(error) && error.code === 'STORE_UNAVAILABLE') throw error;
    throw new ToolwireError({
      code: 'STORE_UNAVAILABLE',
      message: `The gateway's rate-limit store failed: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  } finally {
    work.catch(() => {});
  }
}

/** Checks `policy.rateLimits` (a `CONFIG_INVALID` error naming the bad path). */
export function readRateLimits(value: unknown, path: string): void {
  if (!Array.isArray(value))
    throw policyError(path, 'an array of { per, tools?, kinds?, limit, windowMs }', value);
  const names = new Set<string>();
  value.forEach((limit: unknown, index) => {
    const at = `${path}[${index}]`;
    if (typeof limit !== 'object' || limit === null || Array.isArray(limit)) {
      throw policyError(at, '{ per, tools?, kinds?, limit, windowMs }', limit);
    }
    const entry = limit as Record<string, unknown>;
    if (entry.per !== 'principal' && entry.per !== 'principal+tool' && entry.per !== 'tool') {
      throw policyError(`${at}.per`, "'principal', 'principal+tool' or 'tool'", entry.per);
    }
    for (const key of ['limit', 'windowMs'] as const) {
      const number = entry[key];
      if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) {
        throw policyError(`${at}.${key}`, 'a whole number ≥ 1', number);
      }
    }
    const kinds = entry.kinds;
    if (
      kinds !== undefined &&
      (!Array.isArray(kinds) ||
        kinds.length === 0 ||
        kinds.some((kind) => !REQUEST_KINDS.includes(kind as GatewayRequestKind)))
    ) {
      throw policyError(
        `${at}.kinds`,
        "a non-empty array of 'tool', 'prompt', 'resource', 'completion'",
        kinds,
      );
    }
    const tools = entry.tools;
    if (
      tools !== undefined &&
      (!Array.isArray(tools) || tools.some((tool) => typeof tool !== 'string' || tool === ''))
    ) {
      throw policyError(`${at}.tools`, 'an array of tool names or globs', tools);
    }
    const name = entry.name ?? `rateLimits[${index}]`;
    if (typeof name !== 'string' || name === '') throw policyError(`${at}.name`, 'a non-empty string', name);
    if (names.has(name)) throw policyError(`${at}.name`, 'unique among the rate limits', name);
    names.add(name);
  });
}
