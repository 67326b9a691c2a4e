/** An in-process fleet bus, so two publishers in one test process can route to each other. */
import type { FleetBus } from '../../src/store/fleet-bus.js';

export function createMemoryFleetBus(): FleetBus & {
  readonly published: { channel: string; message: string }[];
} {
  const listeners = new Map<string, Set<(message: string) => void>>();
  const published: { channel: string; message: string }[] = [];
  return {
    published,
    async publish(channel, message) {
      published.push({ channel, message });
      const receivers = [...(listeners.get(channel) ?? [])];
      for (const listener of receivers) queueMicrotask(() => listener(message));
      return receivers.length;
    },
    async subscribe(channel, listener) {
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
      }
      set.add(listener);
      return async () => {
        set.delete(listener);
      };
    },
  };
}
