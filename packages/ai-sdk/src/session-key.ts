/**
 * Which conversation a tool call belongs to. The key selects the server session for servers
 * configured `session: 'per-conversation'`. It comes from the `sessionKey` option (a string, or
 * a function of the call), else from the call's context: `ai@7` passes each tool its entry of
 * `toolsContext`, `ai@6` passes `experimental_context`; either may hold `{ sessionKey }`.
 * (`ai@7`'s typings accept `toolsContext` only for tools that declare a context type, which a
 * tool set built at run time cannot; with `ai@7`, prefer a tool set per conversation.)
 */

/** What a `sessionKey` function receives for each tool call. */
export interface SessionKeyContext {
  /** The tool's name in the tool set. */
  toolName: string;
  /** The AI SDK's id of this tool call. */
  toolCallId: string;
  /** The call's context: the tool's `toolsContext` entry (`ai@7`) or `experimental_context` (`ai@6`). */
  context: unknown;
}

/** A fixed session key, or a function that picks one per call (`undefined`: the shared session). */
export type SessionKeyOption = string | ((call: SessionKeyContext) => string | undefined);

/** The parts of the AI SDK's execution options we read, whichever major passed them. */
export interface ExecutionOptionsLike {
  toolCallId: string;
  abortSignal?: AbortSignal | undefined;
  context?: unknown;
  experimental_context?: unknown;
}

export function callContext(options: ExecutionOptionsLike): unknown {
  return options.context ?? options.experimental_context;
}

export function resolveSessionKey(
  option: SessionKeyOption | undefined,
  toolName: string,
  options: ExecutionOptionsLike,
): string | undefined {
  const context = callContext(options);
  if (typeof option === 'string') return option;
  if (typeof option === 'function') return option({ toolName, toolCallId: options.toolCallId, context });
  if (typeof context === 'object' && context !== null) {
    const key = (context as { sessionKey?: unknown }).sessionKey;
    if (typeof key === 'string' && key !== '') return key;
  }
  return undefined;
}
