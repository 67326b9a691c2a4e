/**
 * The fast answer of a 2025-era session: a plain `tools/call`, `tools/list` or `ping` POST (one
 * request, no `_meta`, nothing but the usual params) is handed straight to the session's SDK
 * server, without the transport's per-POST machinery (its JSON-RPC schema parse, a stream, an
 * encoder, a priming event, a keep-alive timer, the answer written to the event store and read
 * back out of SSE), and its response goes out as one JSON body. Everything in front of the
 * session (Host/Origin, auth and scopes, the body limit, rate limits, session ownership) has run
 * by then, exactly as for any other request; the SDK server still validates the request and the
 * result and runs the same handlers.
 *
 * What the JSON form cannot carry is handed over to a real SSE stream (`sdk-post-stream.ts`),
 * after which the request is the transport's like any other: the first message about the
 * request that is not its response (a log, progress, a server-to-client request), a
 * `closeSSE`, a cancellation, or an answer not ready within the hold (`ANSWER_HOLD_MS`: a long
 * call gets its stream, and so its priming event, as early as the adaptive answer gives it). A
 * response that is ready first never touches the event store: a JSON answer cannot be resumed.
 * Anything else (batches, other methods, `_meta`, unusual headers, fleets) takes the SDK's path.
 */
import {
  DEFAULT_NEGOTIATED_PROTOCOL_VERSION,
  isJsonContentType,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';
import { isStoreUnavailable } from '../store/store-guard.js';
import { ANSWER_HOLD_MS } from './adaptive-answer.js';
import { jsonRpcError, sessionNotFound, storeUnavailable } from './error-answers.js';
import { isResponseMessage } from './message-kind.js';
import { plainResponse } from './plain-answer.js';
import { openPostStream, supportedVersions, transportAnswers } from './sdk-post-stream.js';

type RequestId = string | number;

/** Methods a fast answer serves, with the params keys each may carry. */
const FAST_METHODS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['tools/call', new Set(['name', 'arguments'])],
  ['tools/list', new Set(['cursor'])],
  ['ping', new Set<string>()],
]);

/**
 * `body` as a request a fast answer may serve, or `undefined` (then the SDK's path serves it,
 * and answers whatever is wrong with it).
 */
export function fastRequestOf(
  request: Request,
  body: unknown,
  transport: WebStandardStreamableHTTPServerTransport,
): JSONRPCRequest | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const message = body as Record<string, unknown>;
  const allowed = typeof message.method === 'string' ? FAST_METHODS.get(message.method) : undefined;
  if (!allowed || message.jsonrpc !== '2.0') return undefined;
  const { id, params } = message;
  if (typeof id !== 'string' && !Number.isSafeInteger(id)) return undefined;
  for (const key in message) {
    if (key !== 'jsonrpc' && key !== 'id' && key !== 'method' && key !== 'params') return undefined;
  }
  if (params !== undefined) {
    if (typeof params !== 'object' || params === null || Array.isArray(params)) return undefined;
    for (const key in params) if (!allowed.has(key)) return undefined;
  }
  const accept = request.headers.get('accept');
  if (!accept?.includes('application/json') || !accept.includes('text/event-stream')) return undefined;
  if (!isJsonContentType(request.headers.get('content-type') ?? '')) return undefined;
  const version = request.headers.get('mcp-protocol-version');
  if (version !== null && !supportedVersions(transport).includes(version)) return undefined;
  return message as unknown as JSONRPCRequest;
}

/** One request being answered fast. */
interface Pending {
  resolve: (response: Response) => void;
  /** Set once the request has its SSE stream (or failed to get one): messages go to the transport. */
  handedOver: Promise<void> | undefined;
  protocolVersion: string;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** What a session lends its fast answers. */
export interface FastAnswerHost {
  readonly transport: WebStandardStreamableHTTPServerTransport;
  /** Hands the request to the session's server (`sdk-dispatch.ts`). */
  dispatch(
    message: JSONRPCRequest,
    extra: Parameters<NonNullable<WebStandardStreamableHTTPServerTransport['onmessage']>>[1],
  ): void;
  /** Whether the session has an event store (then `closeSSE` is offered, as the SDK offers it). */
  readonly resumable: boolean;
  onError(error: Error): void;
}

/** The fast answers of one session (made on its first fast request). */
export class FastAnswers {
  private readonly pending = new Map<RequestId, Pending>();

  constructor(private readonly host: FastAnswerHost) {}

  /** Whether `id` may be answered fast now (no request with that id is being answered). */
  free(id: RequestId): boolean {
    return !this.pending.has(id) && !transportAnswers(this.host.transport, id);
  }

  /** Hands `message` to the session's server; resolves with its JSON answer or its stream. */
  answer(request: Request, message: JSONRPCRequest, authInfo: unknown): Promise<Response> {
    const { transport, resumable } = this.host;
    const id = message.id;
    const protocolVersion =
      request.headers.get('mcp-protocol-version') ?? DEFAULT_NEGOTIATED_PROTOCOL_VERSION;
    return new Promise<Response>((resolve) => {
      const pending: Pending = { resolve, handedOver: undefined, protocolVersion, timer: undefined };
      this.pending.set(id, pending);
      pending.timer = setTimeout(() => void this.handOver(id), ANSWER_HOLD_MS);
      const closeSSE =
        resumable && protocolVersion >= '2025-11-25'
          ? {
              closeSSEStream: () => void this.handOver(id).then(() => transport.closeSSEStream(id)),
              closeStandaloneSSEStream: () => transport.closeStandaloneSSEStream(),
            }
          : {};
      try {
        this.host.dispatch(message, {
          ...(authInfo === undefined ? {} : { authInfo: authInfo as never }),
          request,
          ...closeSSE,
        });
      } catch (error) {
        // Nothing will answer it: the caller's 500 does.
        this.settle(id, pending);
        throw error;
      }
    });
  }

  /**
   * Takes `message` when it concerns a request answered fast: its response becomes the JSON
   * answer; anything else hands the request over to a stream first. `undefined`: not ours.
   */
  intercept(
    message: JSONRPCMessage,
    relatedRequestId: RequestId | undefined,
    send: () => Promise<void>,
  ): Promise<void> | undefined {
    const response = isResponseMessage(message);
    const id = response ? (message as { id: RequestId }).id : relatedRequestId;
    const pending = id === undefined ? undefined : this.pending.get(id);
    if (!pending || id === undefined) return undefined;
    if (response && pending.handedOver === undefined) {
      this.settle(id, pending);
      let text: string;
      try {
        text = JSON.stringify(message);
      } catch (error) {
        this.host.onError(error instanceof Error ? error : new Error(String(error)));
        text = JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32603, message: 'Internal error' } });
      }
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const sessionId = this.host.transport.sessionId;
      if (sessionId !== undefined) headers['mcp-session-id'] = sessionId;
      pending.resolve(plainResponse(text, 200, headers, () => {}));
      return Promise.resolve();
    }
    if (response) this.settle(id, pending);
    return this.handOver(id, pending).then(send);
  }

  /** The client cancelled `id`: the SDK sends no answer then, and the request keeps a stream, as on its path. */
  cancelled(id: RequestId): void {
    if (this.pending.has(id)) void this.handOver(id);
  }

  /** The session closed: requests still waiting for their answer get the unknown-session answer. */
  closed(): void {
    for (const [id, pending] of this.pending) {
      this.settle(id, pending);
      if (pending.handedOver === undefined) {
        pending.resolve(sessionNotFound());
      }
    }
  }

  private settle(id: RequestId, pending: Pending): void {
    clearTimeout(pending.timer);
    if (this.pending.get(id) === pending) this.pending.delete(id);
  }

  /** Gives request `id` its SSE stream (once) and answers the POST with it. */
  private handOver(id: RequestId, given?: Pending): Promise<void> {
    const pending = given ?? this.pending.get(id);
    if (!pending) return Promise.resolve();
    if (pending.handedOver) return pending.handedOver;
    clearTimeout(pending.timer);
    pending.handedOver = openPostStream(this.host.transport, id, pending.protocolVersion).then(
      (response) => pending.resolve(response),
      (error: unknown) => {
        this.host.onError(error instanceof Error ? error : new Error(String(error)));
        pending.resolve(
          isStoreUnavailable(error)
            ? storeUnavailable(id)
            : jsonRpcError(500, -32603, 'Internal server error', { id }),
        );
      },
    );
    // From here on the transport holds the request: its messages go straight to it.
    void pending.handedOver.then(() => this.settle(id, pending));
    return pending.handedOver;
  }
}
