/**
 * SEP-2663 lets a server answer `tools/call` with a task (`resultType: "task"`) instead of a
 * result. The SDK client (`@modelcontextprotocol/client` 2.4) knows only `complete` and
 * `input_required` results on 2026-07-28 and fails such an answer with `UnsupportedResultType`,
 * losing the task id. So the task answer is turned, before the SDK sees it, into a JSON-RPC error
 * reply that carries the task and a per-process nonce (a server cannot forge it); the call that
 * receives it recognises the task with `createdTaskOf` and follows it. Remove this when the SDK
 * returns task results itself.
 */
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';

// Made on first use: Workers forbid random values at module scope, where importing the root would run.
let nonce: string | undefined;
const processNonce = () => {
  nonce ??= globalThis.crypto.randomUUID();
  return nonce;
};
const CARRIER_ERROR_CODE = -32603;

/** Wraps the transport's inbound path so task answers reach the caller as `createdTaskOf` errors. */
export function interceptCreatedTasks(transport: Transport): void {
  const deliver = transport.onmessage;
  transport.onmessage = (message, extra) => {
    const reply = message as { id?: unknown; result?: { resultType?: unknown } };
    if (
      (typeof reply.id === 'string' || typeof reply.id === 'number') &&
      typeof reply.result === 'object' &&
      reply.result !== null &&
      reply.result.resultType === 'task'
    ) {
      const carrier = {
        jsonrpc: '2.0',
        id: reply.id,
        error: {
          code: CARRIER_ERROR_CODE,
          message: 'the server answered with a task',
          data: { toolwireCreatedTask: reply.result, nonce: processNonce() },
        },
      } as JSONRPCMessage;
      deliver?.(carrier, extra);
      return;
    }
    deliver?.(message, extra);
  };
}

/** The task a server answered with, when `error` is our carrier for it. */
export function createdTaskOf(error: unknown): Record<string, unknown> | undefined {
  // No carrier was ever made before the nonce exists.
  if (nonce === undefined) return undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const data = (current as { data?: { toolwireCreatedTask?: unknown; nonce?: unknown } }).data;
    if (data?.nonce === nonce && typeof data.toolwireCreatedTask === 'object') {
      return data.toolwireCreatedTask as Record<string, unknown>;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
