/**
 * Counts running tool calls (graceful shutdown waits for them) and gives each one its own abort
 * signal, fired by whichever comes first: a client cancellation, a disconnect the protocol era
 * treats as cancellation, the call's deadline, or shutdown giving up on it.
 */
import { ToolwireError } from '@toolwire/core';

/** One running call: its signal, a way to abort it with a reason, and `finish` when it settles. */
export interface TrackedCall {
  readonly signal: AbortSignal;
  abort(reason: unknown): void;
  finish(): void;
}

export class CallTracker {
  private running = 0;
  private waiters: (() => void)[] = [];
  private readonly active = new Set<AbortController>();
  private stopped: unknown;

  get inFlight(): number {
    return this.running;
  }

  /**
   * Starts a call whose signal follows `sources` (one controller per call, its listeners removed
   * when it finishes: nothing accumulates on long-lived signals such as a session's).
   */
  start(sources: readonly (AbortSignal | undefined)[] = []): TrackedCall {
    this.running++;
    const controller = new AbortController();
    const signals = sources.filter((signal): signal is AbortSignal => signal !== undefined);
    const listeners = signals.map((signal) => {
      const onAbort = () => controller.abort(signal.reason);
      return { signal, onAbort };
    });
    const already = signals.find((signal) => signal.aborted);
    if (this.stopped !== undefined) controller.abort(this.stopped);
    else if (already) controller.abort(already.reason);
    else
      for (const { signal, onAbort } of listeners) signal.addEventListener('abort', onAbort, { once: true });
    this.active.add(controller);
    let done = false;
    return {
      signal: controller.signal,
      abort: (reason) => controller.abort(reason),
      finish: () => {
        if (done) return;
        done = true;
        for (const { signal, onAbort } of listeners) signal.removeEventListener('abort', onAbort);
        this.active.delete(controller);
        this.running--;
        if (this.running === 0) for (const waiter of this.waiters.splice(0)) waiter();
      },
    };
  }

  /** Resolves when no call runs, or after `timeoutMs` (then running calls are aborted). */
  async drain(timeoutMs: number): Promise<void> {
    if (this.running > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    this.stopped = new ToolwireError({ code: 'SERVER_CLOSED', message: 'The publisher is shutting down.' });
    for (const controller of this.active) controller.abort(this.stopped);
  }
}
