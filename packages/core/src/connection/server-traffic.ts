/**
 * What a server sends the client on its own (log messages, elicitation and sampling requests)
 * and which running call it belongs to. MCP ties none of it to a request: a message is a call's
 * when that call runs alone on the connection; otherwise it is the connection's (its
 * conversation's handlers, the registry's). Handlers never outlive the connection.
 */
import type { LoggingMessageNotificationParams } from '@modelcontextprotocol/client';
import { ToolwireError } from '../errors/toolwire-error.js';
import type { ServerLogEvent } from '../events/registry-events.js';
import type { Logger } from '../logging/logger.js';
import {
  answerServerRequest,
  DEFAULT_SERVER_REQUEST_TIMEOUT_MS,
  handlerFailureForServer,
  type ServerRequestHandlers,
  type ServerRequestMethod,
} from './server-requests.js';

/** What the client declares it can answer, and who answers requests no call claims. */
export interface ServerRequestSetup {
  /** Capabilities to declare (only those a handler can exist for). */
  elicitation: boolean;
  sampling: boolean;
  roots: boolean;
  /** The handlers of a conversation (its own, else the registry's); `undefined`: the shared connection's. */
  handlersFor(sessionKey: string | undefined): ServerRequestHandlers;
  /** Longest a handler may take (ms). */
  timeoutMs: number;
  /** Sees every handler failure (the server is sent only its code). */
  onFailure(error: unknown): void;
}

/** The call a log message was tied to. */
export interface LogTarget {
  tool: string;
  callId: number | undefined;
  /** The call's own log listener. */
  onLog: ((event: ServerLogEvent) => void) | undefined;
}

/** A call (or prompt, or resource read) running on the connection. */
export interface ActiveCall extends LogTarget {
  sessionKey: string | undefined;
  /** Its own handlers, when it brought any (see `CallOptions.handlers`). */
  handlers: ServerRequestHandlers | undefined;
  signal: AbortSignal | undefined;
}

export interface ServerTrafficOptions {
  server: string;
  /** The connection's conversation (`undefined` for a shared connection). */
  sessionKey: string | undefined;
  logger: Logger;
  serverRequests: ServerRequestSetup | undefined;
  onLog: ((message: LoggingMessageNotificationParams, call: LogTarget | undefined) => void) | undefined;
}

export class ServerTraffic {
  private readonly options: ServerTrafficOptions;
  private readonly calls = new Set<ActiveCall>();
  /** Aborted when the connection closes: no handler outlives its connection. */
  private readonly lifetime = new AbortController();

  constructor(options: ServerTrafficOptions) {
    this.options = options;
  }

  /** Records a running call; the returned function ends it. */
  enter(call: ActiveCall): () => void {
    this.calls.add(call);
    return () => this.calls.delete(call);
  }

  /** The call running alone, if one is. */
  private soleCall(): ActiveCall | undefined {
    if (this.calls.size !== 1) return undefined;
    return this.calls.values().next().value;
  }

  /** A `notifications/message`, in wire order (the call it was sent during is still running). */
  deliverLog(params: unknown): void {
    const onLog = this.options.onLog;
    if (!onLog || typeof params !== 'object' || params === null) return;
    const message = params as LoggingMessageNotificationParams;
    if (typeof message.level !== 'string') return;
    try {
      onLog(message, this.soleCall());
    } catch (error) {
      this.options.logger.debug(`[${this.options.server}] a log message was dropped: ${String(error)}`);
    }
  }

  /**
   * A request of the server that no call answers itself: a 2025 server-to-client request, or a
   * 2026-07-28 round the SDK runs. When one call is running it is that call's, otherwise the
   * connection's conversation answers. The server is sent only a failed handler's code.
   */
  async answerUnclaimed(
    method: ServerRequestMethod,
    params: unknown,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const call = this.soleCall();
    if (!call && [...this.calls].some((active) => active.handlers)) {
      this.options.logger.debug(
        `[${this.options.server}] ${method} names no call and ${this.calls.size} are running: answered by the connection's handlers, not a call's own`,
      );
    }
    const handlers =
      call?.handlers ??
      this.options.serverRequests?.handlersFor(call?.sessionKey ?? this.options.sessionKey) ??
      {};
    try {
      return await this.answer(method, params, signal, call, handlers);
    } catch (error) {
      this.options.serverRequests?.onFailure(error);
      throw ToolwireError.isInstance(error) ? handlerFailureForServer(error) : error;
    }
  }

  /** Runs `handlers` for one request, aborted with the request, its call or the connection. */
  answer(
    method: ServerRequestMethod,
    params: unknown,
    signal: AbortSignal | undefined,
    call: ActiveCall | undefined,
    handlers: ServerRequestHandlers,
    /** The question's key in a 2026-07-28 input round. */
    inputKey?: string,
  ): Promise<unknown> {
    const signals = [this.lifetime.signal, signal, call?.signal].filter(
      (value): value is AbortSignal => value !== undefined,
    );
    return answerServerRequest(method, params, {
      server: this.options.server,
      sessionKey: call ? call.sessionKey : this.options.sessionKey,
      tool: call?.tool,
      handlers,
      timeoutMs: this.options.serverRequests?.timeoutMs ?? DEFAULT_SERVER_REQUEST_TIMEOUT_MS,
      signal: AbortSignal.any(signals),
      inputKey,
    });
  }

  /** The connection is closing: every handler still answering is aborted (`SERVER_CLOSED`). */
  close(): void {
    this.lifetime.abort(
      new ToolwireError({
        code: 'SERVER_CLOSED',
        server: this.options.server,
        message: `Connection to server "${this.options.server}" closed while a handler was answering it`,
      }),
    );
  }
}
