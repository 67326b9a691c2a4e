/**
 * `notifications/tasks` (SEP-2663) on `subscriptions/listen` streams (SEP-2575). The SDK's listen
 * router knows only list-changed and resource notifications, so the publisher wraps the stream it
 * serves: the acknowledgement gains `tasks: true` when the client asked for it, and each status
 * change of a task owned by the stream's principal is written as one more SSE event, stamped with
 * the subscription id. Tasks of other principals never reach the stream.
 */
import { sseFrame as frame, readListenAck as readAck, SUBSCRIPTION_ID_KEY } from '../server/listen-frames.js';
import { type ListenStreamWriter, passListenStream } from '../server/listen-stream.js';
import type { TaskEvents } from './task-events.js';
import { toDetailedTask } from './task-record.js';

/** The `SubscriptionFilter` key a client sets to receive task status notifications. */
export const TASKS_FILTER_KEY = 'tasks';
export const TASK_STATUS_METHOD = 'notifications/tasks';

/** True when a `subscriptions/listen` request body opts in to task status notifications. */
export function wantsTaskStatus(body: unknown): boolean {
  const params = (body as { params?: { notifications?: Record<string, unknown> } } | undefined)?.params;
  return params?.notifications?.[TASKS_FILTER_KEY] === true;
}

/** Every stream carrying task status notifications, so shutdown can end them. */
export interface TaskStatusStreams {
  /**
   * `response` (the SDK's listen stream) with the status changes of `owner`'s tasks added. Until
   * the acknowledgement has gone out nothing is added (the spec puts it first).
   */
  wrap(response: Response, owner: string): Response;
  /** Ends the streams the publisher keeps open itself (see below), as the SDK ends its own. */
  close(): void;
}

/**
 * The SDK ends a listen stream right after its acknowledgement when it honors none of the
 * requested types; a stream that asked for `tasks` alone is kept open here instead (with SSE
 * keepalives every `keepAliveMs`) until the client leaves or the publisher closes.
 */
export function createTaskStatusStreams(events: TaskEvents, keepAliveMs = 15_000): TaskStatusStreams {
  const held: Held = { ends: new Set(), closing: false };
  return {
    wrap: (response, owner) => wrapStream(response, owner, events, held, keepAliveMs),
    close() {
      held.closing = true;
      for (const end of [...held.ends]) end(true);
    },
  };
}

interface Held {
  ends: Set<(graceful: boolean) => void>;
  /** Set once the publisher closes: a stream that would be held ends instead. */
  closing: boolean;
}

function wrapStream(
  response: Response,
  owner: string,
  events: TaskEvents,
  held: Held,
  keepAliveMs: number,
): Response {
  let subscriptionId: unknown;
  let unsubscribe: (() => void) | undefined;
  // Set when the SDK honors nothing but `tasks`: its closing frame waits for our own end.
  let holding = false;
  let closingFrame: Uint8Array | undefined;
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  let ended = false;
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let writer: ListenStreamWriter | undefined;
  const end = (graceful: boolean) => {
    if (ended) return;
    ended = true;
    unsubscribe?.();
    if (keepAlive !== undefined) clearInterval(keepAlive);
    held.ends.delete(end);
    if (graceful && closingFrame) {
      try {
        writer?.enqueue(closingFrame);
      } catch {
        // Already closed or cancelled.
      }
    }
    writer?.close();
    release();
  };
  const write = (text: string) => {
    // A stream already closed ends here too.
    if (!writer?.write(text)) end(false);
  };
  return (
    passListenStream(response, {
      chunk(chunk, given) {
        writer = given;
        if (subscriptionId !== undefined) {
          // While holding, the SDK's own closing frame is kept for our end; keepalives are dropped.
          if (holding) closingFrame ??= isClosingFrame(given.text(chunk)) ? chunk : undefined;
          else given.enqueue(chunk);
          return;
        }
        // The first event is the acknowledgement.
        const ack = readAck(given.text(chunk));
        if (!ack) {
          given.enqueue(chunk);
          return;
        }
        subscriptionId = ack.params._meta?.[SUBSCRIPTION_ID_KEY] ?? null;
        holding = Object.keys(ack.params.notifications ?? {}).length === 0;
        ack.params.notifications = { ...ack.params.notifications, [TASKS_FILTER_KEY]: true };
        given.write(frame(ack));
        unsubscribe = events.subscribe((record) => {
          if (record.owner !== owner || ended) return;
          const params = toDetailedTask(record);
          params._meta = {
            ...(params._meta as Record<string, unknown> | undefined),
            [SUBSCRIPTION_ID_KEY]: subscriptionId,
          };
          write(frame({ method: TASK_STATUS_METHOD, params }));
        });
      },
      done(given) {
        writer = given;
        if (!holding || ended) return end(false);
        if (held.closing) return end(true);
        keepAlive = setInterval(() => write(': keepalive\n\n'), keepAliveMs);
        held.ends.add(end);
        return released;
      },
      failed() {
        unsubscribe?.();
        ended = true;
      },
      cancelled: () => end(false),
    }) ?? response
  );
}

function isClosingFrame(text: string): boolean {
  return /"resultType":"complete"/.test(text) && !text.includes('"method"');
}
