/**
 * The registry's one entry to interceptors: builds a call's context and runs the registry's and
 * the call's interceptors around `send`. `startTask()` (`detach`) is not intercepted: its outcome
 * may be a task, which no interceptor could read or change.
 */
import type { ToolCallResult } from '../results/tool-call-result.js';
import type { ToolCallContext, ToolCallInterceptor } from './interceptor-types.js';
import { type PlacedInterceptor, placeInterceptors, runInterceptors } from './run-interceptors.js';

/** What `send` gets: the arguments and headers as the interceptors left them. */
export interface InterceptedCall {
  arguments: Record<string, unknown>;
  headers: Readonly<Record<string, string>>;
  meta: Readonly<Record<string, unknown>>;
}

/** What `interceptCall` reads of the call's options. */
interface InterceptOptions {
  sessionKey?: string | undefined;
  signal?: AbortSignal | undefined;
  interceptors?: readonly ToolCallInterceptor[] | undefined;
}

/** No headers, no `_meta`: shared by every call that no interceptor changed (frozen: never written). */
const NONE: Readonly<Record<string, never>> = Object.freeze({});

export function interceptCall<Detached>(
  registryInterceptors: readonly PlacedInterceptor[],
  identity: Pick<ToolCallContext, 'tool' | 'server' | 'serverToolName'>,
  args: Record<string, unknown>,
  options: InterceptOptions,
  detach: boolean,
  send: (call: InterceptedCall) => Promise<ToolCallResult | Detached>,
): Promise<ToolCallResult | Detached> {
  // Neither the registry nor the call has interceptors (nor telemetry): nothing to run around `send`.
  if (detach || (registryInterceptors.length === 0 && noneGiven(options.interceptors))) {
    return send({ arguments: args, headers: NONE, meta: NONE });
  }
  return runAround(registryInterceptors, identity, args, options, send);
}

async function runAround<Detached>(
  registryInterceptors: readonly PlacedInterceptor[],
  identity: Pick<ToolCallContext, 'tool' | 'server' | 'serverToolName'>,
  args: Record<string, unknown>,
  options: InterceptOptions,
  send: (call: InterceptedCall) => Promise<ToolCallResult | Detached>,
): Promise<ToolCallResult> {
  const placed = [
    ...registryInterceptors,
    ...placeInterceptors(options.interceptors, 'call', { server: identity.server, tool: identity.tool }),
  ];
  const initial: ToolCallContext = {
    ...identity,
    sessionKey: options.sessionKey,
    signal: options.signal,
    arguments: args,
    headers: {},
    meta: {},
  };
  return runInterceptors(placed, initial, async (context) => {
    // Not detached: the registry follows a task to its result, so this is always a result.
    const outcome = await send({
      arguments: context.arguments as Record<string, unknown>,
      headers: context.headers,
      meta: context.meta,
    });
    return outcome as ToolCallResult;
  });
}

/** No call interceptors; anything but an array still goes to `placeInterceptors`, which refuses it. */
function noneGiven(interceptors: unknown): boolean {
  return interceptors === undefined || (Array.isArray(interceptors) && interceptors.length === 0);
}
