/**
 * Resource subscriptions forwarded, per downstream session: `resources/subscribe` for a served
 * resource subscribes upstream in the caller's own upstream session
 * (`registry.subscribeResource`), and each `notifications/resources/updated` the upstream sends
 * for it goes to the downstream session that subscribed, and to no other. `resources/unsubscribe`,
 * or the end of the downstream session, ends the upstream subscription. Registered through the
 * publisher's `extend` hook on 2025-era sessions. 2026-07-28 clients subscribe on
 * `subscriptions/listen` streams instead (`forwardListenSubscriptions`): the publisher tells the
 * gateway of each stream naming resources with its caller, the gateway subscribes upstream in
 * that caller's upstream session (one upstream subscription per caller and URI, however many
 * streams name it), and each update is announced for that caller's streams only. A URI is
 * served when an upstream lists it or it matches a served URI template (`resourceOwner`); the
 * policy refuses, limits and audits each subscription (`request-policy.ts`).
 */
import type { Registry, ResourceSubscription } from '@toolwire/core';
import {
  type ExtendServer,
  type OnResourceSubscribe,
  ProtocolError,
  ProtocolErrorCode,
} from '@toolwire/publisher';
import { callerSessionKey } from './forward-call.js';
import type { UpstreamSessions } from './gateway-options.js';
import type { PolicyGuard } from './gateway-policy.js';
import type { CallerCredentials } from './reloadable-credentials.js';
import { isPolicyRefusal } from './request-policy.js';
import { resourceOwner, type UpstreamResourceOwners } from './upstream-resources.js';

/** An `extend` hook declaring `resources.subscribe` and forwarding subscriptions upstream. */
export function forwardSubscriptions(
  registry: Registry,
  sessions: UpstreamSessions,
  owners: UpstreamResourceOwners,
  /** Per-caller upstream credentials (`upstreamAuth`), made ready before the request goes upstream. */
  credentials?: CallerCredentials,
  /** The gateway's policy: a resource it refuses to the caller cannot be subscribed to either. */
  policy?: PolicyGuard,
): ExtendServer {
  return (server, { era }) => {
    if (era !== 'legacy') return;
    server.server.registerCapabilities({ resources: { subscribe: true } });
    /** This downstream session's subscriptions, by URI. */
    const held = new Map<string, Promise<ResourceSubscription>>();

    server.server.setRequestHandler('resources/subscribe', async (request, context) => {
      const { uri } = request.params;
      const upstream = resourceOwner(owners, uri);
      if (upstream === undefined) {
        throw new ProtocolError(
          ProtocolErrorCode.InvalidParams,
          `No resource "${uri}" is served here to subscribe to.`,
        );
      }
      const authInfo = context.http?.authInfo;
      const subscribe = async () => {
        if (held.has(uri)) return {};
        const sessionKey = await callerSessionKey(
          { authInfo, sessionId: context.sessionId },
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
      };
      // The policy refuses, limits and audits it (request-policy.ts).
      if (!policy) return subscribe();
      return policy.runRequest(
        { kind: 'resource', operation: 'subscribe', server: upstream, uri },
        { authInfo, signal: context.mcpReq.signal },
        subscribe,
      );
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

/**
 * The publisher's `onResourceSubscribe` hook: subscribes upstream, in the caller's upstream
 * session, to each served resource a 2026-07-28 listen stream names, and announces its updates
 * with `notify(uri, principal)` for that caller's streams only. The upstream subscription ends
 * with the caller's last stream naming the URI. URIs the gateway does not serve are left alone
 * (the stream never hears of them).
 */
export function forwardListenSubscriptions(
  registry: Registry,
  sessions: UpstreamSessions,
  owners: UpstreamResourceOwners,
  notify: (uri: string, principal: string) => void,
  onError: (error: Error) => void,
  credentials?: CallerCredentials,
  policy?: PolicyGuard,
): OnResourceSubscribe {
  /** `<principal> <uri>` → the upstream subscription and how many streams hold it. */
  const held = new Map<string, { streams: number; subscribing: Promise<ResourceSubscription | undefined> }>();
  return async ({ uris, authInfo, principal }) => {
    const keys: string[] = [];
    const subscribing: Promise<unknown>[] = [];
    for (const uri of new Set(uris)) {
      const upstream = resourceOwner(owners, uri);
      if (upstream === undefined) continue;
      const key = `${principal} ${uri}`;
      const entry = held.get(key);
      if (entry) {
        // Shared with the caller's other streams (checked again: a reload may have changed the rules).
        if (policy && !policy.allowsResource(upstream, uri, authInfo)) continue;
        keys.push(key);
        entry.streams += 1;
        subscribing.push(entry.subscribing);
        continue;
      }
      const subscribe = async () => {
        const sessionKey = await callerSessionKey(
          { authInfo, sessionId: undefined },
          sessions,
          upstream,
          credentials,
        );
        return registry.subscribeResource(upstream, uri, {
          sessionKey,
          onUpdated: () => notify(uri, principal),
        });
      };
      // A resource the policy refuses to this caller (or limits now): its stream never hears of it.
      const guarded = policy
        ? policy.runRequest(
            { kind: 'resource', operation: 'subscribe', server: upstream, uri },
            { authInfo },
            subscribe,
          )
        : subscribe();
      const started = guarded.catch((error: unknown) => {
        // The stream is served all the same; it hears of nothing for this URI.
        if (!isPolicyRefusal(error)) onError(error instanceof Error ? error : new Error(String(error)));
        if (held.get(key)?.subscribing === started) held.delete(key);
        return undefined;
      });
      keys.push(key);
      held.set(key, { streams: 1, subscribing: started });
      subscribing.push(started);
    }
    // The stream is acknowledged once its upstream subscriptions are in place.
    await Promise.all(subscribing);
    return () => {
      for (const key of keys) {
        const entry = held.get(key);
        if (!entry) continue;
        entry.streams -= 1;
        if (entry.streams > 0) continue;
        held.delete(key);
        entry.subscribing.then((subscription) => subscription?.close()).catch(() => {});
      }
    };
  };
}
