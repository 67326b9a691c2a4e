/**
 * `registry.subscribeResource`: follows one resource of a server in the caller's upstream session
 * (the conversation's connection for per-conversation servers given a `sessionKey`, else the
 * shared one). The subscription holds its connection (no idle close, no eviction) until it is
 * closed; updates on that connection reach only the callers that subscribed there. A connection
 * that dies ends its subscriptions without a word (subscribe again after a reconnect).
 */
import type { Redactor } from '../redaction/redactor.js';
import { checkTimeoutOption } from '../util/deadline.js';
import type { RequestScopeOptions } from './registry-types.js';
import type { ServerSlot } from './server-slot.js';

/** A live subscription to one resource; `close()` ends it (idempotent). */
export interface ResourceSubscription {
  readonly server: string;
  readonly uri: string;
  close(): Promise<void>;
}

export interface SubscribeResourceOptions extends Pick<RequestScopeOptions, 'sessionKey' | 'timeoutMs'> {
  /** Runs for each `notifications/resources/updated` naming the resource (read it again to see what changed). */
  onUpdated: (update: { server: string; uri: string }) => void;
}

export async function subscribeResource(
  slot: ServerSlot,
  uri: string,
  options: SubscribeResourceOptions,
  redactor: Redactor,
): Promise<ResourceSubscription> {
  checkTimeoutOption(options.timeoutMs, { option: 'timeoutMs', server: slot.name });
  const timeoutMs = options.timeoutMs ?? slot.definition.callTimeoutMs;
  const scope = slot.scopeFor(options.sessionKey, { strict: false });
  const lease = await slot.lease(scope, options.sessionKey).catch((error: unknown) => {
    throw redactor.error(error);
  });
  let stop: () => Promise<void>;
  try {
    stop = await lease.connection.watchResource(
      uri,
      () => options.onUpdated({ server: slot.name, uri }),
      timeoutMs,
    );
  } catch (error) {
    lease.release();
    throw redactor.error(error);
  }
  let closed: Promise<void> | undefined;
  return {
    server: slot.name,
    uri,
    close: () => {
      closed ??= stop().finally(() => lease.release());
      return closed;
    },
  };
}
