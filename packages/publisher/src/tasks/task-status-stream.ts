/**
 * `notifications/tasks` (SEP-2663) on `subscriptions/listen` streams (SEP-2575). The SDK's listen
 * router knows only list-changed and resource notifications, so the publisher wraps the stream it
 * serves: the acknowledgement gains `tasks: true` when the client asked for it, and each status
 * change of a task owned by the stream's principal is written as one more SSE event, stamped with
 * the subscription id. Tasks of other principals never reach the stream.
 */
import type { TaskEvents } from './task-events.js';
import { toDetailedTask } from './task-record.js';

/** The `SubscriptionFilter` key a client sets to receive task status notifications. */
export const TASKS_FILTER_KEY = 'tasks';
export const TASK_STATUS_METHOD = 'notifications/tasks';
const ACK_METHOD = 'notifications/subscriptions/acknowledged';
const SUBSCRIPTION_ID_KEY = 'io.modelcontextprotocol/subscriptionId';

/** True when a `subscriptions/listen` request body opts in to task status notifications. */
export function wantsTaskStatus(body: unknown): boolean {
  const params = (body as { params?: { notifications?: Record<string, unknown> } } | undefined)?.params;
  return params?.notifications?.[TASKS_FILTER_KEY] === true;
}

/**
 * `response` (the SDK's listen stream) with the status changes of `owner`'s tasks added. Until
 * the acknowledgement has gone out nothing is added (the spec puts it first).
 */
export function withTaskStatus(response: Response, owner: string, events: TaskEvents): Response {
  const type = response.headers.get('content-type') ?? '';
  if (!response.body || !type.includes('text/event-stream')) return response;
  const reader = response.body.getReader();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let subscriptionId: unknown;
  let unsubscribe: (() => void) | undefined;
  const stop = () => {
    unsubscribe?.();
    unsubscribe = undefined;
  };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        stop();
        controller.error(error);
        return;
      }
      if (chunk.done) {
        stop();
        controller.close();
        return;
      }
      if (subscriptionId !== undefined) {
        controller.enqueue(chunk.value);
        return;
      }
      // The SDK writes each SSE event as one chunk; the first one is the acknowledgement.
      const ack = readAck(decoder.decode(chunk.value));
      if (!ack) {
        controller.enqueue(chunk.value);
        return;
      }
      subscriptionId = ack.params._meta?.[SUBSCRIPTION_ID_KEY] ?? null;
      ack.params.notifications = { ...ack.params.notifications, [TASKS_FILTER_KEY]: true };
      controller.enqueue(encoder.encode(frame(ack)));
      unsubscribe = events.subscribe((record) => {
        if (record.owner !== owner) return;
        const params = toDetailedTask(record);
        params._meta = {
          ...(params._meta as Record<string, unknown> | undefined),
          [SUBSCRIPTION_ID_KEY]: subscriptionId,
        };
        try {
          controller.enqueue(encoder.encode(frame({ method: TASK_STATUS_METHOD, params })));
        } catch {
          stop(); // The stream is already closed.
        }
      });
    },
    cancel(reason) {
      stop();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
}

interface AckMessage {
  method: string;
  params: { notifications?: Record<string, unknown>; _meta?: Record<string, unknown> };
}

function readAck(text: string): AckMessage | undefined {
  const data = text
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trimStart())
    .join('\n');
  if (data === '') return undefined;
  try {
    const message = JSON.parse(data) as Partial<AckMessage>;
    return message.method === ACK_METHOD && typeof message.params === 'object' && message.params !== null
      ? (message as AckMessage)
      : undefined;
  } catch {
    return undefined;
  }
}

const frame = (message: { method: string; params: unknown }) =>
  `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', ...message })}\n\n`;
