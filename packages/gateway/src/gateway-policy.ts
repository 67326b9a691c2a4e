/**
 * The gateway's call policy: which tools a caller may call (allow/deny by registry name or glob,
 * widened or narrowed by the OAuth scopes its token carries), how large a call's arguments may
 * be, and the audit record of every call. Read and checked once when the gateway starts; applied
 * to every forwarded call (`tools` and `search` modes alike).
 */
import type { Registry } from '@toolwire/core';
import { ToolwireError } from '@toolwire/core';
import { principalKey, type ToolContext } from '@toolwire/publisher';

/** Registry names or globs (`github__*`) a rule set allows or denies. */
export interface GatewayToolRules {
  /** Only these tools may be called (with `byScope`, a caller's scopes add to this list). */
  allow?: readonly string[] | undefined;
  /** These tools may not be called; a deny wins over every allow. */
  deny?: readonly string[] | undefined;
}

/** How one call ended, as the audit log sees it. */
export type GatewayAuditOutcome = 'ok' | 'tool-error' | 'denied' | 'failed' | 'cancelled';

/** One audit record: who called which tool, how it ended and how long it took. */
export interface GatewayAuditRecord {
  /** The caller's principal digest (`principalKey`), or `undefined` without downstream auth. */
  principal: string | undefined;
  /** The registry name of the tool called. */
  tool: string;
  outcome: GatewayAuditOutcome;
  /** The `ToolwireError` code when the call was denied, failed or cancelled. */
  errorCode?: string | undefined;
  /** From the downstream call's arrival to its result. */
  latencyMs: number;
  /** The call's arguments through the registry's redaction; only with `auditArguments: true`. */
  arguments?: Record<string, unknown> | undefined;
}

/**
 * Who may call what, how much a call may carry, and the audit hook.
 *
 * @example
 * ```ts
 * policy: {
 *   allow: ['docs__*'],
 *   deny: ['*__delete_*'],
 *   byScope: { 'tools:admin': { allow: ['admin__*'] }, 'tools:readonly': { deny: ['*__write_*'] } },
 *   maxArgumentBytes: 64 * 1024,
 *   onAudit: (record) => auditLog.write(record),
 * }
 * ```
 */
export interface GatewayPolicy extends GatewayToolRules {
  /** Rules for callers whose token carries the scope (HTTP with auth): allows widen `allow`, denies narrow. */
  byScope?: Readonly<Record<string, GatewayToolRules>> | undefined;
  /** Largest call arguments, as UTF-8 JSON bytes; a bigger call is refused before it goes upstream. */
  maxArgumentBytes?: number | undefined;
  /** Receives one record per call (an exception it throws goes to the publisher's `onError`). */
  onAudit?: ((record: GatewayAuditRecord) => void) | undefined;
  /** Put the (redacted) arguments in the audit records. Default `false`. */
  auditArguments?: boolean | undefined;
}

/** A checked policy, applied around each forwarded call. */
export interface PolicyGuard {
  /** Runs `call` when the policy lets the caller call `tool` with `args`, auditing the outcome. */
  run(
    tool: string,
    args: Record<string, unknown>,
    context: ToolContext,
    call: () => Promise<Record<string, unknown>>,
  ): Promise<Record<string, unknown>>;
}

/** Checks `policy` (a `CONFIG_INVALID` error naming the bad path) and returns its guard. */
export function createPolicyGuard(
  policy: GatewayPolicy | undefined,
  registry: Registry,
  onError: (error: Error) => void,
): PolicyGuard {
  const checked = readPolicy(policy);
  const matches = (tool: string, patterns: readonly string[]): boolean =>
    registry.tools({ include: patterns, includeDisabled: true }).some((info) => info.name === tool);

  const refusal = (
    tool: string,
    args: Record<string, unknown>,
    scopes: readonly string[],
  ): string | undefined => {
    const rules = [checked, ...scopes.flatMap((scope) => checked.byScope?.[scope] ?? [])];
    if (rules.some((rule) => rule.deny && matches(tool, rule.deny))) {
      return `The gateway's policy denies "${tool}" to this caller.`;
    }
    if (checked.allow && !rules.some((rule) => rule.allow && matches(tool, rule.allow))) {
      return `The gateway's policy does not allow "${tool}" for this caller.`;
    }
    if (checked.maxArgumentBytes !== undefined) {
      const bytes = new TextEncoder().encode(JSON.stringify(args)).byteLength;
      if (bytes > checked.maxArgumentBytes) {
        return `The arguments of "${tool}" are ${bytes} bytes, over the gateway's policy.maxArgumentBytes (${checked.maxArgumentBytes}).`;
      }
    }
    return undefined;
  };

  return {
    async run(tool, args, context, call) {
      const started = performance.now();
      let outcome: GatewayAuditOutcome = 'failed';
      let errorCode: string | undefined;
      try {
        const reason = refusal(tool, args, context.authInfo?.scopes ?? []);
        if (reason !== undefined) {
          outcome = 'denied';
          throw new ToolwireError({ code: 'POLICY_DENIED', tool, message: reason });
        }
        const result = await call();
        outcome = result.isError === true ? 'tool-error' : 'ok';
        return result;
      } catch (error) {
        errorCode = ToolwireError.isInstance(error) ? error.code : 'INTERNAL';
        if (outcome !== 'denied' && (errorCode === 'CANCELLED' || context.signal.aborted))
          outcome = 'cancelled';
        throw error;
      } finally {
        if (checked.onAudit) {
          const latencyMs = performance.now() - started;
          const principal = context.authInfo ? await principalKey(context.authInfo) : undefined;
          try {
            checked.onAudit({
              principal,
              tool,
              outcome,
              ...(errorCode !== undefined ? { errorCode } : {}),
              latencyMs,
              ...(checked.auditArguments ? { arguments: registry.redact(args) } : {}),
            });
          } catch (error) {
            onError(
              new ToolwireError({
                code: 'HANDLER_FAILED',
                tool,
                cause: error,
                message: `The gateway's policy.onAudit hook threw for "${tool}": ${error instanceof Error ? error.message : String(error)}`,
              }),
            );
          }
        }
      }
    },
  };
}

/** The policy as given, checked: every list of strings, every scope's rules, the limit, the hook. */
export function readPolicy(policy: GatewayPolicy | undefined): GatewayPolicy {
  if (policy === undefined) return {};
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    throw policyError('policy', 'an object', policy);
  }
  readRules(policy, 'policy');
  if (policy.byScope !== undefined) {
    if (typeof policy.byScope !== 'object' || policy.byScope === null || Array.isArray(policy.byScope)) {
      throw policyError('policy.byScope', 'an object of scope → { allow, deny }', policy.byScope);
    }
    for (const [scope, rules] of Object.entries(policy.byScope)) {
      const path = `policy.byScope[${JSON.stringify(scope)}]`;
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
  const limit = policy.maxArgumentBytes;
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1)) {
    throw policyError('policy.maxArgumentBytes', 'a whole number of bytes ≥ 1', limit);
  }
  if (policy.onAudit !== undefined && typeof policy.onAudit !== 'function') {
    throw policyError('policy.onAudit', 'a function', policy.onAudit);
  }
  if (policy.auditArguments !== undefined && typeof policy.auditArguments !== 'boolean') {
    throw policyError('policy.auditArguments', 'a boolean', policy.auditArguments);
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

function policyError(path: string, expected: string, value: unknown): ToolwireError {
  const got = typeof value === 'function' ? 'a function' : (JSON.stringify(value) ?? String(value));
  return new ToolwireError({
    code: 'CONFIG_INVALID',
    message: `${path} must be ${expected}, not ${got.length > 80 ? `${got.slice(0, 80)}…` : got}.`,
  });
}
