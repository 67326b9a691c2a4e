/**
 * The SSE frames of a 2026-07-28 `subscriptions/listen` stream (SEP-2575) that the publisher reads
 * or adds to the SDK's own stream: the acknowledgement (always the first event, one chunk) and the
 * notifications it writes itself, stamped with the subscription id.
 */

export const LISTEN_ACK_METHOD = 'notifications/subscriptions/acknowledged';
export const SUBSCRIPTION_ID_KEY = 'io.modelcontextprotocol/subscriptionId';

export interface ListenAck {
  method: string;
  params: { notifications?: Record<string, unknown>; _meta?: Record<string, unknown> };
}

/** The acknowledgement, when `text` (one SSE event) is it. */
export function readListenAck(text: string): ListenAck | undefined {
  const data = text
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trimStart())
    .join('\n');
  if (data === '') return undefined;
  try {
    const message = JSON.parse(data) as Partial<ListenAck>;
    return message.method === LISTEN_ACK_METHOD &&
      typeof message.params === 'object' &&
      message.params !== null
      ? (message as ListenAck)
      : undefined;
  } catch {
    return undefined;
  }
}

/** One notification as an SSE event. */
export const sseFrame = (message: { method: string; params: unknown }): string =>
  `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', ...message })}\n\n`;
