/**
 * Resource updates meant for one caller on 2026-07-28 `subscriptions/listen` streams (SEP-2575).
 * The SDK's listen router hands an update to every stream whose filter names the URI, whoever
 * holds it; an update announced for one caller (`notifyResourceUpdated(uri, { principal })`) is
 * written here instead, into the streams of that caller (its `principalKey` digest) whose
 * acknowledged filter names the URI, stamped with each stream's subscription id. The
 * `onResourceSubscribe` hook hears of each stream naming resources before it is acknowledged (a
 * gateway subscribes upstream in the caller's own session then), and what it returns is called
 * when the stream ends.
 */
import type { AuthInfo } from '@modelcontextprotocol/server';
import { readListenAck, SUBSCRIPTION_ID_KEY, sseFrame } from '../server/listen-frames.js';
import { passListenStream } from '../server/listen-stream.js';
import type { ResourceUpdates } from '../server/resource-updates.js';

/** A `subscriptions/listen` stream asking for resource updates, as `onResourceSubscribe` hears of it. */
export interface ResourceSubscriptionRequest {
  /** The URIs its `resourceSubscriptions` filter names (as the client sent them). */
  uris: readonly string[];
  /** The caller's verified token (HTTP with `http.auth`), else `undefined`. */
  authInfo: AuthInfo | undefined;
  /** The caller's `principalKey` digest (`anonymous` without auth): pass it to `notifyResourceUpdated`. */
  principal: string;
}

/**
 * Called when a 2026-07-28 stream subscribes to resources, before it is acknowledged; may return
 * the function to call when that stream ends. A throw is reported to `onError` and the stream is
 * served all the same.
 */
export type OnResourceSubscribe = (
  request: ResourceSubscriptionRequest,
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook may return nothing (or a Promise of nothing).
) => void | (() => void) | Promise<void | (() => void)>;

/** The URIs a `subscriptions/listen` body's filter names (empty when none, or when malformed). */
export function requestedResourceURIs(body: unknown): string[] {
  const params = (body as { params?: { notifications?: { resourceSubscriptions?: unknown } } } | undefined)
    ?.params;
  const uris = params?.notifications?.resourceSubscriptions;
  return Array.isArray(uris) ? uris.filter((uri): uri is string => typeof uri === 'string') : [];
}

/**
 * `response` (the SDK's listen stream) with `principal`'s own resource updates added once the
 * acknowledgement has gone out, for the URIs it acknowledged; `onEnd` runs once when the stream ends.
 */
export function withCallerResourceUpdates(
  response: Response,
  principal: string,
  updates: ResourceUpdates,
  onEnd: () => void,
): Response {
  let acknowledged = false;
  let unsubscribe: (() => void) | undefined;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    unsubscribe?.();
    onEnd();
  };
  const passed = passListenStream(response, {
    chunk(chunk, writer) {
      writer.enqueue(chunk);
      if (acknowledged || ended) return;
      // The acknowledgement comes first.
      const ack = readListenAck(writer.text(chunk));
      if (!ack) return;
      acknowledged = true;
      const uris = ack.params.notifications?.resourceSubscriptions;
      if (!Array.isArray(uris) || uris.length === 0) return;
      const watched = new Set(uris);
      const subscriptionId = ack.params._meta?.[SUBSCRIPTION_ID_KEY] ?? null;
      unsubscribe = updates.subscribe((uri, owner) => {
        if (ended || owner !== principal || !watched.has(uri)) return;
        const params = { uri, _meta: { [SUBSCRIPTION_ID_KEY]: subscriptionId } };
        // A stream already closed ends the subscription.
        if (!writer.write(sseFrame({ method: 'notifications/resources/updated', params }))) end();
      });
    },
    done(writer) {
      end();
      writer.close();
    },
    failed: end,
    cancelled: end,
  });
  if (passed) return passed;
  onEnd();
  return response;
}
