/**
 * The gateway's call policy: which tools a caller may call (allow/deny by registry name or glob,
 * widened or narrowed by the OAuth scopes its token carries and by its subject), how large a
 * call's arguments and result may be, how often it may call (`rate-limits.ts`), and the audit
 * record of every call. Read and checked once when the gateway starts; applied
 * to every forwarded call (`tools` and `search` modes alike).
 */
import type { Registry, ToolwireErrorCode } from '@toolwire/core';
import { createNameFilter, ToolwireError } from '@toolwire/core';
import { principalKey, principalOf, type ToolContext } from '@toolwire/publisher';
import { callerPrincipalKey } from './caller-principal.js';
import { createAuditor, type GatewayAuditOutcome, type GatewayAuditRecord } from './policy-audit.js';
import { policyError } from './policy-error.js';
import {
  createMemoryRateLimitStore,
  createRateLimiter,
  type GatewayRateLimit,
  type RateLimitStore,
  readRateLimits,
} from './rate-limits.js';
import { createRequestGuard, type GuardedContext, type GuardedRequest, jsonBytes } from './request-policy.js';

/** Registry names or globs (`github__*`) a rule set allows or denies. */
export interface GatewayToolRules {
  /** Only these tools may be called (with `byScope`, a caller's scopes add to this list). */
  allow?: readonly string[] | undefined;
  /** These tools may not be called; a deny wins over every allow. */
  deny?: readonly string[] | undefined;
}

/**
 * Who may call what, how much a call may carry and return, how often, and the audit hook.
 *
 * @example
 * ```ts
 * policy: {
 *   allow: ['docs__*'],
 *   deny: ['*__delete_*'],
 *   byScope: { 'tools:admin': { allow: ['admin__*'] }, 'tools:readonly': { deny: ['*__write_*'] } },
 *   byPrincipal: { 'user-42': { deny: ['docs__publish'] } },
 *   rateLimits: [{ per: 'principal', limit: 600, windowMs: 60_000 }],
 *   maxArgumentBytes: 64 * 1024,
 *   maxResultBytes: 1024 * 1024,
 *   onAudit: (record) => auditLog.write(record),
 * }
 * ```
 */
export interface GatewayPolicy extends GatewayToolRules {
  /** Rules for callers whose token carries the scope (HTTP with auth): allows widen `allow`, denies narrow. */
  byScope?: Readonly<Record<string, GatewayToolRules>> | undefined;
  /**
   * Rules for one caller, keyed by its token's subject (`sub`, as the verifier reports it): allows
   * widen `allow`, denies narrow, as with `byScope`. A deny anywhere (top level, a scope, the
   * principal) wins over every allow.
   */
  byPrincipal?: Readonly<Record<string, GatewayToolRules>> | undefined;
  /**
   * Callers see only the tools the allow/deny rules let them call, in `tools/list` and in
   * `search_tools` results. Default `true`; `false` lists every exposed tool to everyone. A hidden
   * tool called anyway is refused like any denied one (`POLICY_DENIED`).
   */
  hideDeniedTools?: boolean | undefined;
  /**
   * Largest call (and `prompts/get`) arguments, as UTF-8 JSON bytes; a bigger request is refused
   * before it goes upstream.
   */
  maxArgumentBytes?: number | undefined;
  /**
   * Largest upstream result, as UTF-8 JSON bytes of the whole `CallToolResult` (content,
   * embedded resources, `structuredContent`, `_meta`), and of a `prompts/get` or
   * `resources/read` result; a bigger one is replaced by a `RESULT_TOO_LARGE` error result (for
   * prompts and resources, a JSON-RPC error) and never forwarded.
   */
  maxResultBytes?: number | undefined;
  /**
   * Calls per window, per caller and/or per tool; a call over a limit is a `RATE_LIMITED` error
   * result. A limit counts tool calls only unless its `kinds` adds prompts and resources.
   */
  rateLimits?: readonly GatewayRateLimit[] | undefined;
  /** Where rate-limit counters live: `createRedisRateLimitStore()` for a fleet. Default: this process's memory. */
  rateLimitStore?: RateLimitStore | undefined;
  /**
   * What a call does when the rate-limit store fails or does not answer within a second:
   * `'closed'` (default) refuses it with `STORE_UNAVAILABLE`, so an outage cannot lift the
   * limits; `'open'` lets it through and reports the failure to `onError`.
   */
  rateLimitStoreFailure?: 'closed' | 'open' | undefined;
  /**
   * Receives one record per tool call, `prompts/get`, `resources/read` and `resources/subscribe`
   * (`kind` tells them apart; an exception it throws goes to the publisher's `onError`).
   */
  onAudit?: ((record: GatewayAuditRecord) => void) | undefined;
  /** Put the (redacted) arguments in the audit records. Default `false`. */
  auditArguments?: boolean | undefined;
}

/** The verified token of a caller (HTTP with auth), or `undefined`. */
export type CallerAuth = ToolContext['authInfo'];

/** Why the policy refused a request after its rules let it through: a rate limit, or the limits' store being down. */
export interface LimitRefusal {
  outcome: GatewayAuditOutcome;
  code: ToolwireErrorCode;
  message: string;
  details: Record<string, unknown>;
}

/** The `_meta` key of a gateway refusal: `{ code, limit?, retryAfterMs? }`, for clients that act on it. */
export const GATEWAY_ERROR_META_KEY = 'dev.toolwire/error';

/** A checked policy, applied around each forwarded call. */
export interface PolicyGuard {
  /** Runs `call` when the policy lets the caller call `tool` with `args`, auditing the outcome. */
  run(
    tool: string,
    args: Record<string, unknown>,
    context: ToolContext,
    call: () => Promise<Record<string, unknown>>,
  ): Promise<Record<string, unknown>>;
  /** Whether the allow/deny rules let this caller call `tool`. */
  allows(tool: string, authInfo: CallerAuth): boolean;
  /** Whether the allow/deny rules let this caller get the prompt `prompt` (its registry name). */
  allowsPrompt(prompt: string, authInfo: CallerAuth): boolean;
  /**
   * Whether the allow/deny rules let this caller read (or list, or subscribe to) the resource at
   * `uri` (or URI template) of `server`: a rule names it by its URI, or as `<server>__<uri>`.
   */
  allowsResource(server: string, uri: string, authInfo: CallerAuth): boolean;
  /**
   * Runs `run` (a `prompts/get`, `resources/read` or `resources/subscribe` going upstream) when
   * the policy lets the caller make the request, auditing the outcome: the allow/deny rules,
   * `maxArgumentBytes` (prompt arguments), rate limits whose `kinds` name the request's kind,
   * and `maxResultBytes` (prompt and read results). A refusal is a thrown JSON-RPC error with
   * `data.code` (`request-policy.ts`).
   */
  runRequest<T>(request: GuardedRequest, context: GuardedContext, run: () => Promise<T>): Promise<T>;
  /** Whether callers see only the tools they may call (`tools/list`, `search_tools`). */
  readonly hidesTools: boolean;
}

/** Checks `policy` (a `CONFIG_INVALID` error naming the bad path) and returns its guard. */
export function createPolicyGuard(
  policy: GatewayPolicy | undefined,
  registry: Registry,
  onError: (error: Error) => void,
): PolicyGuard {
  const checked = readPolicy(policy);
  const limiter = checked.rateLimits?.length
    ? createRateLimiter(checked.rateLimits, checked.rateLimitStore ?? createMemoryRateLimitStore())
    : undefined;

  /** Compiled globs per rule list, for tools, prompts and resources alike. */
  const globs = new WeakMap<readonly string[], (name: string) => boolean>();
  const matchesAny = (names: readonly string[], patterns: readonly string[]): boolean => {
    let glob = globs.get(patterns);
    if (!glob) {
      glob = createNameFilter(patterns, undefined);
      globs.set(patterns, glob);
    }
    return names.some((name) => (glob as (name: string) => boolean)(name));
  };
  // A tool is matched by its name alone, with the compiled globs `registry.tools({ include })`
  // applies: listing the catalogue per check made every call (and every tools/list entry) cost
  // a pass over all tools, each described with a copy of its stats.
  const matches = (tool: string, patterns: readonly string[]): boolean => matchesAny([tool], patterns);
  const ruleRefusal = (
    tool: string,
    authInfo: CallerAuth,
    match: (patterns: readonly string[]) => boolean = (patterns) => matches(tool, patterns),
  ): string | undefined => {
    const subject = subjectOf(authInfo);
    const rules = [
      checked,
      ...(authInfo?.scopes ?? []).flatMap((scope) => checked.byScope?.[scope] ?? []),
      ...(subject !== undefined && checked.byPrincipal && Object.hasOwn(checked.byPrincipal, subject)
        ? [checked.byPrincipal[subject] as GatewayToolRules]
        : []),
    ];
    if (rules.some((rule) => rule.deny && match(rule.deny))) {
      return `The gateway's policy denies "${tool}" to this caller.`;
    }
    if (checked.allow && !rules.some((rule) => rule.allow && match(rule.allow))) {
      return `The gateway's policy does not allow "${tool}" for this caller.`;
    }
    return undefined;
  };

  const audit = createAuditor(checked.onAudit, checked.auditArguments, registry, onError);
  /**
   * The rate limits' refusal of a request (a tool call, or a prompt or resource request), or
   * `undefined`; with the store down, a `STORE_UNAVAILABLE` refusal unless the policy fails open.
   */
  const rateLimited = async (
    name: string,
    authInfo: CallerAuth,
    request?: Parameters<NonNullable<typeof limiter>['check']>[2],
  ): Promise<LimitRefusal | undefined> => {
    if (!limiter) return undefined;
    try {
      const limited = await limiter.check(
        name,
        authInfo ? await callerPrincipalKey(authInfo) : await principalKey(undefined),
        request,
      );
      if (!limited) return undefined;
      return {
        outcome: 'rate-limited',
        code: 'RATE_LIMITED',
        message: limited.message,
        details: { limit: limited.limit, retryAfterMs: limited.retryAfterMs },
      };
    } catch (error) {
      const failure = ToolwireError.isInstance(error)
        ? error
        : new ToolwireError({ code: 'STORE_UNAVAILABLE', message: String(error), cause: error });
      onError(failure);
      if (checked.rateLimitStoreFailure === 'open') return undefined;
      return {
        outcome: 'denied',
        code: 'STORE_UNAVAILABLE',
        message: `The gateway cannot check its rate limits for "${name}" right now (its store is unavailable), so the ${request === undefined ? 'call' : 'request'} was refused; try again shortly.`,
        details: {},
      };
    }
  };

  const refusal = (tool: string, args: Record<string, unknown>, authInfo: CallerAuth): string | undefined => {
    const denied = ruleRefusal(tool, authInfo);
    if (denied !== undefined) return denied;
    if (checked.maxArgumentBytes !== undefined) {
      const bytes = jsonBytes(args);
      if (bytes > checked.maxArgumentBytes) {
        return `The arguments of "${tool}" are ${bytes} bytes, over the gateway's policy.maxArgumentBytes (${checked.maxArgumentBytes}).`;
      }
    }
    return undefined;
  };

  const allowsPrompt = (prompt: string, authInfo: CallerAuth): boolean =>
    ruleRefusal(prompt, authInfo, (patterns) => matchesAny([prompt], patterns)) === undefined;
  const allowsResource = (server: string, uri: string, authInfo: CallerAuth): boolean =>
    ruleRefusal(uri, authInfo, (patterns) => matchesAny([uri, `${server}__${uri}`], patterns)) === undefined;
  const runRequest = createRequestGuard({
    allowsPrompt,
    allowsResource,
    maxArgumentBytes: checked.maxArgumentBytes,
    maxResultBytes: checked.maxResultBytes,
    rateLimited,
    audit,
  });

  return {
    allows: (tool, authInfo) => ruleRefusal(tool, authInfo) === undefined,
    allowsPrompt,
    allowsResource,
    hidesTools:
      checked.hideDeniedTools !== false &&
      [checked.allow, checked.deny, checked.byScope, checked.byPrincipal].some(
        (rules) => rules !== undefined,
      ),
    async run(tool, args, context, call) {
      const started = performance.now();
      let outcome: GatewayAuditOutcome = 'failed';
      let errorCode: string | undefined;
      const refuse = (
        as: GatewayAuditOutcome,
        code: ToolwireErrorCode,
        message: string,
        details: Record<string, unknown> = {},
      ): Record<string, unknown> => {
        outcome = as;
        errorCode = code;
        return {
          content: [{ type: 'text', text: message }],
          isError: true,
          _meta: { [GATEWAY_ERROR_META_KEY]: { code, ...details } },
        };
      };
      try {
        const reason = refusal(tool, args, context.authInfo);
        if (reason !== undefined) return refuse('denied', 'POLICY_DENIED', reason);
        const limited = limiter ? await rateLimited(tool, context.authInfo) : undefined;
        if (limited) return refuse(limited.outcome, limited.code, limited.message, limited.details);
        const result = await call();
        if (checked.maxResultBytes !== undefined) {
          const bytes = jsonBytes(result);
          if (bytes > checked.maxResultBytes) {
            return refuse(
              'denied',
              'RESULT_TOO_LARGE',
              `The result of "${tool}" is ${bytes} bytes, over the gateway's policy.maxResultBytes (${checked.maxResultBytes}); it was not forwarded.`,
              { bytes, maxResultBytes: checked.maxResultBytes },
            );
          }
        }
        outcome = result.isError === true ? 'tool-error' : 'ok';
        return result;
      } catch (error) {
        errorCode = ToolwireError.isInstance(error) ? error.code : 'INTERNAL';
        if (errorCode === 'CANCELLED' || context.signal.aborted) outcome = 'cancelled';
        throw error;
      } finally {
        if (audit) {
          const latencyMs = performance.now() - started;
          const fields = { outcome, ...(errorCode !== undefined ? { errorCode } : {}), latencyMs };
          await audit({ kind: 'tool', tool, ...fields }, context.authInfo, args);
        }
      }
    },
    runRequest: (request, context, run) => runRequest(request, context, run),
  };
}

/** The verified token's subject (`sub`), as `byPrincipal` is keyed. */
function subjectOf(authInfo: CallerAuth): string | undefined {
  const principal = principalOf(authInfo ?? undefined);
  return principal?.[0] === 'subject' ? principal[2] : undefined;
}

/** The policy as given, checked: every list of strings, every scope's rules, the limit, the hook. */
export function readPolicy(policy: GatewayPolicy | undefined): GatewayPolicy {
  if (policy === undefined) return {};
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    throw policyError('policy', 'an object', policy);
  }
  readRules(policy, 'policy');
  for (const key of ['byScope', 'byPrincipal'] as const) {
    const table = policy[key];
    if (table === undefined) continue;
    const what = key === 'byScope' ? 'scope' : 'subject';
    if (typeof table !== 'object' || table === null || Array.isArray(table)) {
      throw policyError(`policy.${key}`, `an object of ${what} → { allow, deny }`, table);
    }
    for (const [name, rules] of Object.entries(table)) {
      const path = `policy.${key}[${JSON.stringify(name)}]`;
      if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) {
        throw policyError(path, '{ allow, deny }', rules);
      }
      readRules(rules, path);
      if (rules.allow !== undefined && policy.allow === undefined) {
        throw new ToolwireError({
          code: 'CONFIG_INVALID',
          message: `${path}.allow widens policy.allow, which is not set (every tool is allowed): set policy.allow to the tools every caller may call.`,
        });
      }
    }
  }
  for (const key of ['maxArgumentBytes', 'maxResultBytes'] as const) {
    const limit = policy[key];
    if (limit !== undefined && (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1)) {
      throw policyError(`policy.${key}`, 'a whole number of bytes ≥ 1', limit);
    }
  }
  if (policy.rateLimits !== undefined) readRateLimits(policy.rateLimits, 'policy.rateLimits');
  const store = policy.rateLimitStore;
  if (
    store !== undefined &&
    (typeof store !== 'object' || store === null || typeof store.hit !== 'function')
  ) {
    throw policyError('policy.rateLimitStore', 'a store with hit(key, windowMs)', store);
  }
  const failure = policy.rateLimitStoreFailure;
  if (failure !== undefined && failure !== 'closed' && failure !== 'open') {
    throw policyError('policy.rateLimitStoreFailure', "'closed' or 'open'", failure);
  }
  if (policy.onAudit !== undefined && typeof policy.onAudit !== 'function') {
    throw policyError('policy.onAudit', 'a function', policy.onAudit);
  }
  for (const key of ['auditArguments', 'hideDeniedTools'] as const) {
    if (policy[key] !== undefined && typeof policy[key] !== 'boolean') {
      throw policyError(`policy.${key}`, 'a boolean', policy[key]);
    }
  }
  return policy;
}

function readRules(rules: GatewayToolRules, path: string): void {
  for (const key of ['allow', 'deny'] as const) {
    const list = rules[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.some((entry) => typeof entry !== 'string' || entry === '')) {
      throw policyError(`${path}.${key}`, 'an array of tool names or globs', list);
    }
  }
}
