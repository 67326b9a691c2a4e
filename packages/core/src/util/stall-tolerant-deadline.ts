/**
 * A deadline for work outside this process (a store's answer) that does not blame the other side
 * for time this process spent busy. A plain `setTimeout` deadline fires as soon as the event loop
 * gets back to its timers, before the I/O callbacks that completed meanwhile are run: a registry
 * that spent two seconds of CPU building its catalogue (100 servers listing at once) would call a
 * healthy disk "unavailable" and drop its cache writes. Here, when the timer fires late (the loop
 * was blocked past `lateAfterMs`), the operation gets its full time again (at most `maxExtensions`
 * times), and the verdict always waits one turn (`setImmediate`, after the poll phase) so an
 * answer that already arrived wins. A store that truly hangs on an idle loop still times out on time.
 */

/** How late a timer may fire before the loop counts as blocked (ms), unless a deadline sets less. */
const DEFAULT_LATE_AFTER_MS = 100;
/** How many times a blocked loop may extend one deadline. */
const DEFAULT_MAX_EXTENSIONS = 3;

export interface StallTolerantDeadlineOptions {
  /** Lateness of the timer (ms) that counts as a blocked loop. Default: 100 ms or a quarter of the deadline, whichever is less. */
  lateAfterMs?: number;
  /** Most extensions for one deadline. Default 3. */
  maxExtensions?: number;
}

export function withStallTolerantDeadline<T>(
  task: Promise<T>,
  milliseconds: number,
  onTimeout: () => Error,
  options: StallTolerantDeadlineOptions = {},
): Promise<T> {
  const lateAfterMs = options.lateAfterMs ?? Math.min(DEFAULT_LATE_AFTER_MS, milliseconds / 4);
  const maxExtensions = options.maxExtensions ?? DEFAULT_MAX_EXTENSIONS;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let extensions = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      const armedAt = performance.now();
      timer = setTimeout(() => {
        const late = performance.now() - armedAt - milliseconds;
        setImmediate(() => {
          if (settled) return;
          if (late > lateAfterMs && extensions < maxExtensions) {
            extensions++;
            arm();
            return;
          }
          settled = true;
          reject(onTimeout());
        });
      }, milliseconds);
    };
    arm();
    task.then(
      (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
