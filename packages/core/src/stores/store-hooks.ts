/**
 * The two hooks a store that opens its own connections (a Redis store built from a `url`)
 * offers the registries using it, kept off the public store interfaces:
 *
 * - leases: every registry takes one at start and returns it on `close()`; when the last lease
 *   comes back the store releases its connections, so a process whose registries are closed
 *   can exit. A store used again later simply reconnects.
 * - reset: after an operation hung past its deadline, the registry asks the store to drop the
 *   connection and open a fresh one, since a stalled connection would never answer again.
 *
 * Stores built around a client you passed in use neither on that client: it is yours.
 */

/** The method a store implements to hand out leases. */
export const RETAIN_STORE = Symbol.for('toolwire.store.retain');
/** The method a store implements to replace a connection that stopped answering. */
export const RESET_STORE = Symbol.for('toolwire.store.reset');

/** A store that may offer the hooks. */
export interface HookedStore {
  [RETAIN_STORE]?: () => () => Promise<void>;
  [RESET_STORE]?: () => void;
}

/** Asks `store` to replace its connection, when it can. */
export function resetStore(store: object | undefined): void {
  const reset = (store as HookedStore | undefined)?.[RESET_STORE];
  if (typeof reset === 'function') reset.call(store);
}

/** Takes a lease on `store` when it hands them out; the returned release is safe to call twice. */
export function retainStore(store: object | undefined): () => Promise<void> {
  const retain = (store as HookedStore | undefined)?.[RETAIN_STORE];
  if (typeof retain !== 'function') return async () => {};
  const release = retain.call(store);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await release();
  };
}

/**
 * Counts leases for a store and runs `onLastRelease` when the count drops back to zero. A store
 * keeps one of these next to the connection it owns.
 */
export class LeaseCounter {
  private count = 0;
  private readonly onLastRelease: () => Promise<void>;

  constructor(onLastRelease: () => Promise<void>) {
    this.onLastRelease = onLastRelease;
  }

  /** Takes one lease; the release it returns counts once however often it is called. */
  retain(): () => Promise<void> {
    this.count++;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      this.count--;
      if (this.count === 0) await this.onLastRelease();
    };
  }
}
