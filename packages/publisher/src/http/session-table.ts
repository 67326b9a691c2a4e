/**
 * The instance's book of live sessions: least recently used first, per owner too, plus seats
 * held by sessions still being opened (their store write in flight), and the admission rule for
 * a new one. A principal at its cap gives up its own least recently used idle session; a full
 * instance gives up its least recently used idle session, whoever owns it. Either way bare
 * `initialize`s (never followed up) go before sessions in use, and a session answering a
 * request is never chosen. The anonymous principal (a publisher without auth) has no cap of its
 * own: every client shares it.
 */
import { ANONYMOUS_OWNER } from './session-owner.js';

/** What the table needs to know of a session. */
export interface TrackedSession {
  readonly id: string;
  readonly owner: string;
  readonly established: boolean;
  readonly busy: boolean;
}

export interface SessionLimits {
  maxSessions: number;
  maxSessionsPerPrincipal: number;
}

export type Admission<S> =
  | { admitted: true; evict: S[]; release: () => void }
  | { admitted: false; reason: 'principal' | 'instance' };

export class SessionTable<S extends TrackedSession> {
  private readonly sessions = new Map<string, S>();
  private readonly byOwner = new Map<string, Set<S>>();
  private opening = 0;
  private readonly openingByOwner = new Map<string, number>();

  constructor(private readonly limits: SessionLimits) {}

  /** Live sessions (not counting those being opened). */
  get size(): number {
    return this.sessions.size;
  }

  get(id: string): S | undefined {
    return this.sessions.get(id);
  }

  values(): IterableIterator<S> {
    return this.sessions.values();
  }

  /** Adds a session that is now live (stored). */
  add(session: S): void {
    this.sessions.set(session.id, session);
    let owned = this.byOwner.get(session.owner);
    if (!owned) {
      owned = new Set();
      this.byOwner.set(session.owner, owned);
    }
    owned.add(session);
  }

  /** Marks the session as just used: it becomes the most recently used. */
  used(session: S): void {
    if (this.sessions.get(session.id) !== session) return;
    this.sessions.delete(session.id);
    this.sessions.set(session.id, session);
    const owned = this.byOwner.get(session.owner);
    owned?.delete(session);
    owned?.add(session);
  }

  /** Removes the session; `false` when it was not (or no longer) in the table. */
  remove(session: S): boolean {
    if (this.sessions.get(session.id) !== session) return false;
    this.sessions.delete(session.id);
    const owned = this.byOwner.get(session.owner);
    owned?.delete(session);
    if (owned?.size === 0) this.byOwner.delete(session.owner);
    return true;
  }

  /**
   * Makes room for one more session of `owner`: the sessions to evict (already taken out of the
   * table) and a seat to `release` once the new session is live or has failed; or why not.
   */
  admit(owner: string): Admission<S> {
    const evict: S[] = [];
    if (owner !== ANONYMOUS_OWNER) {
      const owned = this.byOwner.get(owner);
      if ((owned?.size ?? 0) + (this.openingByOwner.get(owner) ?? 0) >= this.limits.maxSessionsPerPrincipal) {
        const victim = owned ? pickVictim(owned.values()) : undefined;
        if (!victim) return { admitted: false, reason: 'principal' };
        evict.push(victim);
      }
    }
    if (this.sessions.size - evict.length + this.opening >= this.limits.maxSessions) {
      const victim = pickVictim(this.sessions.values(), evict);
      if (!victim) return { admitted: false, reason: 'instance' };
      evict.push(victim);
    }
    for (const session of evict) this.remove(session);
    this.opening++;
    this.openingByOwner.set(owner, (this.openingByOwner.get(owner) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.opening--;
      const count = (this.openingByOwner.get(owner) ?? 1) - 1;
      if (count > 0) this.openingByOwner.set(owner, count);
      else this.openingByOwner.delete(owner);
    };
    return { admitted: true, evict, release };
  }
}

/** The first idle session never followed up, else the first idle one (in least recently used order). */
function pickVictim<S extends TrackedSession>(
  sessions: Iterable<S>,
  exclude: readonly S[] = [],
): S | undefined {
  let idle: S | undefined;
  for (const session of sessions) {
    if (session.busy || exclude.includes(session)) continue;
    if (!session.established) return session;
    idle ??= session;
  }
  return idle;
}
