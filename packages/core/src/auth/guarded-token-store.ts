/**
 * The token store as the token managers see it: every call bounded by the store deadline, a
 * failing store skipped during an outage (tokens are then fetched directly; one warning per
 * outage, naming the store), and the three outcomes of a lock kept apart: acquired, held by
 * another worker (worth waiting for its token), or unavailable (not worth waiting at all).
 * One per registry, shared by all its servers, so an outage is reported once, not per server.
 */
import { StoreHealth, type StoreLogLevel, type StoreRetryOptions } from '../stores/store-health.js';
import { resetStore, retainStore } from '../stores/store-hooks.js';
import type { StoredToken, TokenStore } from './token-store.js';

/** What asking for the fleet lock gave. */
export type TokenLock =
  | { state: 'acquired'; release(): Promise<void> }
  | { state: 'held' }
  /** No lock to be had: the store cannot lock, or is unavailable. Fetch without waiting. */
  | { state: 'none' };

export interface GuardedTokenStoreOptions {
  /** Longest wait for one store call (ms). */
  timeoutMs: number;
  /** Pauses between attempts at a failed store. Default 1 s doubling to 30 s. */
  retry?: StoreRetryOptions | undefined;
  log(level: StoreLogLevel, message: string): void;
}

export class GuardedTokenStore {
  private readonly store: TokenStore;
  private readonly health: StoreHealth;
  private readonly releaseLease: () => Promise<void>;

  constructor(store: TokenStore, options: GuardedTokenStoreOptions) {
    this.store = store;
    this.health = new StoreHealth({
      label: store.label ?? 'token store',
      timeoutMs: options.timeoutMs,
      fallback: 'access tokens are fetched directly (not shared)',
      log: options.log,
      onTimeout: () => resetStore(store),
      retry: options.retry,
    });
    this.releaseLease = retainStore(store);
  }

  /** False while the store is being skipped after a failure. */
  get available(): boolean {
    return this.health.usable();
  }

  /** The stored token, or `undefined` when there is none or the store cannot be asked. */
  async read(key: string): Promise<StoredToken | undefined> {
    if (!this.health.usable()) return undefined;
    const outcome = await this.health.attempt('read', () => this.store.get(key));
    return outcome?.value ?? undefined;
  }

  /** Saves a token; a failure only ends sharing for the outage. */
  async write(key: string, token: StoredToken, ttlMs: number): Promise<void> {
    if (!this.health.usable()) return;
    await this.health.attempt('write', () => this.store.set(key, token, ttlMs));
  }

  /** Asks for the fleet lock. A store error is an outage, never "another worker holds it". */
  async lock(key: string, ttlMs: number): Promise<TokenLock> {
    const acquireLock = this.store.acquireLock?.bind(this.store);
    if (!acquireLock || !this.health.usable()) return { state: 'none' };
    const outcome = await this.health.attempt('lock', () => acquireLock(key, ttlMs));
    if (!outcome) return { state: 'none' };
    const release = outcome.value;
    if (!release) return { state: 'held' };
    return {
      state: 'acquired',
      release: async () => {
        // The lock expires by itself; a failed release only matters as a sign of an outage.
        await this.health.attempt('lock release', release);
      },
    };
  }

  /** Returns this registry's lease on the store (see `store-hooks.ts`). */
  close(): Promise<void> {
    return this.releaseLease();
  }
}
