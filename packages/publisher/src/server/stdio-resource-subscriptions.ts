/**
 * 2026-07-28 resource subscriptions over stdio (SEP-2575). The SDK's stdio entry serves
 * `subscriptions/listen` itself and hands each `notifications/resources/updated` the connection's
 * modern instance sends to the subscriptions whose filter names the URI. What the HTTP entry adds
 * around its listen streams is added here for the one stdio caller (the process that spawned us:
 * no token, the principal `anonymous`):
 *
 * - `onResourceSubscribe` hears of each listen naming resources before the entry acknowledges it
 *   (a gateway subscribes upstream then), and what it returns is called once that subscription
 *   ends: cancelled by the client, answered by the entry (refused, or closed at shutdown), or with
 *   the connection;
 * - `publisher.notifyResourceUpdated(uri)`, and `(uri, { principal: 'anonymous' })`, is sent by the
 *   connection's modern instance; updates for another caller (an HTTP user) never reach stdio.
 */
import type {
  JSONRPCMessage,
  McpServer,
  Transport,
  TransportSendOptions,
} from '@modelcontextprotocol/server';
import { requestedResourceURIs } from '../http/caller-resource-updates.js';
import { ANONYMOUS_OWNER } from '../http/session-owner.js';
import type { ServerBlueprint } from './build-server.js';

type RequestId = string | number;

/** The principal of a stdio connection's caller, as `notifyResourceUpdated` names it. */
export const STDIO_PRINCIPAL = ANONYMOUS_OWNER;

/**
 * `transport` with `onResourceSubscribe` called for each `subscriptions/listen` naming resources
 * before the entry sees it (inbound messages keep their order), and its end function called when
 * that subscription ends. `transport` itself when there is no hook.
 */
export function withStdioResourceSubscriptions(
  transport: Transport,
  blueprint: ServerBlueprint,
  onError: (error: Error) => void,
): Transport {
  const hook = blueprint.onResourceSubscribe;
  // As over HTTP: without `resources.subscribe` declared, a listen's resource filter is not honored.
  if (!hook || !blueprint.resourceSubscriptions) return transport;
  const report = (error: unknown) => onError(error instanceof Error ? error : new Error(String(error)));
  /** Listen request id → what ends its subscription. */
  const held = new Map<RequestId, () => void>();
  const end = (id: RequestId) => {
    const ended = held.get(id);
    if (!ended) return;
    held.delete(id);
    try {
      ended();
    } catch (error) {
      report(error);
    }
  };
  const subscribe = async (id: RequestId, uris: string[]) => {
    try {
      const ended = await hook({ uris, authInfo: undefined, principal: STDIO_PRINCIPAL });
      if (typeof ended === 'function') held.set(id, ended);
    } catch (error) {
      // The listen is served all the same, as over HTTP.
      report(error);
    }
  };
  // Inbound messages pass on in order: one behind a listen waits for its upstream subscriptions.
  let inbound: Promise<void> = Promise.resolve();
  const wrapped: Transport = {
    start: () => transport.start(),
    close: () => transport.close(),
    send(message: JSONRPCMessage, options?: TransportSendOptions) {
      // The entry answers a listen only when it ends it (a refusal, or its shutdown).
      if ('id' in message && ('result' in message || 'error' in message) && message.id !== undefined) {
        end(message.id as RequestId);
      }
      return transport.send(message, options);
    },
    setProtocolVersion: (version: string) => transport.setProtocolVersion?.(version),
  };
  transport.onmessage = (message, extra) => {
    inbound = inbound.then(async () => {
      if ('method' in message && message.method === 'subscriptions/listen' && 'id' in message) {
        const uris = requestedResourceURIs(message);
        if (uris.length > 0) await subscribe(message.id, uris);
      } else if ('method' in message && message.method === 'notifications/cancelled') {
        const cancelled = (message.params as { requestId?: unknown } | undefined)?.requestId;
        if (typeof cancelled === 'string' || typeof cancelled === 'number') end(cancelled);
      }
      wrapped.onmessage?.(message, extra);
    });
    // One message that fails must not hold up the ones behind it.
    inbound = inbound.catch(report);
  };
  transport.onerror = (error) => wrapped.onerror?.(error);
  transport.onclose = () => {
    for (const id of [...held.keys()]) end(id);
    wrapped.onclose?.();
  };
  return wrapped;
}

/**
 * Sends the resource updates announced for everyone or for the stdio caller from `server` (the
 * connection's 2026-07-28 instance), whose entry passes each to the subscriptions naming its URI,
 * until the instance closes.
 */
export function followStdioResourceUpdates(server: McpServer, blueprint: ServerBlueprint): void {
  const stop = blueprint.resourceUpdates.subscribe((uri, principal) => {
    if (principal !== undefined && principal !== STDIO_PRINCIPAL) return;
    if (!server.isConnected()) return;
    // Best effort, like every notification.
    server.server.sendResourceUpdated({ uri }).catch(() => {});
  });
  const previous = server.server.onclose;
  server.server.onclose = () => {
    stop();
    previous?.();
  };
}
