/**
 * Stateful 2025-era sessions over Streamable HTTP: opened on `initialize`, found again by
 * `Mcp-Session-Id`, ended on DELETE, eviction or an idle TTL. Every session belongs to the
 * principal that opened it; a request from anyone else gets exactly the answer an unknown
 * session gets (404), so ids cannot be probed. A session is live only once its record is in
 * the store, and every request checks the record is still there (ended on another instance, or
 * evicted, means 404 here too). A session id this instance has never seen is rebuilt from the
 * stored record, for its owner only. Every store call is bounded: a store that fails or stalls
 * gives the client a prompt 503, never a hang, and never a half-created session.
 */
import type { AuthInfo } from '@modelcontextprotocol/server';
import { FleetLink } from '../fleet/fleet-link.js';
import type { ServerBlueprint } from '../server/build-server.js';
import type { SessionEventStore } from '../store/session-event-store.js';
import type { PublisherStore, SessionStore } from '../store/session-store.js';
import {
  guardEventStore,
  guardFleetBus,
  guardSessionStore,
  isStoreUnavailable,
} from '../store/store-guard.js';
import { jsonRpcError, sessionNotFound, storeUnavailable } from './error-answers.js';
import { LiveSession } from './live-session.js';
import {
  type ResolvedSessionOptions,
  resolveSessionOptions,
  type SessionOptions,
} from './session-options.js';
import { sessionOwnerKey } from './session-owner.js';
import { SessionTable } from './session-table.js';

export interface SessionManagerOptions {
  blueprint: ServerBlueprint;
  store: PublisherStore;
  options: SessionOptions;
  maxBodyBytes: number;
  onError: (error: Error) => void;
}

type HandleOptions = { parsedBody: unknown; authInfo?: AuthInfo };

/** What ends with a session: its stored record and its events (a local copy closing keeps both). */
interface Forget {
  record: boolean;
  events: boolean;
}

export class SessionManager {
  private readonly table: SessionTable<LiveSession>;
  private readonly sessions: SessionStore;
  private readonly events: SessionEventStore | undefined;
  private readonly limits: ResolvedSessionOptions;
  private readonly restoring = new Map<string, Promise<LiveSession | Response | undefined>>();
  private readonly sweeper: ReturnType<typeof setInterval>;
  private readonly fleet: FleetLink | undefined;

  constructor(private readonly options: SessionManagerOptions) {
    this.limits = resolveSessionOptions(options.options);
    this.table = new SessionTable(this.limits);
    this.sessions = guardSessionStore(options.store.sessions, this.limits.storeTimeoutMs);
    this.events = options.store.events && guardEventStore(options.store.events, this.limits.storeTimeoutMs);
    if (options.store.bus) {
      this.fleet = new FleetLink(
        guardFleetBus(options.store.bus, this.limits.storeTimeoutMs),
        this.events,
        (sessionId, message) => this.table.get(sessionId)?.deliver(message),
        options.onError,
      );
    }
    const { sessionTtlMs, handshakeTtlMs } = this.limits;
    const interval = Math.max(1_000, Math.min(handshakeTtlMs / 2, sessionTtlMs / 2, 60_000));
    this.sweeper = setInterval(() => void this.sweep(), interval);
    (this.sweeper as { unref?: () => void }).unref?.();
  }

  get size(): number {
    return this.table.size;
  }

  async handle(request: Request, parsedBody: unknown, authInfo: AuthInfo | undefined): Promise<Response> {
    const handleOptions: HandleOptions = { parsedBody, ...(authInfo ? { authInfo } : {}) };
    const owner = await sessionOwnerKey(authInfo);
    try {
      const sessionId = request.headers.get('mcp-session-id');
      if (!sessionId) {
        const initialize = request.method === 'POST' ? initializeMessage(parsedBody) : undefined;
        if (!initialize) {
          return jsonRpcError(
            400,
            -32000,
            'Bad Request: Mcp-Session-Id header is required (initialize first).',
          );
        }
        return await this.initialize(request, handleOptions, owner, initialize.params);
      }
      return await this.continue(sessionId, request, handleOptions, owner);
    } catch (error) {
      if (!isStoreUnavailable(error)) throw error;
      this.options.onError(error);
      return storeUnavailable(requestIdOf(parsedBody));
    }
  }

  /** Closes every local session (the shared store keeps them for other instances). */
  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    const sessions = [...this.table.values()];
    for (const session of sessions) this.table.remove(session);
    await Promise.allSettled(sessions.map((session) => session.close()));
    await this.fleet?.close();
  }

  private async continue(
    sessionId: string,
    request: Request,
    handleOptions: HandleOptions,
    owner: string,
  ): Promise<Response> {
    const local = this.table.get(sessionId);
    if (!local && request.method === 'DELETE') return this.deleteStored(sessionId, owner);
    const found = local ?? (await this.restore(sessionId, owner));
    if (found instanceof Response) return found;
    // Someone else's session is answered exactly like one that does not exist.
    if (!found || found.owner !== owner) return sessionNotFound();
    const session = found;
    if (request.method === 'DELETE') {
      // Gone from the store first: if that fails the session stays, and the client may retry.
      await this.sessions.delete(sessionId);
    } else if (!(await this.sessions.touch(sessionId, this.limits.sessionTtlMs))) {
      // Ended on another instance, evicted, or expired.
      void this.end(session, { record: false, events: true });
      return sessionNotFound();
    }
    session.lastSeen = Date.now();
    session.established = true;
    this.table.used(session);
    const lastEventId = request.method === 'GET' ? request.headers.get('last-event-id') : null;
    // Resuming needs the event store: find out now, and answer 503 rather than a replay error.
    if (lastEventId && session.events) await session.events.getStreamIdForEventId?.(lastEventId);
    if (lastEventId && this.fleet) {
      // In a fleet a request's stream is relayed from the store, wherever its call runs.
      const signal = AbortSignal.any([request.signal, session.closed]);
      const relayed = await this.fleet.resume(sessionId, lastEventId, signal);
      if (relayed) return relayed;
    }
    if (!this.fleet && request.method === 'POST') {
      // A plain request goes straight to the session's server (`fast-answer.ts`).
      const fast = session.answerFast(request, handleOptions.parsedBody, handleOptions.authInfo);
      if (fast) return fast;
    }
    if (this.fleet && request.method === 'POST') {
      // Answers to requests another instance sent go there; what is left is this instance's.
      const parsedBody = await this.fleet.route(sessionId, handleOptions.parsedBody);
      if (parsedBody === undefined) return new Response(null, { status: 202 });
      return session.transport.handleRequest(request, { ...handleOptions, parsedBody });
    }
    return session.transport.handleRequest(request, handleOptions);
  }

  private async initialize(
    request: Request,
    handleOptions: HandleOptions,
    owner: string,
    params: unknown,
  ): Promise<Response> {
    const id = crypto.randomUUID();
    // Set once the transport has accepted the request as an initialize (so a malformed one never
    // evicts anybody): a refusal, or the store failure that stopped the session from being stored.
    let refused: Response | undefined;
    let storeFailure: unknown;
    let release: (() => void) | undefined;
    let session: LiveSession | undefined;
    const admitAndStore = async () => {
      const admission = this.table.admit(owner);
      if (!admission.admitted) {
        refused = this.refusal(admission.reason, handleOptions.parsedBody);
        throw (session as LiveSession).quiet(new Error('No room for another session.'));
      }
      release = admission.release;
      for (const victim of admission.evict) void this.end(victim, { record: true, events: true });
      const record = { initialize: (params ?? {}) as Record<string, unknown>, owner, createdAt: Date.now() };
      try {
        // A bare initialize is kept only briefly, until the client follows it up.
        await this.sessions.set(id, record, this.limits.handshakeTtlMs);
      } catch (error) {
        storeFailure = error;
        throw error instanceof Error ? (session as LiveSession).quiet(error) : error;
      }
      // Live only once stored.
      if (session) this.table.add(session);
    };
    try {
      session = await this.open(id, owner, { onInitialized: admitAndStore });
      const response = await session.transport.handleRequest(request, handleOptions);
      if (refused || storeFailure !== undefined) {
        await response.body?.cancel();
        await session.close();
        if (refused) return refused;
        // The write may still land once the store answers again: take it back (queued after it).
        this.sessions.delete(id).catch(() => {});
        throw storeFailure;
      }
      // Refused by the transport before it started (not acceptable, not JSON-RPC, …): nothing was stored.
      if (this.table.get(id) !== session) await session.close();
      return response;
    } catch (error) {
      if (session && storeFailure === undefined) void this.end(session, { record: true, events: true });
      throw error;
    } finally {
      release?.();
    }
  }

  private open(
    id: string,
    owner: string,
    hooks: { onInitialized?: () => Promise<void>; onInitializeFailed?: () => void },
  ): Promise<LiveSession> {
    const { blueprint, maxBodyBytes, onError } = this.options;
    // Taken apart so the closures below hold only what they call, not `onInitialized`: the
    // session keeps them for its life, and that hook holds its `initialize` request.
    const { onInitialized, onInitializeFailed } = hooks;
    return LiveSession.open({
      id,
      owner,
      blueprint,
      events: this.events,
      maxBodyBytes,
      onError,
      fleet: this.fleet,
      onInitialized,
      onInitializeFailed: onInitializeFailed ? () => onInitializeFailed() : this.initializeFailed,
      onDeleted: this.deleted,
      onClosed: this.closed,
    });
  }

  // The hooks every session shares (made once: a session keeps its hooks for its life).
  private readonly initializeFailed = (session: LiveSession) =>
    void this.end(session, { record: true, events: true });
  private readonly deleted = async (session: LiveSession) => {
    // The record is already gone (`continue` deleted it before handing DELETE to the transport).
    this.table.remove(session);
    await this.forgetEvents(session.id);
  };
  private readonly closed = (session: LiveSession) => void this.table.remove(session);

  /** DELETE of a session this instance does not hold: no need to rebuild it just to end it. */
  private async deleteStored(sessionId: string, owner: string): Promise<Response> {
    const record = await this.sessions.get(sessionId);
    if (!record || record.owner !== owner) return sessionNotFound();
    await this.sessions.delete(sessionId);
    await this.forgetEvents(sessionId);
    return new Response(null, { status: 200 });
  }

  private restore(sessionId: string, owner: string): Promise<LiveSession | Response | undefined> {
    // One rebuild per (session, principal): another principal's request never joins the owner's.
    const key = `${owner}\n${sessionId}`;
    let pending = this.restoring.get(key);
    if (!pending) {
      pending = this.rebuild(sessionId, owner).finally(() => this.restoring.delete(key));
      this.restoring.set(key, pending);
    }
    return pending;
  }

  private async rebuild(sessionId: string, owner: string): Promise<LiveSession | Response | undefined> {
    const record = await this.sessions.get(sessionId);
    // Checked before anything is built: another principal learns nothing and costs nothing.
    if (!record || record.owner !== owner) return undefined;
    const admission = this.table.admit(owner);
    if (!admission.admitted) return this.refusal(admission.reason, undefined);
    for (const victim of admission.evict) void this.end(victim, { record: true, events: true });
    let failed = false;
    let session: LiveSession | undefined;
    try {
      session = await this.open(sessionId, owner, {
        onInitializeFailed: () => {
          failed = true;
        },
      });
      session.established = true;
      // The replayed handshake is not the client's: keep it out of the session's events.
      if (session.events) session.events.paused = true;
      const initialize = {
        jsonrpc: '2.0',
        id: 'toolwire-restore',
        method: 'initialize',
        params: record.initialize,
      };
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      const url = 'http://localhost/mcp';
      const initialized = await session.transport.handleRequest(
        new Request(url, { method: 'POST', headers }),
        {
          parsedBody: initialize,
        },
      );
      await initialized.text();
      if (!initialized.ok || failed || session.transport.sessionId !== sessionId) {
        await session.close();
        return undefined;
      }
      const notified = await session.transport.handleRequest(
        new Request(url, { method: 'POST', headers: { ...headers, 'mcp-session-id': sessionId } }),
        { parsedBody: { jsonrpc: '2.0', method: 'notifications/initialized' } },
      );
      await notified.text();
      if (session.events) session.events.paused = false;
      this.table.add(session);
      return session;
    } catch (error) {
      await session?.close().catch(() => {});
      throw error;
    } finally {
      admission.release();
    }
  }

  /** No room for another session: 429 when the principal's own are all in use, 503 when the instance's are. */
  private refusal(reason: 'principal' | 'instance', body: unknown): Response {
    const options = { id: requestIdOf(body), headers: { 'retry-after': '5' } };
    if (reason === 'principal') {
      const max = this.limits.maxSessionsPerPrincipal;
      return jsonRpcError(
        429,
        -32000,
        `Too many sessions for this principal (at most ${max}, all in use); end one with DELETE or try again later.`,
        options,
      );
    }
    return jsonRpcError(503, -32000, 'Too many sessions on this publisher; try again later.', options);
  }

  /** Ends a session here, and forgets what `forget` says (failures are reported, not thrown). */
  private async end(session: LiveSession, forget: Forget): Promise<void> {
    this.table.remove(session);
    await session.close().catch(this.options.onError);
    if (forget.record) await this.sessions.delete(session.id).catch(this.options.onError);
    if (forget.events) await this.forgetEvents(session.id);
  }

  private async forgetEvents(sessionId: string): Promise<void> {
    await this.events?.deleteSession(sessionId).catch(this.options.onError);
  }

  /**
   * Closes sessions idle past their TTL (bare `initialize`s past the handshake TTL). A session
   * answering a request is not idle: its record is kept alive instead. A session idle here may
   * be in use on another instance, so its events go only once its record is gone.
   */
  private async sweep(): Promise<void> {
    const now = Date.now();
    const { sessionTtlMs, handshakeTtlMs } = this.limits;
    for (const session of [...this.table.values()]) {
      const ttl = session.established ? sessionTtlMs : handshakeTtlMs;
      if (session.lastSeen >= now - ttl) continue;
      if (session.busy) {
        session.lastSeen = now;
        await this.sessions.touch(session.id, sessionTtlMs).catch(this.options.onError);
        continue;
      }
      if (!session.established) {
        await this.end(session, { record: true, events: true });
        continue;
      }
      await this.end(session, { record: false, events: false });
      const stored = await this.sessions.get(session.id).catch(() => null);
      if (stored === undefined) await this.forgetEvents(session.id);
    }
  }
}

function initializeMessage(body: unknown): { method: 'initialize'; params?: unknown } | undefined {
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  return messages.find(
    (message): message is { method: 'initialize'; params?: unknown } =>
      typeof message === 'object' &&
      message !== null &&
      (message as { method?: unknown }).method === 'initialize',
  );
}

/** The id of a single JSON-RPC request body, for error answers; `null` otherwise. */
function requestIdOf(body: unknown): string | number | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const id = (body as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}
