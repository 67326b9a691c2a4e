/**
 * The one check every inbound MCP message goes through, whatever the transport: a message larger
 * than the server's `maxMessageBytes` is never buffered whole, and a reply whose shape is wrong
 * (`result: 42`) is never silently dropped. Either becomes a *fault reply*: a JSON-RPC error for
 * the request it answers, so that request fails at once with a typed error (`RESULT_TOO_LARGE`,
 * `PROTOCOL_ERROR`) instead of waiting for its timeout while the connection stays usable. Fault
 * replies carry a per-process nonce, so a server cannot forge one.
 */
import type { JSONRPCMessage } from '@modelcontextprotocol/client';

/** Bytes kept from each end of an oversized message, to find the id of the request it answers. */
export const SNIFF_BYTES = 1024;

// Made on first use: Workers forbid random values at module scope, where importing the root would run.
let nonce: string | undefined;
const processNonce = () => {
  nonce ??= globalThis.crypto.randomUUID();
  return nonce;
};
const FAULT_ERROR_CODE = -32603;

export type InboundFault =
  | { kind: 'too-large'; limitBytes: number; sizeBytes: number }
  | { kind: 'malformed'; detail: string }
  /** The response stream of a request ended (cut, or a resume refused) before its reply came. */
  | { kind: 'stream-ended' };

type RequestId = string | number;

/** An oversized line whose request could not be identified: the connection cannot recover it. */
export class UnattributedOversizeError extends Error {
  override name = 'UnattributedOversizeError';
  readonly limitBytes: number;
  readonly sizeBytes: number;
  constructor(limitBytes: number, sizeBytes: number) {
    super(
      `a message of ${sizeBytes} bytes exceeded the ${limitBytes}-byte limit and could not be matched to a request`,
    );
    this.limitBytes = limitBytes;
    this.sizeBytes = sizeBytes;
  }
}

/** A JSON-RPC error reply standing in for a reply we could not accept. */
export function faultReply(id: RequestId, fault: InboundFault): JSONRPCMessage {
  return {
    jsonrpc: '2.0',
    id,
    error: {
      code: FAULT_ERROR_CODE,
      message:
        fault.kind === 'too-large'
          ? `reply larger than the ${fault.limitBytes}-byte message limit`
          : fault.kind === 'malformed'
            ? `malformed reply: ${fault.detail}`
            : 'the response stream ended before the reply',
      data: { toolwireFault: fault, nonce: processNonce() },
    },
  } as JSONRPCMessage;
}

/** The fault behind an SDK error raised by one of our fault replies, if it is one. */
export function inboundFaultOf(error: unknown): InboundFault | undefined {
  const data = (error as { data?: { toolwireFault?: InboundFault; nonce?: unknown } } | undefined)?.data;
  return nonce !== undefined && data?.nonce === nonce ? data.toolwireFault : undefined;
}

/**
 * A reply (an object with an id and no method) whose shape the SDK would reject and drop — so
 * its request would wait for the timeout — becomes a fault reply. Anything else is `undefined`.
 */
export function checkReplyShape(value: unknown): JSONRPCMessage | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const message = value as Record<string, unknown>;
  const id = message.id;
  if ((typeof id !== 'string' && typeof id !== 'number') || 'method' in message) return undefined;
  const problem = replyProblem(message);
  return problem === undefined ? undefined : faultReply(id, { kind: 'malformed', detail: problem });
}

function replyProblem(message: Record<string, unknown>): string | undefined {
  if (message.jsonrpc !== '2.0') return `"jsonrpc" must be "2.0", got ${preview(message.jsonrpc)}`;
  const hasResult = 'result' in message;
  const hasError = 'error' in message;
  if (hasResult && hasError) return 'has both "result" and "error"';
  if (hasResult) {
    const result = message.result;
    if (typeof result !== 'object' || result === null || Array.isArray(result)) {
      return `"result" must be an object, got ${kindOf(result)}`;
    }
    return undefined;
  }
  if (hasError) {
    const error = message.error as { code?: unknown; message?: unknown } | null;
    if (typeof error !== 'object' || error === null || !Number.isInteger(error.code)) {
      return '"error" must be an object with an integer "code"';
    }
    if (typeof error.message !== 'string') return '"error.message" must be a string';
    return undefined;
  }
  return 'has neither "result" nor "error"';
}

/**
 * The id of the JSON-RPC reply an oversized message was, read from its first and last bytes only:
 * a top-level `"id"` is written before or after the (large) result by every serializer we know.
 */
export function sniffReplyId(head: string, tail: string): RequestId | undefined {
  const before = /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.){0,200}")/.exec(
    head,
  );
  const after =
    /,\s*"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.){0,200}")\s*(?:,\s*"jsonrpc"\s*:\s*"2\.0"\s*)?\}\s*$/.exec(tail);
  const raw = before?.[1] ?? after?.[1];
  if (raw === undefined) return undefined;
  try {
    const id = JSON.parse(raw) as unknown;
    return typeof id === 'number' || typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Whether an oversized message was a reply (it has a `result` or `error` near its start). */
export function looksLikeReply(head: string): boolean {
  return /"(result|error)"\s*:/.test(head) && !/^\s*\{[^{]*"method"\s*:/.test(head);
}

/** Ids of the requests in an outgoing JSON-RPC body (one message or a batch). */
export function requestIdsOf(body: unknown): RequestId[] {
  if (typeof body !== 'string') return [];
  try {
    const parsed = JSON.parse(body) as unknown;
    const messages = Array.isArray(parsed) ? parsed : [parsed];
    return messages.flatMap((message) => {
      const candidate = message as { id?: unknown; method?: unknown };
      return typeof candidate?.method === 'string' &&
        (typeof candidate.id === 'string' || typeof candidate.id === 'number')
        ? [candidate.id]
        : [];
    });
  } catch {
    return [];
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `${typeof value} ${preview(value)}`;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
