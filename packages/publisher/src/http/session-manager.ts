/**
 * Stateful 2025-era sessions over Streamable HTTP: one SDK server and transport per session,
 * created on `initialize`, found again by `Mcp-Session-Id`, closed on DELETE or after an idle
 * TTL. A session id this instance has never seen is looked up in the shared store and rebuilt
 * by replaying the client's `initialize` into a fresh transport that takes the same id, so a
 * session can continue on any instance behind a load balancer.
 */
import type { AuthInfo, EventStore, McpServer } from '@modelcontextprotocol/server';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import { buildServer, type ServerBlueprint } from '../server/build-server.js';
import type { SessionStore } from '../store/session-store.js';

interface LiveSession {
  server: McpServer;
  transport: WebStandardStreamableHTTPServerTransport;
  lastSeen: number;
  lastTouched: number;
}

export interface SessionManagerOptions {
  blueprint: ServerBlueprint;
  sessions: SessionStore;
  events: EventStore | undefined;
  ttlMs: number;
  maxSessions: number;
  maxBodyBytes: number;
  onError: (error: Error) => void;
}

const MAX_TOUCH_INTERVAL_MS = 5_000;

export class SessionManager {
  private readonly live = new Map<string, LiveSession>();
  private readonly restoring = new Map<string, Promise<LiveSession | undefined>>();
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(private readonly options: SessionManagerOptions) {
    const interval = Math.max(1_000, Math.min(options.ttlMs / 2, 60_000));
    this.sweeper = setInterval(() => void this.sweep(), interval);
    (this.sweeper as { unref?: () => void }).unref?.();
  }

  get size(): number {
    return this.live.size;
  }

  async handle(request: Request, parsedBody: unknown, authInfo: AuthInfo | undefined): Promise<Response> {
    const sessionId = request.headers.get('mcp-session-id');
    const handleOptions = { parsedBody, ...(authInfo ? { authInfo } : {}) };
    if (!sessionId) {
      const initialize = request.method === 'POST' ? initializeMessage(parsedBody) : undefined;
      if (initialize) {
        if (this.live.size >= this.options.maxSessions)
          return jsonRpcError(503, -32000, 'Too many sessions on this publisher; try again later.');
        const session = await this.open(undefined, initialize);
        return session.transport.handleRequest(request, handleOptions);
      }
      return jsonRpcError(400, -32000, 'Bad Request: Mcp-Session-Id header is required (initialize first).');
    }
    const session = this.live.get(sessionId) ?? (await this.restore(sessionId));
    if (!session) return jsonRpcError(404, -32001, 'Session not found');
    const now = Date.now();
    session.lastSeen = now;
    if (now - session.lastTouched > Math.min(MAX_TOUCH_INTERVAL_MS, this.options.ttlMs / 4)) {
      session.lastTouched = now;
      this.options.sessions
        .touch(sessionId, this.options.ttlMs)
        .then((exists) => {
          // Deleted elsewhere (DELETE on another instance) or expired: drop this instance's copy.
          if (!exists && this.live.get(sessionId) === session) {
            this.live.delete(sessionId);
            return session.server.close();
          }
        })
        .catch(this.options.onError);
    }
    return session.transport.handleRequest(request, handleOptions);
  }

  /** Closes every local session (the shared store keeps them for other instances unless `forget`). */
  async closeAll(forget = false): Promise<void> {
    clearInterval(this.sweeper);
    const sessions = [...this.live.entries()];
    this.live.clear();
    await Promise.allSettled(
      sessions.map(async ([id, session]) => {
        await session.server.close();
        if (forget) await this.options.sessions.delete(id);
      }),
    );
  }

  private async open(fixedId: string | undefined, initialize: { params?: unknown }): Promise<LiveSession> {
    const { blueprint, events, sessions, ttlMs, maxBodyBytes, onError } = this.options;
    let session: LiveSession | undefined;
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => fixedId ?? crypto.randomUUID(),
      maxRequestBodySize: maxBodyBytes,
      ...(events ? { eventStore: events } : {}),
      onsessioninitialized: async (id) => {
        if (session) this.live.set(id, session);
        if (fixedId === undefined) {
          const record = {
            initialize: (initialize.params ?? {}) as Record<string, unknown>,
            createdAt: Date.now(),
          };
          await sessions.set(id, record, ttlMs).catch(onError);
        }
      },
      onsessionclosed: async (id) => {
        this.live.delete(id);
        await sessions.delete(id).catch(onError);
      },
    });
    const server = buildServer(blueprint, 'legacy');
    server.server.onerror = onError;
    const now = Date.now();
    session = { server, transport, lastSeen: now, lastTouched: now };
    transport.onclose = () => {
      if (transport.sessionId && this.live.get(transport.sessionId) === session)
        this.live.delete(transport.sessionId);
    };
    await server.connect(transport);
    return session;
  }

  private restore(sessionId: string): Promise<LiveSession | undefined> {
    let pending = this.restoring.get(sessionId);
    if (!pending) {
      pending = this.rebuild(sessionId).finally(() => this.restoring.delete(sessionId));
      this.restoring.set(sessionId, pending);
    }
    return pending;
  }

  private async rebuild(sessionId: string): Promise<LiveSession | undefined> {
    const record = await this.options.sessions.get(sessionId);
    if (!record) return undefined;
    const initialize = {
      jsonrpc: '2.0',
      id: 'toolwire-restore',
      method: 'initialize',
      params: record.initialize,
    };
    const session = await this.open(sessionId, initialize);
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const url = 'http://localhost/mcp';
    const initialized = await session.transport.handleRequest(new Request(url, { method: 'POST', headers }), {
      parsedBody: initialize,
    });
    await initialized.text();
    if (!initialized.ok || session.transport.sessionId !== sessionId) {
      await session.server.close();
      return undefined;
    }
    const notified = await session.transport.handleRequest(
      new Request(url, { method: 'POST', headers: { ...headers, 'mcp-session-id': sessionId } }),
      { parsedBody: { jsonrpc: '2.0', method: 'notifications/initialized' } },
    );
    await notified.text();
    this.live.set(sessionId, session);
    return session;
  }

  /**
   * Closes local copies idle longer than the TTL. The stored record is left to expire on its own:
   * another instance may be serving the same session right now (it keeps the record alive).
   */
  private async sweep(): Promise<void> {
    const cutoff = Date.now() - this.options.ttlMs;
    for (const [id, session] of this.live) {
      if (session.lastSeen >= cutoff) continue;
      this.live.delete(id);
      await session.server.close().catch(this.options.onError);
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

export function jsonRpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status });
}
