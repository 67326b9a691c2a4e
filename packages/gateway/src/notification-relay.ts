/**
 * The relay of one forwarded call's upstream notifications to its downstream caller, with a bound.
 * The publisher holds a caller's stream to a fixed number of bytes and makes `reportProgress` /
 * `log` wait while the caller does not read; the upstream, though, keeps sending, and each of its
 * notifications handed on is a send still waiting. Without a bound, an upstream that floods a
 * caller who reads slowly (or not at all) grows the gateway's memory with every notification.
 *
 * At most `maxPending` sends wait at once. Beyond that, progress is coalesced (only the latest
 * waits, sent when a slot frees: progress is a running figure, the latest says it all) and log
 * notifications are dropped (and counted). A caller who reads gets every notification, in order.
 */

/** Sends waiting per call before progress is coalesced and logs dropped. */
export const MAX_PENDING_NOTIFICATIONS = 64;

export interface NotificationRelay {
  /** Hands on a progress notification (the latest one waits when the bound is reached). */
  progress(send: () => Promise<void>): void;
  /** Hands on a log notification (dropped when the bound is reached). */
  log(send: () => Promise<void>): void;
  /** Whether anything was handed on and may still be waiting. */
  readonly busy: boolean;
  /** Log notifications dropped so far. */
  readonly droppedLogs: number;
  /** Resolves once everything handed on (and the latest coalesced progress) has been sent. */
  settled(): Promise<void>;
}

export function createNotificationRelay(maxPending = MAX_PENDING_NOTIFICATIONS): NotificationRelay {
  const pending = new Set<Promise<void>>();
  let latestProgress: (() => Promise<void>) | undefined;
  let droppedLogs = 0;
  let idle: (() => void) | undefined;

  const start = (send: () => Promise<void>) => {
    const settled: Promise<void> = send()
      .catch(() => {})
      .finally(() => {
        pending.delete(settled);
        const next = latestProgress;
        latestProgress = undefined;
        if (next) start(next);
        else if (pending.size === 0) {
          const done = idle;
          idle = undefined;
          done?.();
        }
      });
    pending.add(settled);
  };

  return {
    progress(send) {
      if (pending.size < maxPending) start(send);
      else latestProgress = send;
    },
    log(send) {
      if (pending.size < maxPending) start(send);
      else droppedLogs++;
    },
    get busy() {
      return pending.size > 0 || latestProgress !== undefined;
    },
    get droppedLogs() {
      return droppedLogs;
    },
    settled() {
      if (pending.size === 0 && latestProgress === undefined) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const previous = idle;
        idle = () => {
          previous?.();
          resolve();
        };
      });
    },
  };
}
