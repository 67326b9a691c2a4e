/**
 * The gateway's audit records, one per tool call, prompt request, resource read or subscription,
 * and completion request, and the one place that hands them to `policy.onAudit` (with the
 * caller's principal digest, never its token; a hook that throws is reported, never the caller's
 * error).
 */
import { type Registry, ToolwireError } from '@toolwire/core';
import type { ToolContext } from '@toolwire/publisher';
import { callerPrincipalKey } from './caller-principal.js';

/** How one request ended, as the audit log sees it (`tool-error`: a tool's own `isError` result). */
export type GatewayAuditOutcome = 'ok' | 'tool-error' | 'denied' | 'rate-limited' | 'failed' | 'cancelled';

/** What every audit record holds, whatever was asked for. */
export interface GatewayAuditRecordFields {
  /** The caller's principal digest (`principalKey`), or `undefined` without downstream auth. */
  principal: string | undefined;
  outcome: GatewayAuditOutcome;
  /** The `ToolwireError` code when the request was denied, rate-limited, failed or cancelled. */
  errorCode?: string | undefined;
  /** From the downstream request's arrival to its answer. */
  latencyMs: number;
  /** The call's (or prompt's) arguments through the registry's redaction; only with `auditArguments: true`. */
  arguments?: Record<string, unknown> | undefined;
}

/** The audit record of a `tools/call`. */
export interface GatewayToolAuditRecord extends GatewayAuditRecordFields {
  /** `'tool'`; records written before prompts and resources were audited had no `kind`. */
  kind: 'tool';
  /** The registry name of the tool called. */
  tool: string;
}

/** The audit record of a `prompts/get`. */
export interface GatewayPromptAuditRecord extends GatewayAuditRecordFields {
  kind: 'prompt';
  /** Only tool calls have a `tool`. */
  tool?: undefined;
  /** The registry name of the prompt (`<server>__<prompt>`). */
  name: string;
  /** The upstream server that serves it. */
  server: string;
}

/** The audit record of a `resources/read` or `resources/subscribe` (also a 2026-07-28 listen stream naming the URI). */
export interface GatewayResourceAuditRecord extends GatewayAuditRecordFields {
  kind: 'resource';
  /** Only tool calls have a `tool`. */
  tool?: undefined;
  operation: 'read' | 'subscribe';
  /** The resource's URI. */
  uri: string;
  /** The upstream server that serves it. */
  server: string;
}

/**
 * The audit record of a `completion/complete` for a prompt's argument (`ref: 'prompt'`, with the
 * prompt's `name`) or a resource template's variable (`ref: 'resource'`, with its `uri`). With
 * `auditArguments`, `arguments` holds the partial value being completed with the arguments
 * already given (`context.arguments`), redacted.
 */
export interface GatewayCompletionAuditRecord extends GatewayAuditRecordFields {
  kind: 'completion';
  /** Only tool calls have a `tool`. */
  tool?: undefined;
  /** What was completed: a prompt (`name`) or a resource or resource template (`uri`). */
  ref: 'prompt' | 'resource';
  /** The registry name of the prompt (`ref: 'prompt'`). */
  name?: string | undefined;
  /** The URI (template) of the resource (`ref: 'resource'`). */
  uri?: string | undefined;
  /** The argument (template variable) being completed. */
  argument: string;
  /** The upstream server that serves the prompt or resource. */
  server: string;
}

/**
 * One audit record: who asked for what, how it ended and how long it took. `kind` tells a tool
 * call (`tool`) from a prompt request (`name`), a resource read or subscription (`uri`) and a
 * completion request (`ref`).
 */
export type GatewayAuditRecord =
  | GatewayToolAuditRecord
  | GatewayPromptAuditRecord
  | GatewayResourceAuditRecord
  | GatewayCompletionAuditRecord;

/** A record without the parts `audit` fills in. */
export type GatewayAuditEntry =
  | Omit<GatewayToolAuditRecord, 'principal' | 'arguments'>
  | Omit<GatewayPromptAuditRecord, 'principal' | 'arguments'>
  | Omit<GatewayResourceAuditRecord, 'principal' | 'arguments'>
  | Omit<GatewayCompletionAuditRecord, 'principal' | 'arguments'>;

/** Hands one record to the hook, `undefined` when there is no hook. */
export type Auditor = (
  entry: GatewayAuditEntry,
  authInfo: ToolContext['authInfo'],
  args: Record<string, unknown> | undefined,
) => Promise<void>;

export function createAuditor(
  onAudit: ((record: GatewayAuditRecord) => void) | undefined,
  auditArguments: boolean | undefined,
  registry: Registry,
  onError: (error: Error) => void,
): Auditor | undefined {
  if (!onAudit) return undefined;
  return async (entry, authInfo, args) => {
    const principal = authInfo ? await callerPrincipalKey(authInfo) : undefined;
    const what =
      entry.kind === 'tool'
        ? entry.tool
        : entry.kind === 'prompt'
          ? entry.name
          : entry.kind === 'resource'
            ? entry.uri
            : `${entry.argument}" of "${entry.name ?? entry.uri}`;
    try {
      onAudit({
        ...entry,
        principal,
        ...(auditArguments && args !== undefined ? { arguments: registry.redact(args) } : {}),
      } as GatewayAuditRecord);
    } catch (error) {
      onError(
        new ToolwireError({
          code: 'HANDLER_FAILED',
          ...(entry.kind === 'tool' ? { tool: entry.tool } : { server: entry.server }),
          cause: error,
          message: `The gateway's policy.onAudit hook threw for "${what}": ${error instanceof Error ? error.message : String(error)}`,
        }),
      );
    }
  };
}
