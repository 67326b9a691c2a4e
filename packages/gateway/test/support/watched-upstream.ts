/**
 * An upstream with one subscribable resource (`memo://watched`) for the gateway's resource
 * subscription tests: our publisher on loopback (2025 sessions) keeping its subscribers per
 * upstream session, and a tool `touch` that changes the resource and announces
 * `notifications/resources/updated`: to the caller's own session when it is subscribed (so a
 * test can tell one upstream session from another), or to every subscribed session. Also the
 * gateway over it that these tests share.
 */
import { silentLogger } from '@toolwire/core';
import {
  createPublisher,
  defineResource,
  defineTool,
  type PublisherAuthOptions,
} from '../../../publisher/src/index.js';
import { createGateway, type Gateway } from '../../src/index.js';

export const WATCHED = 'memo://watched';

export interface WatchedUpstream {
  url: string;
  /** Upstream sessions subscribed to WATCHED now, by session id. */
  subscribers: ReadonlyMap<string, unknown>;
  close(): Promise<void>;
}

export interface WatchedUpstreamOptions {
  /**
   * Whom `touch` tells: `'caller'` (default) only the calling session, answering `told` or
   * `not subscribed`; `'every-subscriber'` all subscribed sessions, answering `told <count>`.
   */
  touch?: 'caller' | 'every-subscriber';
}

export async function startWatchedUpstream(options: WatchedUpstreamOptions = {}): Promise<WatchedUpstream> {
  const subscribers = new Map<string, () => Promise<void>>();
  const publisher = createPublisher({
    name: 'watched-upstream',
    version: '1.0.0',
    onError: () => {},
    resources: [
      defineResource({ uri: WATCHED, name: 'watched', mimeType: 'text/plain', read: () => 'watched' }),
    ],
    tools: [
      defineTool({
        name: 'touch',
        description: 'Changes the watched resource and tells its subscribers.',
        async execute(_args, context) {
          if (options.touch === 'every-subscriber') {
            await Promise.all([...subscribers.values()].map((notify) => notify()));
            return `told ${subscribers.size}`;
          }
          const notify = subscribers.get(context.sessionId ?? '');
          await notify?.();
          return notify ? 'told' : 'not subscribed';
        },
      }),
    ],
    extend(server, { era }) {
      if (era !== 'legacy') return;
      server.server.registerCapabilities({ resources: { subscribe: true } });
      server.server.setRequestHandler('resources/subscribe', async (_request, context) => {
        subscribers.set(context.sessionId ?? '', () => server.server.sendResourceUpdated({ uri: WATCHED }));
        return {};
      });
      server.server.setRequestHandler('resources/unsubscribe', async (_request, context) => {
        subscribers.delete(context.sessionId ?? '');
        return {};
      });
    },
  });
  const listening = await publisher.listen();
  return { url: listening.url, subscribers, close: () => listening.close() };
}

/**
 * A gateway over the watched upstream as `watched` (its tool is `watched__touch`), memory cache,
 * silent; its downstream verifies tokens with `auth` when given.
 */
export function createWatchedGateway(
  upstream: WatchedUpstream,
  auth?: PublisherAuthOptions,
): Promise<Gateway> {
  return createGateway({
    upstreams: {
      // Per-session state is a 2025-era notion upstream, whatever the downstream clients speak.
      servers: { watched: { url: upstream.url, protocol: 'legacy' } },
      cache: 'memory',
      logger: silentLogger,
    },
    publisher: { onError: () => {}, ...(auth ? { http: { auth } } : {}) },
  });
}
