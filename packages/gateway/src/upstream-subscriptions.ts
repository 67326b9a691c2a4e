/**
 * Resource subscriptions forwarded, per downstream session: `resources/subscribe` for a served
 * resource subscribes upstream in the caller's own upstream session
 * (`registry.subscribeResource`), and each `notifications/resources/updated` the upstream sends
 * for it goes to the downstream session that subscribed, and to no other. `resources/unsubscribe`,
 * or the end of the downstream session, ends the upstream subscription. Registered through the
 * publisher's `extend` hook on 2025-era sessions (2026-07-28 clients subscribe on
 * `subscriptions/listen` streams, which the publisher does not forward yet).
 */
import type { Registry, ResourceSubscription } from '@toolwire/core';
import { type ExtendServer, ProtocolError, ProtocolErrorCode } from '@toolwire/publisher';
import { callerSessionKey } from './forward-call.js';
import type { UpstreamSessions } from './gateway-options.js';
import type { UpstreamCredentials } from './upstream-auth/upstream-credentials.js';
import type { UpstreamResourceOwners } from './upstream-resources.js';

/** An `extend` hook declaring `resources.subscribe` and forwarding subscriptions upstream. */
export function forwardSubscriptions(
  registry: Registry,
  sessions: UpstreamSessions,
  owners: UpstreamResourceOwners,
  /** Per-caller upstream credentials (`upstreamAuth`), made ready before the request goes upstream. */
  credentials?: UpstreamCredentials,
): ExtendServer {
  return (server, { era }) => {
    if (era !== 'legacy' || owners.resources.size === 0) return;
    server.server.registerCapabilities({ resources: { subscribe: true } });
    /** This downstream session's subscriptions, by URI. */
    const held = new Map<string, Promise<ResourceSubscription>>();

    server.server.setRequestHandler('resources/subscribe', async (request, context) => {
      const { uri } = request.params;
      const upstream = owners.resources.get(uri);
      if (upstream === undefined) {
        throw new ProtocolError(
          ProtocolErrorCode.InvalidParams,
          `No resource "${uri}" is served here to subscribe to.`,
        );
      }
      if (held.has(uri)) return {};
      const sessionKey = await callerSessionKey(
        { authInfo: context.http?.authInfo, sessionId: context.sessionId },
        sessions,
        upstream,
        credentials,
      );
      const subscribing = registry.subscribeResource(upstream, uri, {
        sessionKey,
        onUpdated: () => {
          if (!server.isConnected()) return;
          // Best effort, like every notification: a client whose stream is gone reads again.
          server.server.sendResourceUpdated({ uri }).catch(() => {});
        },
      });
      held.set(uri, subscribing);
      try {
        await subscribing;
      } catch (error) {
        if (held.get(uri) === subscribing) held.delete(uri);
        throw error;
      }
      return {};
    });

    server.server.setRequestHandler('resources/unsubscribe', async (request) => {
      const subscribing = held.get(request.params.uri);
      held.delete(request.params.uri);
      if (subscribing) await (await subscribing.catch(() => undefined))?.close();
      return {};
    });

    const previous = server.server.onclose;
    server.server.onclose = () => {
      // A subscription that failed was the subscriber's error already; one that ends is done.
      for (const subscribing of held.values()) {
        subscribing.then((subscription) => subscription.close()).catch(() => {});
      }
      held.clear();
      previous?.();
    };
  };
}
