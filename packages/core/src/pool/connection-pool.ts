/**
 * The live connections of one server, one per session scope: `'shared'` for everyone, or one per
 * conversation (`sessionKey`) when the server asks for it. Opening is single-flight per scope
 * (fifty concurrent first calls open one connection); conversation connections close after an idle
 * time; a cap bounds them, evicting the least recently used idle one, and a clear error says so
 * when every connection is busy.
 */
import type { ServerConnection } from '../connection/server-connection.js';
import { ToolwireError } from '../errors/toolwire-error.js';

/** The scope of the connection every caller shares. */
export const SHARED_SCOPE = 'shared';

/** The pool scope of a call: the shared one, or one per conversation. */
export function conversationScope(sessionKey: string): string {
  return `conversation:${sessionKey}`;
}

export interface ConnectionPoolOptions {
  /** Most live connections to this server, the shared one included. */
  maxConnections: number;
  /** A conversation's connection closes after this long without a request (ms). */
  idleTimeoutMs: number;
}

/** A connection borrowed for one request; `release()` must be called once it is done. */
export interface ConnectionLease {
  readonly connection: ServerConnection;
  release(): void;
}

interface PoolEntry {
  scope: string;
  connection: ServerConnection;
  inFlight: number;
  lastUsedAt: number;
  idleTimer: ReturnType<typeof setTimeout> | undefined;
}

export class ConnectionPool {
  private readonly server: string;
  private readonly options: ConnectionPoolOptions;
  private readonly open: (scope: string, sessionKey: string | undefined) => Promise<ServerConnection>;
  private readonly entries = new Map<string, PoolEntry>();
  private readonly pending = new Map<string, Promise<PoolEntry>>();
  private closed = false;

  constructor(
    server: string,
    options: ConnectionPoolOptions,
    open: (scope: string, sessionKey: string | undefined) => Promise<ServerConnection>,
  ) {
    this.server = server;
    this.options = options;
    this.open = open;
  }

  /** Live connections (open or being used). */
  get size(): number {
    return this.entries.size;
  }

  /** Requests running on this server's connections right now. */
  get inFlight(): number {
    let total = 0;
    for (const entry of this.entries.values()) total += entry.inFlight;
    return total;
  }

  /** The open connection of a scope, if there is one. Does not connect. */
  current(scope: string = SHARED_SCOPE): ServerConnection | undefined {
    const connection = this.entries.get(scope)?.connection;
    return connection?.isOpen ? connection : undefined;
  }

  /** Every pooled connection, shared first. */
  connections(): ServerConnection[] {
    return [...this.entries.values()].map((entry) => entry.connection);
  }

  /** Borrows the scope's connection, opening it (once, however many callers wait) when needed. */
  async lease(scope: string, sessionKey: string | undefined, tool?: string): Promise<ConnectionLease> {
    let entry = this.entries.get(scope);
    if (entry && !entry.connection.isOpen) {
      // Expired or dropped: replace it (an expired HTTP session needs no DELETE).
      this.forget(entry);
      void entry.connection.close({ terminateSession: false });
      entry = undefined;
    }
    if (!entry) entry = await this.openEntry(scope, sessionKey, tool);
    return this.borrow(entry);
  }

  /** The scope's open connection, borrowed without waiting; `undefined` when `lease()` must open one. */
  leaseOpen(scope: string): ConnectionLease | undefined {
    const entry = this.entries.get(scope);
    return entry?.connection.isOpen ? this.borrow(entry) : undefined;
  }

  /** Forgets a connection that ended on its own (its entry is dropped; nothing is closed). */
  remove(connection: ServerConnection): boolean {
    for (const entry of this.entries.values()) {
      if (entry.connection === connection) {
        this.forget(entry);
        return true;
      }
    }
    return false;
  }

  /** Forgets and closes a connection that must not be used again (expired HTTP session, broken pipe). */
  async discard(connection: ServerConnection): Promise<void> {
    this.remove(connection);
    await connection.close({ terminateSession: false });
  }

  /** Closes every connection; later leases fail with `REGISTRY_CLOSED`. */
  async closeAll(): Promise<void> {
    this.closed = true;
    const entries = [...this.entries.values()];
    for (const entry of entries) this.forget(entry);
    await Promise.allSettled(entries.map((entry) => entry.connection.close()));
  }

  /** Closes every connection but stays usable (a disabled server, a refresh). */
  async drain(): Promise<void> {
    const entries = [...this.entries.values()];
    for (const entry of entries) this.forget(entry);
    await Promise.allSettled(entries.map((entry) => entry.connection.close()));
  }

  private borrow(entry: PoolEntry): ConnectionLease {
    entry.inFlight++;
    entry.lastUsedAt = Date.now();
    if (entry.idleTimer) {
      clearTimeout(entry.idleTimer);
      entry.idleTimer = undefined;
    }
    let released = false;
    return {
      connection: entry.connection,
      release: () => {
        if (released) return;
        released = true;
        entry.inFlight--;
        entry.lastUsedAt = Date.now();
        if (entry.inFlight === 0 && entry.scope !== SHARED_SCOPE && this.entries.get(entry.scope) === entry) {
          entry.idleTimer = unref(
            setTimeout(() => {
              entry.idleTimer = undefined;
              if (entry.inFlight > 0 || this.entries.get(entry.scope) !== entry) return;
              this.forget(entry);
              void entry.connection.close();
            }, this.options.idleTimeoutMs),
          );
        }
      },
    };
  }

  private openEntry(
    scope: string,
    sessionKey: string | undefined,
    tool: string | undefined,
  ): Promise<PoolEntry> {
    const existing = this.pending.get(scope);
    if (existing) return existing;
    this.assertRoom(scope, tool);
    const opening = (async () => {
      const connection = await this.open(scope, sessionKey);
      if (this.closed) {
        await connection.close();
        throw new ToolwireError({
          code: 'REGISTRY_CLOSED',
          server: this.server,
          tool,
          message: 'The registry was closed',
        });
      }
      const entry: PoolEntry = {
        scope,
        connection,
        inFlight: 0,
        lastUsedAt: Date.now(),
        idleTimer: undefined,
      };
      this.entries.set(scope, entry);
      return entry;
    })().finally(() => {
      this.pending.delete(scope);
    });
    this.pending.set(scope, opening);
    return opening;
  }

  /** Makes room for one more connection, evicting the least recently used idle conversation. */
  private assertRoom(scope: string, tool: string | undefined): void {
    if (this.closed) {
      throw new ToolwireError({
        code: 'REGISTRY_CLOSED',
        server: this.server,
        tool,
        message: 'The registry is closed',
      });
    }
    while (this.entries.size + this.pending.size >= this.options.maxConnections) {
      let oldest: PoolEntry | undefined;
      for (const entry of this.entries.values()) {
        if (entry.inFlight > 0 || entry.scope === SHARED_SCOPE) continue;
        if (!oldest || entry.lastUsedAt < oldest.lastUsedAt) oldest = entry;
      }
      if (!oldest) {
        throw new ToolwireError({
          code: 'POOL_EXHAUSTED',
          server: this.server,
          tool,
          message: `Server "${this.server}" already has ${this.options.maxConnections} connections, all busy; cannot open one for ${scope === SHARED_SCOPE ? 'the shared scope' : 'this conversation'} (raise pool.maxConnectionsPerServer or retry later)`,
        });
      }
      this.forget(oldest);
      void oldest.connection.close();
    }
  }

  private forget(entry: PoolEntry): void {
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    entry.idleTimer = undefined;
    if (this.entries.get(entry.scope) === entry) this.entries.delete(entry.scope);
  }
}

/** Idle timers must never keep a process alive. */
function unref<T>(timer: T): T {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}
