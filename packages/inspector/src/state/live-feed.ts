/**
 * The page's live feed: one subscription to the registry's own events per handler, turned into
 * page events (`server`, `catalogue`, `call`, `stats`) for every open stream, plus the recent call
 * log a page loads first. Stats are sent at most every `statsIntervalMs`, after calls end, so a
 * busy registry cannot flood a page.
 */
import type { Registry } from '@toolwire/core';
import { type CallLogEntry, serverView, statsView, toolViews } from './views.js';

/** Calls kept in the log a freshly opened page gets. */
export const CALL_LOG_KEPT = 200;

export interface FeedEvent {
  event: 'server' | 'catalogue' | 'call' | 'stats';
  data: unknown;
}

export type FeedListener = (event: FeedEvent) => void;

export class LiveFeed {
  private readonly registry: Registry;
  private readonly listeners = new Set<FeedListener>();
  private readonly calls: CallLogEntry[] = [];
  private readonly unsubscribe: (() => void)[];
  private readonly statsIntervalMs: number;
  private statsTimer: ReturnType<typeof setTimeout> | undefined;
  private lastStatsAt = 0;

  constructor(registry: Registry, options: { statsIntervalMs?: number } = {}) {
    this.registry = registry;
    this.statsIntervalMs = options.statsIntervalMs ?? 250;
    this.unsubscribe = [
      registry.on('server:status', (event) => {
        const server = registry.server(event.server);
        if (server) this.send({ event: 'server', data: serverView(registry, server) });
      }),
      registry.on('tools:changed', (event) => {
        this.send({ event: 'catalogue', data: toolViews(registry) });
        const server = registry.server(event.server);
        if (server) this.send({ event: 'server', data: serverView(registry, server) });
      }),
      registry.on('call:start', (event) => {
        this.logCall({
          callId: event.callId,
          tool: event.tool,
          server: event.server,
          sessionKey: event.sessionKey,
          startedAt: Date.now(),
          state: 'running',
          durationMs: undefined,
          error: undefined,
        });
      }),
      registry.on('call:end', (event) => {
        const entry = this.calls.find((call) => call.callId === event.callId);
        const ended: CallLogEntry = {
          callId: event.callId,
          tool: event.tool,
          server: event.server,
          sessionKey: event.sessionKey,
          startedAt: entry?.startedAt ?? Date.now() - event.durationMs,
          state: event.outcome,
          durationMs: Math.round(event.durationMs * 100) / 100,
          error: event.error ? { code: event.error.code, message: event.error.message } : undefined,
        };
        this.logCall(ended);
        this.scheduleStats();
      }),
    ];
  }

  /** The recent calls, newest last. */
  recentCalls(): CallLogEntry[] {
    return this.calls.map((call) => ({ ...call }));
  }

  subscribe(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    for (const stop of this.unsubscribe) stop();
    if (this.statsTimer) clearTimeout(this.statsTimer);
    this.statsTimer = undefined;
    this.listeners.clear();
  }

  private logCall(entry: CallLogEntry): void {
    const safe = this.registry.redact(entry);
    const index = this.calls.findIndex((call) => call.callId === entry.callId);
    if (index === -1) {
      this.calls.push(safe);
      if (this.calls.length > CALL_LOG_KEPT) this.calls.shift();
    } else {
      this.calls[index] = safe;
    }
    this.send({ event: 'call', data: safe });
  }

  private scheduleStats(): void {
    if (this.statsTimer || this.listeners.size === 0) return;
    const wait = Math.max(0, this.lastStatsAt + this.statsIntervalMs - Date.now());
    this.statsTimer = setTimeout(() => {
      this.statsTimer = undefined;
      this.lastStatsAt = Date.now();
      this.send({ event: 'stats', data: statsView(this.registry) });
    }, wait);
  }

  private send(event: FeedEvent): void {
    if (this.listeners.size === 0) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // One broken stream never stops the others.
      }
    }
  }
}
