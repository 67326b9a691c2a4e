/**
 * The gateway's policy around prompt and resource requests (`prompts/get`, `resources/read`,
 * `resources/subscribe`), as around tool calls: the allow/deny rules, the argument and result
 * size limits, the rate limits whose `kinds` name the request's kind, and an audit record per
 * request. Prompts and resources have no `isError` result, so a refusal is a JSON-RPC error whose
 * `data.code` says why (`POLICY_DENIED`, `RATE_LIMITED`, `STORE_UNAVAILABLE`,
 * `RESULT_TOO_LARGE`); nothing refused goes upstream, and a result over the limit is not forwarded.
 */
import { ToolwireError } from '@toolwire/core';
import { ProtocolError, ProtocolErrorCode } from '@toolwire/publisher';
import type { CallerAuth, LimitRefusal } from './gateway-policy.js';
import type { Auditor, GatewayAuditEntry, GatewayAuditOutcome } from './policy-audit.js';
import type { GatewayRequestKind } from './rate-limits.js';

/** A prompt or resource request the policy guards. */
export type GuardedRequest =
  | {
      kind: 'prompt';
      /** The prompt's registry name (what rules and limits match). */
      name: string;
      /** Its published name (what refusals name). */
      publishedName: string;
      server: string;
      arguments: Record<string, string>;
    }
  | { kind: 'resource'; operation: 'read' | 'subscribe'; server: string; uri: string };

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
    const what =
      request.kind === 'prompt' ? `the prompt "${request.publishedName}"` : `the resource "${request.uri}"`;
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
        request.kind === 'prompt'
          ? parts.allowsPrompt(request.name, context.authInfo)
          : parts.allowsResource(request.server, request.uri, context.authInfo);
      if (!allowed) {
        throw refuse(
          'denied',
          'POLICY_DENIED',
          ProtocolErrorCode.InvalidParams,
          `The gateway's policy denies ${what} to this caller.`,
        );
      }
      if (request.kind === 'prompt' && parts.maxArgumentBytes !== undefined) {
        const bytes = jsonBytes(request.arguments);
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
        request.kind === 'prompt' ? request.name : request.uri,
        context.authInfo,
        request.kind === 'prompt'
          ? { kind: 'prompt' }
          : { kind: 'resource', aliases: [`${request.server}__${request.uri}`] },
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
      const sized = request.kind === 'prompt' || request.operation === 'read';
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
        const entry: GatewayAuditEntry =
          request.kind === 'prompt'
            ? { kind: 'prompt', name: request.name, server: request.server, ...fields }
            : {
                kind: 'resource',
                operation: request.operation,
                uri: request.uri,
                server: request.server,
                ...fields,
              };
        await parts.audit(entry, context.authInfo, request.kind === 'prompt' ? request.arguments : undefined);
      }
    }
  };
}

/** A value's size as UTF-8 JSON, as the policy's byte limits count it. */
export function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).byteLength;
}
