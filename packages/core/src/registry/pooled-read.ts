/**
 * The request path for reads (prompts, resources): a pooled connection per scope, one deadline
 * over all attempts, and one more attempt on a fresh connection when the first broke (reads are
 * safe to repeat). Errors leave it redacted.
 */
import type { ServerConnection } from '../connection/server-connection.js';
import type { ServerRequestHandlers } from '../connection/server-requests.js';
import { ToolwireError } from '../errors/toolwire-error.js';
import { SHARED_SCOPE } from '../pool/connection-pool.js';
import { classifyFailure, isConnectionBroken } from '../pool/retry-policy.js';
import type { Redactor } from '../redaction/redactor.js';
import { checkTimeoutOption, Deadline } from '../util/deadline.js';
import type { RequestScopeOptions } from './registry-types.js';
import type { ServerRequestScopes } from './server-request-scopes.js';
import type { ServerSlot } from './server-slot.js';

/** What a pooled read needs from the registry. */
export interface PooledReadContext {
  serverRequests: ServerRequestScopes;
  redactor: Redactor;
  isClosed(): boolean;
}

/**
 * Runs a read-only request (prompts, resources) on a pooled connection: the conversation's one
 * for per-conversation servers given a `sessionKey`, else the shared one. Reads are safe to
 * repeat, so a broken connection is replaced and the request sent once more.
 */
export async function readOnPool<T>(
  context: PooledReadContext,
  slot: ServerSlot,
  options: RequestScopeOptions,
  run: (
    connection: ServerConnection,
    attempt: RequestScopeOptions & { handlers?: ServerRequestHandlers | undefined },
  ) => Promise<T>,
): Promise<T> {
  const scope = slot.scopeFor(options.sessionKey, { strict: false });
  checkTimeoutOption(options.timeoutMs, { option: 'timeoutMs', server: slot.name });
  const handlers = context.serverRequests.forCall(
    options.sessionKey,
    { onElicitation: options.onElicitation, onSampling: options.onSampling, onRoots: options.onRoots },
    scope === SHARED_SCOPE,
  );
  const budgetMs = options.timeoutMs ?? slot.definition.callTimeoutMs;
  let deadline: Deadline | undefined;
  try {
    for (let attempt = 1; ; attempt++) {
      const lease = await slot.lease(scope, options.sessionKey);
      try {
        // As for tool calls: the first attempt starts the clock, a retry gets what is left.
        deadline ??= new Deadline(budgetMs);
        const timeoutMs = deadline.remainingMs();
        if (timeoutMs === 0) {
          throw new ToolwireError({
            code: 'TIMEOUT',
            server: slot.name,
            message: `A request to server "${slot.name}" timed out after ${budgetMs} ms (the time ran out before it could be sent again)`,
          });
        }
        return await run(lease.connection, { ...options, timeoutMs, handlers });
      } catch (error) {
        const kind = classifyFailure(error);
        if (isConnectionBroken(kind)) void slot.pool.discard(lease.connection);
        if (attempt === 1 && isConnectionBroken(kind) && !options.signal?.aborted && !context.isClosed())
          continue;
        throw error;
      } finally {
        lease.release();
      }
    }
  } catch (error) {
    throw context.redactor.error(error);
  }
}
