/**
 * The two ends of one 2026-07-28 request that may ask the client for input (`tools/call`,
 * `prompts/get`): before the run, the echoed `requestState` is verified and opened (a state that
 * fails is refused before anything runs); after it, a run that asked what the client has not
 * answered yet ends with an `input_required` result carrying every open question and the answers
 * so far, sealed into a new `requestState`.
 */
import {
  type AuthInfo,
  type InputRequiredResult,
  inputRequired,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { ToolwireError } from '@toolwire/core';
import { sessionOwnerKey } from '../http/session-owner.js';
import { InputRounds } from './input-rounds.js';
import {
  digestArguments,
  invalidStateError,
  RequestStateRefused,
  type RequestStateSealer,
  type StateBinding,
} from './request-state.js';

const REFUSAL_HINTS: Record<RequestStateRefused['reason'], string> = {
  malformed: 'it is not a state this publisher issued',
  integrity:
    'it was altered, or sealed under another requestStateSecret (every instance of a fleet must share one)',
  expired: 'it is older than requestStateTtlMs',
  principal: 'another principal presented it',
  request: 'it was issued for another tool, prompt or arguments',
};

/** What a request's state is bound to, computed once and only when a state is opened or sealed. */
export type LazyBinding = () => Promise<StateBinding>;

/** Binds a request's state to what it asks for and who asks (digests computed on first use). */
export function bindingFor(
  method: StateBinding['method'],
  name: string,
  args: unknown,
  authInfo: AuthInfo | undefined,
): LazyBinding {
  let binding: Promise<StateBinding> | undefined;
  return () => {
    binding ??= Promise.all([digestArguments(args), sessionOwnerKey(authInfo)]).then(
      ([argumentsDigest, principal]) => ({ method, name, arguments: argumentsDigest, principal }),
    );
    return binding;
  };
}

/**
 * The rounds of a 2026-07-28 request: the answers sealed in its `requestState` (verified against
 * `binding`) and its `inputResponses`. A state that does not verify is refused with the SDK's own
 * answer (`-32602`, "Invalid or expired requestState"); the reason goes to `onError` only.
 */
export async function openRounds(
  context: ServerContext,
  lazyBinding: LazyBinding,
  sealer: RequestStateSealer,
  onError: (error: Error) => void,
): Promise<InputRounds> {
  // No verify hook is configured on the SDK server, so this is the raw wire string (or undefined).
  const state = context.mcpReq.requestState<unknown>();
  let earlier: Record<string, unknown> = {};
  if (typeof state === 'string') {
    const binding = await lazyBinding();
    try {
      earlier = await sealer.open(state, binding);
    } catch (error) {
      if (!(error instanceof RequestStateRefused)) throw error;
      const what = binding.method === 'tools/call' ? 'tool' : 'prompt';
      onError(
        new ToolwireError({
          code: 'PROTOCOL_ERROR',
          ...(what === 'tool' ? { tool: binding.name } : {}),
          message: `A requestState for ${what} "${binding.name}" was refused (${error.reason}): ${REFUSAL_HINTS[error.reason]}.`,
        }),
      );
      throw invalidStateError();
    }
  } else if (state !== undefined) {
    throw invalidStateError();
  }
  return new InputRounds(earlier, context.mcpReq.inputResponses);
}

/**
 * After a run: the `input_required` result when it asked what the client has not answered (even
 * when the run caught the throw and returned), `undefined` when the run may finish. An answer of
 * the wrong kind is a protocol error.
 */
export async function closeRound(
  rounds: InputRounds,
  lazyBinding: LazyBinding,
  sealer: RequestStateSealer,
): Promise<InputRequiredResult | undefined> {
  if (rounds.invalid) throw rounds.invalid;
  if (!rounds.pending) return undefined;
  return inputRequired({
    inputRequests: rounds.needed,
    requestState: await sealer.seal(rounds.used, await lazyBinding()),
  });
}
