/**
 * The gateway's registry as one stable object whose registry can be swapped (a reload): every
 * part of the gateway (published tools, search mode, prompts, resources, policy) holds this one
 * and so reaches the registry of the moment. A call runs to its end on the registry it began on;
 * the registry swapped out is closed once the calls begun on it have ended (or a bound passed).
 * Listeners registered through it move to the new registry on a swap.
 */
import type { Registry, RegistryEvents } from '@toolwire/core';

/** The registry methods whose work outlives the call that starts it: counted until they settle. */
const tracked = new Set<PropertyKey>([
  'callTool',
  'startTask',
  'resumeTask',
  'getPrompt',
  'listResources',
  'readResource',
]);

export interface LiveRegistry {
  /** The stable delegate: always the current registry. */
  readonly registry: Registry;
  /** The registry requests go to now. */
  current(): Registry;
  /**
   * Makes `next` the current registry (`owned`: closed by the gateway) and retires the previous
   * one: it is closed (when owned) after the requests begun on it settle, or after `drainMs`.
   * Resolves when the previous registry is retired.
   */
  swap(next: Registry, owned: boolean, drainMs: number): Promise<void>;
  /** Waits for retiring registries, then closes the current one when the gateway owns it. */
  close(): Promise<void>;
}

interface Entry {
  registry: Registry;
  owned: boolean;
  inFlight: Set<Promise<unknown>>;
  /** The registry's methods bound to it, by name, as handed out (and the function each binds). */
  bound: Map<PropertyKey, { of: unknown; bound: unknown }>;
}

interface Subscription {
  name: keyof RegistryEvents;
  listener: (event: never) => void;
  off: () => void;
}

export function createLiveRegistry(initial: Registry, owned: boolean): LiveRegistry {
  let entry: Entry = { registry: initial, owned, inFlight: new Set(), bound: new Map() };
  const subscriptions = new Set<Subscription>();
  const retiring = new Set<Promise<void>>();

  const attach = (subscription: Subscription, registry: Registry) => {
    subscription.off = registry.on(subscription.name, subscription.listener as never);
  };

  const on = (name: keyof RegistryEvents, listener: (event: never) => void): (() => void) => {
    const subscription: Subscription = { name, listener, off: () => {} };
    attach(subscription, entry.registry);
    subscriptions.add(subscription);
    return () => {
      subscription.off();
      subscriptions.delete(subscription);
    };
  };

  const track =
    (method: PropertyKey) =>
    (...args: unknown[]): Promise<unknown> => {
      const current = entry;
      const run = (current.registry[method as keyof Registry] as (...a: unknown[]) => Promise<unknown>).apply(
        current.registry,
        args,
      );
      const settled = run.then(
        () => {},
        () => {},
      );
      current.inFlight.add(settled);
      void settled.then(() => current.inFlight.delete(settled));
      return run;
    };

  // Made once, not per property read: every forwarded call reads `callTool` (and `tool`) here.
  const trackedMethods = new Map([...tracked].map((method) => [method, track(method)]));
  const registry = new Proxy({} as Registry, {
    get(_target, property) {
      if (property === 'on') return on;
      const trackedMethod = trackedMethods.get(property);
      if (trackedMethod) return trackedMethod;
      const current = entry;
      const value = (current.registry as unknown as Record<PropertyKey, unknown>)[property];
      if (typeof value !== 'function') return value;
      let bound = current.bound.get(property);
      if (bound?.of !== value) {
        bound = { of: value, bound: value.bind(current.registry) };
        current.bound.set(property, bound);
      }
      return bound.bound;
    },
    has: (_target, property) => property in entry.registry,
  });

  const retire = async (old: Entry, drainMs: number): Promise<void> => {
    if (!old.owned) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...old.inFlight]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, drainMs);
      }),
    ]);
    clearTimeout(timer);
    await old.registry.close().catch(() => {});
  };

  return {
    registry,
    current: () => entry.registry,
    swap: (next, nextOwned, drainMs) => {
      const old = entry;
      entry = { registry: next, owned: nextOwned, inFlight: new Set(), bound: new Map() };
      for (const subscription of subscriptions) {
        subscription.off();
        attach(subscription, next);
      }
      const retired = retire(old, drainMs);
      retiring.add(retired);
      void retired.then(() => retiring.delete(retired));
      return retired;
    },
    close: async () => {
      await Promise.all([...retiring]);
      if (entry.owned) await entry.registry.close();
    },
  };
}
