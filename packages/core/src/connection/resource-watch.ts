/**
 * Resource subscriptions on one connection: the server is asked once per URI however many
 * callers follow it (`resources/subscribe` on a 2025 connection, a `subscriptions/listen` stream
 * naming the URI on a 2026-07-28 one), and each `notifications/resources/updated` for the URI
 * reaches every caller following it on this connection, and nobody else. The last caller to
 * stop ends the server-side subscription.
 */
import type { Client } from '@modelcontextprotocol/client';
import { ToolwireError } from '../errors/toolwire-error.js';

interface Watched {
  listeners: Set<() => void>;
  /** Resolves to the function ending the server-side subscription, once the server agreed. */
  subscribed: Promise<() => Promise<void>>;
}

export class ResourceWatch {
  private readonly watched = new Map<string, Watched>();
  private readonly client: Client;
  private readonly server: string;

  constructor(client: Client, server: string) {
    this.client = client;
    this.server = server;
    client.setNotificationHandler('notifications/resources/updated', (notification) => {
      for (const listener of this.watched.get(notification.params.uri)?.listeners ?? []) {
        try {
          listener();
        } catch {
          // One listener's failure is its own; the others still hear of the update.
        }
      }
    });
  }

  /** Follows `uri`; resolves once the server agreed, to the function that stops following it. */
  async watch(uri: string, onUpdated: () => void, timeoutMs: number): Promise<() => Promise<void>> {
    if (!this.client.getServerCapabilities()?.resources?.subscribe) {
      throw new ToolwireError({
        code: 'PROTOCOL_ERROR',
        server: this.server,
        message: `Server "${this.server}" does not offer resource subscriptions (no resources.subscribe capability)`,
      });
    }
    let entry = this.watched.get(uri);
    if (!entry) {
      const created: Watched = { listeners: new Set(), subscribed: this.subscribe(uri, timeoutMs) };
      entry = created;
      this.watched.set(uri, created);
      created.subscribed.catch(() => {
        if (this.watched.get(uri) === created) this.watched.delete(uri);
      });
    }
    const listener = () => onUpdated();
    entry.listeners.add(listener);
    try {
      await entry.subscribed;
    } catch (error) {
      entry.listeners.delete(listener);
      throw error;
    }
    let stopped = false;
    const current = entry;
    return async () => {
      if (stopped) return;
      stopped = true;
      current.listeners.delete(listener);
      if (current.listeners.size > 0 || this.watched.get(uri) !== current) return;
      this.watched.delete(uri);
      const end = await current.subscribed;
      await end().catch(() => {});
    };
  }

  private async subscribe(uri: string, timeoutMs: number): Promise<() => Promise<void>> {
    if (this.client.getProtocolEra() === 'modern') {
      const subscription = await this.client.listen({ resourceSubscriptions: [uri] }, { timeout: timeoutMs });
      if (!subscription.honoredFilter.resourceSubscriptions?.includes(uri)) {
        await subscription.close().catch(() => {});
        throw new ToolwireError({
          code: 'PROTOCOL_ERROR',
          server: this.server,
          message: `Server "${this.server}" did not agree to a subscription to resource "${uri}"`,
        });
      }
      return () => subscription.close();
    }
    await this.client.subscribeResource({ uri }, { timeout: timeoutMs });
    return async () => {
      await this.client.unsubscribeResource({ uri }, { timeout: timeoutMs });
    };
  }
}
