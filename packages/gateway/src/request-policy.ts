/**
 * The gateway's policy around prompt and resource requests (`prompts/get`, `resources/read`,
 * `resources/subscribe`, and `completion/complete` for a prompt or resource template), as around
 * tool calls: the allow/deny rules, the argument and result size limits, the rate limits whose
 * `kinds` name the request's kind, and an audit record per request. A completion is judged by the
 * rules of the prompt or resource it completes: what a caller may not get or read, it may not
 * complete either. Prompts and resources have no `isError` result, so a refusal is a JSON-RPC
 * error whose `data.code` says why (`POLICY_DENIED`, `RATE_LIMITED`, `STORE_UNAVAILABLE`,
 * `RESULT_TOO_LARGE`); nothing refused goes upstream, and a result over the limit is not forwarded.
 */
import { ToolwireError } from '@toolwire/core';
import { ProtocolError, ProtocolErrorCode } from '@toolwire/publisher';
import type { CallerAuth, LimitRefusal } from './gateway-policy.js';
import type { Auditor, GatewayAuditEntry, GatewayAuditOutcome } from './policy-audit.js';
import type { GatewayRequestKind } from './rate-limits.js';

/** A served prompt, as the policy names it. */
export interface GuardedPrompt {
  /** The prompt's registry name (what rules and limits match). */
  name: string;
  /** Its published name (what refusals name). */
  publishedName: string;
  server: string;
}

/** A served resource (or resource template), as the policy names it. */
export interface GuardedResource {
  /** Its URI (or URI template): what rules and limits match, with `<server>__<uri>`. */
  uri: string;
  server: string;
}

/** A prompt, resource or completion request the policy guards. */
export type GuardedRequest =
  | ({ kind: 'prompt'; arguments: Record<string, string> } & GuardedPrompt)
  | ({ kind: 'resource'; operation: 'read' | 'subscribe' } & GuardedResource)
  | {
      kind: 'completion';
      /** What is completed: a prompt's argument or a resource template's variable. */
      target: ({ ref: 'prompt' } & GuardedPrompt) | ({ ref: 'resource' } & GuardedResource);
      /** The argument (template variable) being completed. */
      argument: string;
      /** The argument's partial value with the arguments already given (`context.arguments`). */
      arguments: Record<string, string>;
    };

/** The prompt or resource a request is about, whatever it asks of it. */
function targetOf(
  request: GuardedRequest,
): ({ ref: 'prompt' } & GuardedPrompt) | ({ ref: 'resource' } & GuardedResource) {
  if (request.kind === 'completion') return request.target;
  return request.kind === 'prompt' ? { ref: 'prompt', ...request } : { ref: 'resource', ...request };
}

/** What the guard needs of the downstream request. */
export interface GuardedContext {
  authInfo: CallerAuth;
  signal?: AbortSignal | undefined;
}

/** What the policy guard shares with this one: its rules, limits and auditor. */
export interface RequestGuardParts {
  allowsPrompt(prompt: string, authInfo: CallerAuth): boolean;
  allowsResource(server: string, uri: string, authInfo: CallerAuth): boolean;
  maxArgumentBytes: number | undefined;
  maxResultBytes: number | undefined;
  rateLimited(
    name: string,
    authInfo: CallerAuth,
    request: { kind: Exclude<GatewayRequestKind, 'tool'>; aliases?: readonly string[] },
  ): Promise<LimitRefusal | undefined>;
  audit: Auditor | undefined;
}

/** The errors the guard refused requests with (not failures of the upstream). */
const refusals = new WeakSet<object>();

/** Whether `error` is the policy's refusal of a request (it is the caller's answer, not a failure to report). */
export function isPolicyRefusal(error: unknown): boolean {
  return typeof error === 'object' && error !== null && refusals.has(error);
}

export function createRequestGuard(
  parts: RequestGuardParts,
): <T>(request: GuardedRequest, context: GuardedContext, run: () => Promise<T>) => Promise<T> {
  return async (request, context, run) => {
    const started = performance.now();
    let outcome: GatewayAuditOutcome = 'failed';
    let errorCode: string | undefined;
    const target = targetOf(request);
    const what =
      target.ref === 'prompt' ? `the prompt "${target.publishedName}"` : `the resource "${target.uri}"`;
    // Prompt arguments, or a completion's: what `maxArgumentBytes` bounds and `auditArguments` records.
    const args = request.kind === 'resource' ? undefined : request.arguments;
    const refuse = (
      as: GatewayAuditOutcome,
      code: string,
      jsonRpcCode: number,
      message: string,
      details: Record<string, unknown> = {},
    ): ProtocolError => {
      outcome = as;
      errorCode = code;
      const error = new ProtocolError(jsonRpcCode, message, { code, ...details });
      refusals.add(error);
      return error;
    };
    try {
      const allowed =
        target.ref === 'prompt'
          ? parts.allowsPrompt(target.name, context.authInfo)
          : parts.allowsResource(target.server, target.uri, context.authInfo);
      if (!allowed) {
        throw refuse(
          'denied',
          'POLICY_DENIED',
          ProtocolErrorCode.InvalidParams,
          `The gateway's policy denies ${what} to this caller.`,
        );
      }
      if (args !== undefined && parts.maxArgumentBytes !== undefined) {
        const bytes = jsonBytes(args);
        if (bytes > parts.maxArgumentBytes) {
          throw refuse(
            'denied',
            'POLICY_DENIED',
            ProtocolErrorCode.InvalidParams,
            `The arguments of ${what} are ${bytes} bytes, over the gateway's policy.maxArgumentBytes (${parts.maxArgumentBytes}).`,
            { bytes, maxArgumentBytes: parts.maxArgumentBytes },
          );
        }
      }
      const limited = await parts.rateLimited(
        target.ref === 'prompt' ? target.name : target.uri,
        context.authInfo,
        target.ref === 'prompt'
          ? { kind: request.kind }
          : { kind: request.kind, aliases: [`${target.server}__${target.uri}`] },
      );
      if (limited) {
        throw refuse(
          limited.outcome,
          limited.code,
          limited.code === 'RATE_LIMITED'
            ? ProtocolErrorCode.InvalidRequest
            : ProtocolErrorCode.InternalError,
          limited.message,
          limited.details,
        );
      }
      const result = await run();
      const sized = request.kind !== 'resource' || request.operation === 'read';
      if (sized && parts.maxResultBytes !== undefined) {
        const bytes = jsonBytes(result);
        if (bytes > parts.maxResultBytes) {
          throw refuse(
            'denied',
            'RESULT_TOO_LARGE',
            ProtocolErrorCode.InternalError,
            `The result of ${what} is ${bytes} bytes, over the gateway's policy.maxResultBytes (${parts.maxResultBytes}); it was not forwarded.`,
            { bytes, maxResultBytes: parts.maxResultBytes },
          );
        }
      }
      outcome = 'ok';
      return result;
    } catch (error) {
      if (errorCode === undefined) {
        errorCode = ToolwireError.isInstance(error) ? error.code : 'INTERNAL';
        if (errorCode === 'CANCELLED' || context.signal?.aborted) outcome = 'cancelled';
      }
      throw error;
    } finally {
      if (parts.audit) {
        const latencyMs = performance.now() - started;
        const fields = { outcome, ...(errorCode !== undefined ? { errorCode } : {}), latencyMs };
        await parts.audit(auditEntry(request, fields), context.authInfo, args);
      }
    }
  };
}

/** The audit record's entry for `request`, with how it ended. */
function auditEntry(
  request: GuardedRequest,
  fields: Pick<GatewayAuditEntry, 'outcome' | 'errorCode' | 'latencyMs'>,
): GatewayAuditEntry {
  if (request.kind === 'prompt')
    return { kind: 'prompt', name: request.name, server: request.server, ...fields };
  if (request.kind === 'resource') {
    const { operation, uri, server } = request;
    return { kind: 'resource', operation, uri, server, ...fields };
  }
  const { target, argument } = request;
  return target.ref === 'prompt'
    ? { kind: 'completion', ref: 'prompt', name: target.name, server: target.server, argument, ...fields }
    : { kind: 'completion', ref: 'resource', uri: target.uri, server: target.server, argument, ...fields };
}

/** A value's size as UTF-8 JSON, as the policy's byte limits count it. */
export function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).byteLength;
}
