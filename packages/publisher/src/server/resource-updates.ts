/**
 * Resource updates the application announces (`publisher.notifyResourceUpdated(uri)`), the source
 * of `notifications/resources/updated` on 2026-07-28 `subscriptions/listen` streams whose
 * `resourceSubscriptions` filter names the URI (SEP-2575). On a fleet whose publisher store has a
 * bus (`createRedisStore`), `link` shares each update with every instance, so a stream held by one
 * instance hears of an update announced on another.
 */
import type { FleetBus } from '../store/fleet-bus.js';

export type ResourceUpdateListener = (uri: string) => void;

export class ResourceUpdates {
  private readonly listeners = new Set<ResourceUpdateListener>();
  private forward: ((uri: string) => void) | undefined;

  constructor(private readonly onError: (error: Error) => void) {}

  /** Calls `listener` with each updated URI; returns the function that stops it. */
  subscribe(listener: ResourceUpdateListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Announces that the resource at `uri` changed, here and (when linked) on every other instance. */
  notify(uri: string): void {
    this.forward?.(uri);
    this.deliver(uri);
  }

  /**
   * Shares this process's updates with the other instances on `bus` and hears theirs; resolves
   * with the function that stops it once the subscription is in place.
   */
  async link(bus: FleetBus): Promise<() => Promise<void>> {
    const self = crypto.randomUUID();
    const stop = await bus.subscribe(RESOURCE_UPDATES_CHANNEL, (message) => {
      try {
        const { from, uri } = JSON.parse(message) as { from?: unknown; uri?: unknown };
        if (from !== self && typeof uri === 'string') this.deliver(uri);
      } catch (error) {
        this.onError(error instanceof Error ? error : new Error(String(error)));
      }
    });
    this.forward = (uri) => {
      bus.publish(RESOURCE_UPDATES_CHANNEL, JSON.stringify({ from: self, uri })).catch(this.onError);
    };
    return async () => {
      this.forward = undefined;
      await stop();
    };
  }

  private deliver(uri: string): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(uri);
      } catch (error) {
        this.onError(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}

/** The fleet bus channel resource updates travel on. */
const RESOURCE_UPDATES_CHANNEL = 'resources:updated';
