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

export async function interceptCall<Detached>(
  registryInterceptors: readonly PlacedInterceptor[],
  identity: Pick<ToolCallContext, 'tool' | 'server' | 'serverToolName'>,
  args: Record<string, unknown>,
  options: {
    sessionKey?: string | undefined;
    signal?: AbortSignal | undefined;
    interceptors?: readonly ToolCallInterceptor[] | undefined;
  },
  detach: boolean,
  send: (call: InterceptedCall) => Promise<ToolCallResult | Detached>,
): Promise<ToolCallResult | Detached> {
  if (detach) return send({ arguments: args, headers: {}, meta: {} });
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
