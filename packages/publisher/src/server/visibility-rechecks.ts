/**
 * `publisher.visibilityChanged()`: the rules behind `toolVisibility` / `promptVisibility` /
 * `resourceVisibility` changed, so every long-lived session and listen stream following a list
 * compares its caller's list with what it last saw (`list-follower.ts`, `caller-list-changes.ts`).
 * On a fleet whose publisher store has a bus (`createRedisStore`), `link` shares each announcement
 * with every instance, so the callers whose sessions and streams another instance holds are told
 * too; each instance rechecks its own callers with its own visibility functions.
 */
import type { FleetBus } from '../store/fleet-bus.js';

export class VisibilityRechecks {
  private readonly listeners = new Set<() => void>();
  private forward: (() => void) | undefined;

  constructor(private readonly onError: (error: Error) => void) {}

  /** Calls `listener` on each recheck, here or announced by another instance; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Rechecks every follower here and (when linked) on every other instance. */
  recheck(): void {
    this.forward?.();
    this.deliver();
  }

  /**
   * Shares this process's rechecks with the other instances on `bus` and hears theirs; resolves
   * with the function that stops it once the subscription is in place.
   */
  async link(bus: FleetBus): Promise<() => Promise<void>> {
    const self = crypto.randomUUID();
    const stop = await bus.subscribe(VISIBILITY_CHANNEL, (message) => {
      // The bus echoes this instance's own announcements, which were delivered here already.
      if (message !== self) this.deliver();
    });
    this.forward = () => {
      bus.publish(VISIBILITY_CHANNEL, self).catch(this.onError);
    };
    return async () => {
      this.forward = undefined;
      await stop();
    };
  }

  private deliver(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        this.onError(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}

/** The fleet bus channel `visibilityChanged()` travels on (each message: the sending instance's id). */
const VISIBILITY_CHANNEL = 'visibility:changed';
