/**
 * A lighter path for the commonest request, a plain `tools/call` on a 2025-era connection:
 * core sends it on the SDK's transport and correlates the response itself, instead of going
 * through the SDK client's `callTool` → `Protocol.request` (its awaited cache look-ups, option
 * spreading, timeout bookkeeping and promise layers were about half of what a sequential call
 * cost on our side). The request is the one the SDK would send: its id comes from the client's
 * own counter (one id space, so neither side can mistake the other's response), the result is
 * decoded and checked by the same era codec (`decodeResult`, `validateResult`; a result of text
 * blocks alone, which that schema returns unchanged, is recognised without it), the structured
 * content against the tool's `outputSchema` as `Client.callTool` checks it, a timeout or an abort
 * sends the same `notifications/cancelled`, and a closed transport fails the call with the SDK's
 * `ConnectionClosed`. Errors are the SDK's types, so `map-error.ts` maps them unchanged.
 *
 * Everything else stays with the SDK client: server requests and notifications (only responses
 * to our own ids are taken off the transport), calls with a progress handler or their own input
 * rounds, and every 2026-07-28 connection (per-request metadata, input rounds, result types).
 * When the SDK internals this leans on are missing (a later SDK), nothing is installed and every
 * call takes the SDK's path.
 */
import {
  type CallToolRequest,
  type CallToolResult,
  type Client,
  type JSONRPCMessage,
  type jsonSchemaValidator,
  ProtocolError,
  SdkError,
  SdkErrorCode,
  type Tool,
  type Transport,
} from '@modelcontextprotocol/client';
import { CallDeadlines } from './call-deadlines.js';
import { isPlainTextResult } from './plain-text-result.js';
import { checkStructuredContent, type StructuredContentCheck } from './structured-content-check.js';

type Outcome = { ok: true; value: unknown } | { ok: false; reason: string; message?: string };

/** What the SDK client's era codec does with a result (SDK internals). */
interface ResultCodec {
  decodeResult(method: string, raw: unknown): { kind: string; result?: unknown; error?: unknown };
  validateResult(method: string, raw: unknown): Outcome;
}

/** The SDK client's internals used here; checked once at install. */
interface ClientInternals {
  _requestMessageId: number;
  _resolveOutboundCodec(method: string): ResultCodec | undefined;
}

interface PendingCall {
  resolve(result: CallToolResult): void;
  reject(error: unknown): void;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  params: CallToolRequest['params'];
  tool: Tool | undefined;
}

export interface DirectCallOptions {
  signal?: AbortSignal | undefined;
  timeoutMs: number;
  /** Extra HTTP headers of this request (interceptors, the caller's context); stdio has none. */
  headers?: Record<string, string> | undefined;
  /** The tool as listed, for its `outputSchema`. */
  tool: Tool | undefined;
}

const METHOD = 'tools/call';

export class DirectToolCalls {
  private readonly pending = new Map<number, PendingCall>();
  private readonly client: ClientInternals;
  private readonly transport: Transport;
  private readonly check: StructuredContentCheck;
  /** One timer for every pending call's timeout (`call-deadlines.ts`). */
  private readonly deadlines = new CallDeadlines<number>((id) => this.timedOut(id));
  private closed = false;

  private constructor(client: ClientInternals, transport: Transport, validator: jsonSchemaValidator) {
    this.client = client;
    this.transport = transport;
    this.check = { validator, compiled: new WeakMap() };
    const deliver = transport.onmessage;
    transport.onmessage = (message, extra) => {
      if (!this.take(message)) deliver?.(message, extra);
    };
    const closed = transport.onclose;
    transport.onclose = () => {
      try {
        closed?.();
      } finally {
        this.failAll(new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'));
      }
    };
  }

  /**
   * Installs the path on a connected 2025-era client and its transport, after the SDK's own
   * `onmessage` is in place; `undefined` (the SDK's path for every call) on a 2026-07-28
   * connection or when the SDK internals it needs are not there.
   */
  static install(
    client: Client,
    transport: Transport,
    validator: jsonSchemaValidator | undefined,
  ): DirectToolCalls | undefined {
    if (!validator || client.getProtocolEra() !== 'legacy') return undefined;
    const internals = client as unknown as Partial<ClientInternals>;
    if (typeof internals._requestMessageId !== 'number') return undefined;
    if (typeof internals._resolveOutboundCodec !== 'function') return undefined;
    const codec = internals._resolveOutboundCodec.call(client, METHOD);
    if (typeof codec?.decodeResult !== 'function' || typeof codec.validateResult !== 'function') {
      return undefined;
    }
    return new DirectToolCalls(internals as ClientInternals, transport, validator);
  }

  /** Sends `tools/call` and resolves with its checked result (rejects with the SDK's error types). */
  call(params: CallToolRequest['params'], options: DirectCallOptions): Promise<CallToolResult> {
    return new Promise<CallToolResult>((resolve, reject) => {
      if (this.closed) {
        reject(new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'));
        return;
      }
      const { signal, timeoutMs } = options;
      if (signal?.aborted) {
        reject(asSdkError(signal.reason));
        return;
      }
      const id = this.client._requestMessageId++;
      const onAbort = signal ? () => this.cancel(id, signal.reason) : undefined;
      if (signal && onAbort) signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, { resolve, reject, timeoutMs, signal, onAbort, params, tool: options.tool });
      this.deadlines.add(id, timeoutMs);
      const request = { jsonrpc: '2.0', id, method: METHOD, params } as JSONRPCMessage;
      this.transport
        .send(request, options.headers ? { headers: options.headers } : undefined)
        .catch((error: unknown) => {
          if (this.settle(id)) reject(error);
        });
    });
  }

  /** Takes a response to one of our requests off the wire; false for anything else. */
  private take(message: JSONRPCMessage): boolean {
    const reply = message as { id?: unknown; result?: unknown; error?: unknown };
    if (typeof reply.id !== 'number' || (reply.result === undefined && reply.error === undefined)) {
      return false;
    }
    const call = this.pending.get(reply.id);
    if (!call || !this.settle(reply.id)) return false;
    if (reply.error !== undefined) {
      const { code, message: text, data } = reply.error as { code: number; message: string; data?: unknown };
      call.reject(ProtocolError.fromError(code, text, data));
      return true;
    }
    try {
      call.resolve(this.decode(reply.result, call));
    } catch (error) {
      call.reject(error);
    }
    return true;
  }

  /** What the SDK's response funnel and `Client.callTool` do with a 2025-era result. */
  private decode(raw: unknown, call: PendingCall): CallToolResult {
    // Resolved per response, as the SDK does: the codec is the connection's negotiated one.
    const codec = this.client._resolveOutboundCodec(METHOD) as ResultCodec;
    const decoded = codec.decodeResult(METHOD, raw);
    if (decoded.kind === 'invalid') throw decoded.error;
    if (decoded.kind !== 'complete') {
      throw new SdkError(SdkErrorCode.InvalidResult, `Invalid result for ${METHOD}: ${decoded.kind}`);
    }
    const result = isPlainTextResult(decoded.result) ? decoded.result : this.validate(codec, decoded.result);
    checkStructuredContent(result, call.tool, call.params.name, this.check);
    return result;
  }

  /** The era schema's check of a result, as the SDK's response funnel makes it. */
  private validate(codec: ResultCodec, raw: unknown): CallToolResult {
    const outcome = codec.validateResult(METHOD, raw);
    if (!outcome.ok) {
      const reason = outcome.reason === 'invalid' ? String(outcome.message) : `not-in-era: ${METHOD}`;
      throw new SdkError(SdkErrorCode.InvalidResult, `Invalid result for ${METHOD}: ${reason}`);
    }
    return outcome.value as CallToolResult;
  }

  /** A pending call's deadline passed: it fails with the SDK's timeout error. */
  private timedOut(id: number): void {
    const call = this.pending.get(id);
    if (!call) return;
    const { timeoutMs } = call;
    this.cancel(id, new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out', { timeout: timeoutMs }));
  }

  /** A timeout or the caller's abort: the server is told, the call fails as the SDK's would. */
  private cancel(id: number, reason: unknown): void {
    const call = this.pending.get(id);
    if (!call || !this.settle(id)) return;
    const notice = {
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: id, reason: String(reason) },
    } as JSONRPCMessage;
    this.transport.send(notice).catch(() => {});
    call.reject(asSdkError(reason));
  }

  /** Forgets a pending call (its deadline and abort listener); false when it was already settled. */
  private settle(id: number): boolean {
    const call = this.pending.get(id);
    if (!call) return false;
    this.pending.delete(id);
    this.deadlines.delete(id);
    if (call.onAbort) call.signal?.removeEventListener('abort', call.onAbort);
    return true;
  }

  private failAll(error: SdkError): void {
    this.closed = true;
    for (const [id, call] of [...this.pending]) {
      this.settle(id);
      call.reject(error);
    }
    this.deadlines.clear();
  }

  /** Calls waiting for their response (for tests). */
  get pendingCount(): number {
    return this.pending.size;
  }
}

/** The SDK's own rule for a cancelled request's error. */
function asSdkError(reason: unknown): SdkError {
  return reason instanceof SdkError ? reason : new SdkError(SdkErrorCode.RequestTimeout, String(reason));
}
