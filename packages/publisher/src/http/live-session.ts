/**
 * One live 2025-era session on this instance: its SDK server and transport, its view of the
 * event store, who owns it, and what it is doing. Two hooks on the transport make the rest of
 * the session machinery possible: incoming requests and outgoing responses are counted (a
 * session answering a request is busy and is never evicted), and a response the event store
 * cannot keep becomes a JSON-RPC error for that request on the same stream instead of a stream
 * left waiting forever. Other messages (progress, logs, server-to-client requests) are then sent
 * without an event id: best effort, not part of any result.
 */
import {
  type JSONRPCErrorResponse,
  type JSONRPCMessage,
  type McpServer,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';
import type { FleetLink } from '../fleet/fleet-link.js';
import { buildServer, type ServerBlueprint } from '../server/build-server.js';
import { channelOf } from '../server/call-channel.js';
import { type ScopedEventStore, scopeEventStore } from '../store/scoped-event-store.js';
import type { SessionEventStore } from '../store/session-event-store.js';
import { isStoreUnavailable } from '../store/store-guard.js';
import { STORE_UNAVAILABLE_CODE, STORE_UNAVAILABLE_MESSAGE } from './error-answers.js';
import { FastAnswers, fastRequestOf } from './fast-answer.js';
import {
  isErrorMessage,
  isNotificationMessage,
  isRequestMessage,
  isResponseMessage,
} from './message-kind.js';
import { dispatchRequest } from './sdk-dispatch.js';

type RequestId = string | number;

export interface LiveSessionOptions {
  id: string;
  owner: string;
  blueprint: ServerBlueprint;
  /** The (bounded) event store; the session sees only its own events. */
  events: SessionEventStore | undefined;
  maxBodyBytes: number;
  onError: (error: Error) => void;
  /** In a fleet: tags the session's requests so answers come back here, and announces its streams. */
  fleet?: FleetLink | undefined;
  /** Runs when the transport accepts `initialize`, before the server sees it; throwing refuses it. */
  onInitialized?: ((id: string) => Promise<void>) | undefined;
  /** Runs once the client was told that `initialize` failed: the session never came to be. */
  onInitializeFailed: (session: LiveSession) => void;
  /** Runs when the client ends the session (DELETE). */
  onDeleted: (session: LiveSession) => Promise<void>;
  /** Runs when the transport closes, for any reason. */
  onClosed: (session: LiveSession) => void;
}

export class LiveSession {
  readonly id: string;
  readonly owner: string;
  readonly server: McpServer;
  readonly transport: WebStandardStreamableHTTPServerTransport;
  readonly events: ScopedEventStore | undefined;
  /** Last request (ms since epoch). */
  lastSeen = Date.now();
  /** A request followed `initialize` (a bare `initialize` costs its sender nothing; it goes first). */
  established = false;
  /** The requests being answered; none (most of a session's life) holds no set. */
  private answering: Set<RequestId> | undefined;
  /** Made when first asked for (a relayed stream) or at close: most idle sessions never need one. */
  private closing: AbortController | undefined;
  private transportClosed = false;
  /** Made on the first `quiet()`. */
  private quieted: WeakSet<Error> | undefined;
  private initializeId: RequestId | undefined;
  /** The POST that carried `initialize`, until its answer is sent. */
  private initializeRequest: unknown;
  /** Made on the first fast answer (`fast-answer.ts`). */
  private fast: FastAnswers | undefined;
  private readonly onError: (error: Error) => void;

  private constructor(given: LiveSessionOptions) {
    // The closures below keep `options` for the session's life: without `onInitialized`, which
    // runs once and holds the `initialize` request.
    const { onInitialized, ...options } = given;
    this.id = options.id;
    this.owner = options.owner;
    this.onError = options.onError;
    this.events = options.events
      ? scopeEventStore(options.events, options.id, this.streamHooks(options))
      : undefined;
    this.transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => options.id,
      maxRequestBodySize: options.maxBodyBytes,
      ...(this.events ? { eventStore: this.events } : {}),
      ...(onInitialized ? { onsessioninitialized: this.initializedOnce(onInitialized) } : {}),
      onsessionclosed: () => options.onDeleted(this),
    });
    this.server = buildServer(options.blueprint, 'legacy', { followChanges: true });
    this.server.server.onerror = (error) => {
      if (!this.quieted?.has(error)) options.onError(error);
    };
    this.transport.onclose = () => {
      this.transportClosed = true;
      this.closing?.abort();
      this.fast?.closed();
      options.onClosed(this);
    };
    this.transport.onmessage = (message, extra) => this.received(message, extra?.request);
    const send = this.transport.send.bind(this.transport);
    this.transport.send = (message, sendOptions) =>
      this.sent(
        message,
        (out) =>
          this.fast?.intercept(out, sendOptions?.relatedRequestId, () => send(out, sendOptions)) ??
          send(out, sendOptions),
        options,
      );
  }

  /** Builds the session's server and transport and connects them. */
  static async open(options: LiveSessionOptions): Promise<LiveSession> {
    const session = new LiveSession(options);
    await session.server.connect(session.transport);
    return session;
  }

  /** Aborts when the session closes on this instance (its relayed streams end with it). */
  get closed(): AbortSignal {
    if (!this.closing) {
      this.closing = new AbortController();
      if (this.transportClosed) this.closing.abort();
    }
    return this.closing.signal;
  }

  /** Answering at least one request right now. */
  get busy(): boolean {
    return this.answering !== undefined;
  }

  /** Marks an error the session manager reports itself, so the transport's echo of it is not reported twice. */
  quiet<E extends Error>(error: E): E {
    this.quieted ??= new WeakSet();
    this.quieted.add(error);
    return error;
  }

  /**
   * Hands the session a message that reached the fleet through another instance (an answer to
   * one of this session's requests, a cancellation), as if its own client had posted it here.
   */
  deliver(message: JSONRPCMessage): void {
    this.transport.onmessage?.(message);
  }

  /**
   * Answers a plain request (`fast-answer.ts`) without the transport's per-POST work, or returns
   * `undefined` when the request needs the transport's own path.
   */
  answerFast(request: Request, body: unknown, authInfo: unknown): Promise<Response> | undefined {
    if (this.transportClosed) return undefined;
    const message = fastRequestOf(request, body, this.transport);
    if (!message) return undefined;
    this.fast ??= new FastAnswers({
      transport: this.transport,
      dispatch: (request, extra) =>
        dispatchRequest(this.server, this.transport, request, extra, (seen, given) =>
          this.received(seen, given?.request),
        ),
      resumable: this.events !== undefined,
      onError: this.onError,
    });
    if (!this.fast.free(message.id)) return undefined;
    return this.fast.answer(request, message, authInfo);
  }

  /** Closes the server and its transport (open streams end). */
  async close(): Promise<void> {
    await this.server.close();
  }

  /**
   * The transport keeps its `onsessioninitialized` hook for the session's life, but it runs once:
   * what the hook holds (the `initialize` request and its exchange) is let go after that run.
   */
  private initializedOnce(hook: (id: string) => Promise<void>): (id: string) => Promise<void> {
    let pending: ((id: string) => Promise<void>) | undefined = hook;
    return (id) => {
      const run = pending;
      pending = undefined;
      return run ? run(id) : Promise.resolve();
    };
  }

  /** In a fleet: the hooks by which this session's streams announce themselves (see `FleetLink`). */
  private streamHooks(options: Omit<LiveSessionOptions, 'onInitialized'>) {
    return options.fleet?.streamHooks(options.id, (streamId) => {
      if (this.events?.paused) return undefined;
      // The SDK maps a POST's requests to their stream before the stream's priming event.
      const mapping = (this.transport as unknown as { _requestToStreamMapping?: Map<RequestId, string> })
        ._requestToStreamMapping;
      return [...(mapping?.entries() ?? [])].filter(([, stream]) => stream === streamId).map(([id]) => id);
    });
  }

  private answered(id: RequestId): void {
    this.answering?.delete(id);
    if (this.answering?.size === 0) this.answering = undefined;
  }

  private received(message: JSONRPCMessage, request: unknown): void {
    if (isRequestMessage(message)) {
      this.answering ??= new Set();
      this.answering.add(message.id);
      if (message.method === 'initialize') {
        this.initializeId = message.id;
        this.initializeRequest = request;
      }
    } else if (isNotificationMessage(message) && message.method === 'notifications/cancelled') {
      // A cancelled request is never answered.
      const requestId = (message.params as { requestId?: RequestId } | undefined)?.requestId;
      if (requestId !== undefined) {
        this.answered(requestId);
        this.fast?.cancelled(requestId);
      }
    }
  }

  private async sent(
    outgoing: JSONRPCMessage,
    send: (message: JSONRPCMessage) => Promise<void>,
    options: Omit<LiveSessionOptions, 'onInitialized'>,
  ): Promise<void> {
    const message =
      options.fleet && isRequestMessage(outgoing) ? await options.fleet.tag(outgoing) : outgoing;
    const response = isResponseMessage(message);
    let answeredWithError = isErrorMessage(message);
    if (response && message.id === this.initializeId && this.initializeRequest !== undefined) {
      // An answer that goes out as one JSON body (`adaptive-answer.ts`) can never be resumed:
      // keeping it would cost every idle session its stored copy for nothing.
      if (channelOf(this.initializeRequest)?.answersInOneBody()) this.events?.skip(message);
      this.initializeRequest = undefined;
    }
    try {
      await send(message);
    } catch (error) {
      if (!isStoreUnavailable(error) || !this.events) throw error;
      options.onError(error);
      if (!response) {
        this.events.skip(message);
        await send(message);
        return;
      }
      const refusal: JSONRPCErrorResponse = {
        jsonrpc: '2.0',
        id: message.id,
        error: { code: STORE_UNAVAILABLE_CODE, message: STORE_UNAVAILABLE_MESSAGE },
      };
      this.events.skip(refusal);
      answeredWithError = true;
      try {
        await send(refusal);
      } finally {
        this.events.unskip(refusal);
      }
    } finally {
      // A skip the send never reached (the stream was gone) is not kept for the session's life.
      this.events?.unskip(message);
      if (response && message.id !== null && message.id !== undefined) {
        this.answered(message.id);
        if (message.id === this.initializeId && answeredWithError) options.onInitializeFailed(this);
      }
    }
  }
}
