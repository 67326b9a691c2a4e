/**
 * Recognises, without a schema, the commonest message a client reads: a reply with a result and
 * nothing else, `{"jsonrpc": "2.0", "id": …, "result": {…}}` whose result carries no `_meta`. The
 * SDK's `parseJSONRPCMessage` accepts exactly such a message as it is (its result schema is an
 * open object whose only field is `_meta`), but reaches it through a union whose request and
 * notification branches fail first, building their issues each time: the largest part of reading
 * a reply. Whatever is not this shape still goes through the SDK's parse. The result itself is
 * checked later, against the schema of the method it answers.
 */
import type { JSONRPCMessage } from '@modelcontextprotocol/client';

/** `value` as a JSON-RPC result reply when it is plainly one; `undefined`: let the schema decide. */
export function plainResultReply(value: unknown): JSONRPCMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as { jsonrpc?: unknown; id?: unknown; result?: unknown };
  if (message.jsonrpc !== '2.0') return undefined;
  const id = message.id;
  if (typeof id !== 'string' && !Number.isInteger(id)) return undefined;
  const result = message.result as { _meta?: unknown } | null | undefined;
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return undefined;
  if (result._meta !== undefined) return undefined;
  // The envelope is strict: a fourth key (`error`, `method`, anything) is the schema's to judge.
  let keys = 0;
  for (const _key in message) keys++;
  return keys === 3 ? (message as JSONRPCMessage) : undefined;
}
