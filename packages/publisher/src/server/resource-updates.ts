/**
 * Resource updates the application announces (`publisher.notifyResourceUpdated(uri)`), the source
 * of `notifications/resources/updated` on 2026-07-28 `subscriptions/listen` streams whose
 * `resourceSubscriptions` filter names the URI (SEP-2575). On a fleet whose publisher store has a
 * bus (`createRedisStore`), `link` shares each update with every instance, so a stream held by one
 * instance hears of an update announced on another. An update may name the one caller
 * (`principal`, a `principalKey` digest) whose streams it is for: a gateway's upstream updates
 * belong to the caller whose upstream session subscribed.
 */
import type { FleetBus } from '../store/fleet-bus.js';

/** `principal`: the only caller whose streams hear of it (`undefined`: every stream naming `uri`). */
export type ResourceUpdateListener = (uri: string, principal: string | undefined) => void;

export class ResourceUpdates {
  private readonly listeners = new Set<ResourceUpdateListener>();
  private forward: ((uri: string, principal: string | undefined) => void) | undefined;

  constructor(private readonly onError: (error: Error) => void) {}

  /** Calls `listener` with each updated URI; returns the function that stops it. */
  subscribe(listener: ResourceUpdateListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Announces that the resource at `uri` changed (for `principal`'s streams only, when given),
   * here and (when linked) on every other instance.
   */
  notify(uri: string, principal?: string): void {
    this.forward?.(uri, principal);
    this.deliver(uri, principal);
  }

  /**
   * Shares this process's updates with the other instances on `bus` and hears theirs; resolves
   * with the function that stops it once the subscription is in place.
   */
  async link(bus: FleetBus): Promise<() => Promise<void>> {
    const self = crypto.randomUUID();
    const stop = await bus.subscribe(RESOURCE_UPDATES_CHANNEL, (message) => {
      try {
        const { from, uri, principal } = JSON.parse(message) as {
          from?: unknown;
          uri?: unknown;
          principal?: unknown;
        };
        if (from !== self && typeof uri === 'string') {
          this.deliver(uri, typeof principal === 'string' ? principal : undefined);
        }
      } catch (error) {
        this.onError(error instanceof Error ? error : new Error(String(error)));
      }
    });
    this.forward = (uri, principal) => {
      bus
        .publish(RESOURCE_UPDATES_CHANNEL, JSON.stringify({ from: self, uri, principal }))
        .catch(this.onError);
    };
    return async () => {
      this.forward = undefined;
      await stop();
    };
  }

  private deliver(uri: string, principal: string | undefined): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(uri, principal);
      } catch (error) {
        this.onError(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}

/** The fleet bus channel resource updates travel on. */
const RESOURCE_UPDATES_CHANNEL = 'resources:updated';
