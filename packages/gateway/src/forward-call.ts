/**
 * One downstream `tools/call` forwarded to the registry, with everything that travels with it:
 * the caller's upstream session (its principal), cancellation (the downstream signal aborts the
 * upstream call, which sends `notifications/cancelled` upstream), progress and log notifications
 * back to the downstream client, and the result as the upstream sent it (content,
 * `structuredContent`, `isError`, `_meta`). What the upstream asks of its client while the call
 * runs (elicitation, sampling, roots) is asked of the downstream client in turn, and its answer sent back.
 */

import {
  MissingRequiredClientCapabilityError,
  ProtocolError,
  ProtocolErrorCode,
} from '@modelcontextprotocol/server';
import type {
  ElicitationHandler,
  Registry,
  RootsHandler,
  SamplingHandler,
  ServerLogEvent,
  ToolCallResult,
} from '@toolwire/core';
import { ToolwireError } from '@toolwire/core';
import type { RequestContext, ToolContext } from '@toolwire/publisher';
import { callerPrincipalKey } from './caller-principal.js';
import type { UpstreamSessions } from './gateway-options.js';
import type { PolicyGuard } from './gateway-policy.js';
import { createNotificationRelay } from './notification-relay.js';
import type { CallerCredentials } from './reloadable-credentials.js';

/**
 * The registry session key for a downstream caller: its principal when the gateway verifies
 * tokens, else its downstream MCP session, else (stdio) one key for the one client.
 */
export async function upstreamSessionKey(
  context: Pick<RequestContext, 'authInfo' | 'sessionId'>,
  sessions: UpstreamSessions,
): Promise<string | undefined> {
  if (sessions === 'shared') return undefined;
  if (context.authInfo) return `principal:${await callerPrincipalKey(context.authInfo)}`;
  if (context.sessionId !== undefined) return `session:${context.sessionId}`;
  return 'anonymous';
}

/**
 * The caller's registry session key for a request to `server`, once the caller's credential for
 * that server is ready (per-caller upstream auth; throws `AUTH_FAILED` naming the server).
 */
export async function callerSessionKey(
  context: Pick<RequestContext, 'authInfo' | 'sessionId'>,
  sessions: UpstreamSessions,
  server: string | undefined,
  credentials: CallerCredentials | undefined,
): Promise<string | undefined> {
  const sessionKey = await upstreamSessionKey(context, sessions);
  if (credentials && server !== undefined) await credentials.prepare(server, sessionKey, context.authInfo);
  return sessionKey;
}

/** Calls a registry tool for a downstream caller and returns the upstream result as MCP sends it. */
export async function forwardCall(
  registry: Registry,
  registryName: string,
  args: Record<string, unknown>,
  context: ToolContext,
  sessions: UpstreamSessions,
  /** Whether the registry validates the arguments (`false` when the publisher already did, against the same schema). */
  validate = false,
  /** The gateway's policy: may refuse the call, and audits it. */
  policy?: PolicyGuard,
  /** Per-caller upstream credentials (`upstreamAuth`), made ready before the call goes upstream. */
  credentials?: CallerCredentials,
): Promise<Record<string, unknown>> {
  if (policy) {
    return policy.run(registryName, args, context, () =>
      forwardCall(registry, registryName, args, context, sessions, validate, undefined, credentials),
    );
  }
  // Only per-caller upstream auth needs the tool's server: without it, no catalogue lookup per call.
  const server = credentials?.any ? registry.tool(registryName)?.server : undefined;
  const sessionKey = await callerSessionKey(context, sessions, server, credentials);
  // Notifications are relayed as they arrive (bounded: a flood to a caller who does not read is
  // coalesced or dropped); the result waits for them to be handed on, so the client hears them
  // before the response (its progress handler ends with the response).
  const relay = createNotificationRelay();
  const { onElicitation, onSampling, onRoots, refusal } = askDownstream(context);
  const onProgress = wantsProgress(context)
    ? (progress: Parameters<ToolContext['reportProgress']>[0]) => {
        relay.progress(() => context.reportProgress(progress));
      }
    : undefined;
  const call = () =>
    registry.callTool(registryName, args, {
      sessionKey,
      signal: context.signal,
      validate,
      ...(onProgress ? { onProgress } : {}),
      onLog: (event: ServerLogEvent) => {
        relay.log(() => context.log(event.level, event.data, event.logger));
      },
      onElicitation,
      onSampling,
      onRoots,
      // The upstream made the call a task: the downstream call becomes a task of the gateway's own.
      onTask: () => void context.startTask().catch(() => {}),
      // A 2026-07-28 caller without the Tasks extension is one upstream too: a task-only tool
      // refuses it (-32021). A 2025-era caller has neither SEP-2663 tasks nor that refusal: the
      // gateway follows an upstream task for it and answers with the result.
      tasks: context.era === 'legacy' || context.tasksDeclared,
    });
  let result: ToolCallResult;
  try {
    try {
      result = await call();
    } catch (error) {
      // The upstream refused the caller's exchanged token before running the call: once more with a new one.
      if (server === undefined || !credentials?.rejected(server, sessionKey, error)) throw error;
      await credentials.prepare(server, sessionKey, context.authInfo);
      result = await call();
    }
  } catch (error) {
    throw refusal() ?? failedTask(context, error) ?? upstreamCapabilityRefusal(error) ?? error;
  }
  // The caller lacked a capability the upstream asked for, and the call failed: theirs is the error
  // (-32021), not the upstream's. A call that succeeded did not need it (a 2025 upstream's request
  // names no call: it may be the session's own, e.g. roots asked once after connecting), so its
  // result stands, as for prompts.
  const refused = refusal();
  if (refused && result.isError === true) throw refused;
  // Most calls relay nothing: no extra turn of the event loop for them.
  if (relay.busy) await relay.settled();
  return toMCPResult(result);
}

/**
 * Whether the downstream caller can hear of the call's progress. A 2025-era caller that sent no
 * progress token cannot (and has no task whose status message progress would become): the
 * upstream is then asked for none, which also lets core send the call on its lighter path (a call
 * with a progress handler takes the SDK client's). A 2026-07-28 caller may hear of it through a
 * task, so it always asks.
 */
function wantsProgress(context: ToolContext): boolean {
  if (context.era !== 'legacy') return true;
  const meta = (context.sdkContext as { mcpReq?: { _meta?: { progressToken?: unknown } } } | undefined)
    ?.mcpReq?._meta;
  return meta?.progressToken !== undefined;
}

/**
 * The call's elicitation, sampling and roots handlers: each question of the upstream goes to the
 * downstream client through the publisher's input API (a request on the 2025 era, an
 * `input_required` round on 2026-07-28). A downstream client without elicitation declines, as a
 * client without a handler would; one without sampling or roots is a refusal the upstream receives as an error.
 */
export function askDownstream(context: RequestContext): {
  onElicitation: ElicitationHandler;
  onSampling: SamplingHandler;
  onRoots: RootsHandler;
  /**
   * On 2026-07-28, the publisher's -32021 (MissingRequiredClientCapability) once the upstream
   * asked for sampling or roots the caller did not declare: the caller's request is refused with it.
   */
  refusal(): Error | undefined;
} {
  let refused: Error | undefined;
  return {
    refusal: () => refused,
    // A 2026-07-28 upstream's question keeps its key downstream (the caller's client sees the
    // upstream's own round, and its answer comes back under the same key on the next run).
    onElicitation: async (request, { inputKey }) => {
      if (!context.canElicit) return { action: 'decline' };
      const { message, requestedSchema } = request as {
        message: string;
        requestedSchema: Record<string, unknown>;
      };
      return context.elicit(
        { message, requestedSchema },
        inputKey === undefined ? undefined : { key: inputKey },
      );
    },
    onSampling: async (request, { server, inputKey }) => {
      if (!context.canSample && context.era === 'modern') {
        // The publisher's own refusal for a request needing an undeclared capability.
        try {
          await context.sample(request);
        } catch (error) {
          refused ??= error as Error;
          throw error;
        }
      }
      if (!context.canSample) {
        throw new ToolwireError({
          code: 'PROTOCOL_ERROR',
          server,
          message: `Server "${server}" asked for sampling, but the gateway's client did not declare the sampling capability`,
        });
      }
      return context.sample(request, inputKey === undefined ? undefined : { key: inputKey });
    },
    onRoots: async ({ server, inputKey }) => {
      if (!context.canListRoots && context.era === 'modern') {
        try {
          await context.listRoots();
        } catch (error) {
          refused ??= error as Error;
          throw error;
        }
      }
      if (!context.canListRoots) {
        throw new ToolwireError({
          code: 'PROTOCOL_ERROR',
          server,
          message: `Server "${server}" asked for roots, but the gateway's client did not declare the roots capability`,
        });
      }
      return context.listRoots(inputKey === undefined ? undefined : { key: inputKey });
    },
  };
}

/**
 * An upstream task that failed at protocol level (`TASK_FAILED`) fails the gateway's task too
 * (SEP-2663: `failed` with an inlined error, not a completed task with an `isError` result), with
 * the upstream's own error: its code, message and data.
 */
function failedTask(context: ToolContext, error: unknown): ProtocolError | undefined {
  if (context.taskId === undefined || !ToolwireError.isInstance(error) || error.code !== 'TASK_FAILED') {
    return undefined;
  }
  const upstream = error.protocolError;
  if (!upstream) return new ProtocolError(ProtocolErrorCode.InternalError, error.message);
  return new ProtocolError(upstream.code, upstream.message, upstream.data);
}

/**
 * The upstream refused the call for a client capability the caller lacks (-32021, e.g. a task-only
 * tool for a caller without the Tasks extension): the caller gets that refusal as it came, code,
 * message and data (which capability), not a tool error.
 */
function upstreamCapabilityRefusal(error: unknown): MissingRequiredClientCapabilityError | undefined {
  const upstream = ToolwireError.isInstance(error) ? error.protocolError : undefined;
  if (upstream?.code !== ProtocolErrorCode.MissingRequiredClientCapability) return undefined;
  const data = upstream.data as { requiredCapabilities?: unknown } | undefined;
  const requiredCapabilities =
    typeof data?.requiredCapabilities === 'object' && data.requiredCapabilities !== null
      ? data.requiredCapabilities
      : {};
  return new MissingRequiredClientCapabilityError(
    { ...data, requiredCapabilities } as ConstructorParameters<
      typeof MissingRequiredClientCapabilityError
    >[0],
    upstream.message,
  );
}

/** The registry's normalized result back in MCP's `CallToolResult` shape. */
export function toMCPResult(result: ToolCallResult): Record<string, unknown> {
  return {
    content: result.content,
    ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent } : {}),
    ...(result.isError ? { isError: true } : {}),
    ...(result.meta !== undefined ? { _meta: result.meta } : {}),
  };
}
