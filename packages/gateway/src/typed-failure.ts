/**
 * An upstream call that fails (timed out, over the message limit, connection lost, tool not found…)
 * reaches the downstream caller as an error result that says *which* failure it was: the
 * `ToolwireError`'s stable `code` under `_meta[GATEWAY_ERROR_META_KEY]`, as the gateway's own
 * refusals carry theirs, so a client can tell a deadline from a lost upstream without parsing
 * text. A call that became a task keeps failing as a task (SEP-2663), and protocol errors meant for
 * the caller (a missing capability) stay protocol errors: only `ToolwireError`s are turned here.
 */
import { ToolwireError } from '@toolwire/core';
import type { ToolContext } from '@toolwire/publisher';
import { GATEWAY_ERROR_META_KEY } from './gateway-policy.js';

/** What an upstream error message may take up in a downstream result (its text is the registry's, already redacted). */
const MAX_FAILURE_MESSAGE_CHARS = 8_000;

/** Runs a forwarded call; a `ToolwireError` it throws becomes an error result naming its code. */
export async function withTypedFailure(
  context: ToolContext,
  run: () => Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  try {
    return await run();
  } catch (error) {
    if (!ToolwireError.isInstance(error) || context.taskId !== undefined) throw error;
    const text =
      error.message.length > MAX_FAILURE_MESSAGE_CHARS
        ? `${error.message.slice(0, MAX_FAILURE_MESSAGE_CHARS)}… (truncated)`
        : error.message;
    return {
      content: [{ type: 'text', text }],
      isError: true,
      _meta: { [GATEWAY_ERROR_META_KEY]: { code: error.code } },
    };
  }
}
