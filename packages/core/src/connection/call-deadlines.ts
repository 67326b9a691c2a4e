/**
 * The deadlines of a connection's pending direct calls, kept by one timer instead of one each.
 * A sequential call used to arm a `setTimeout` and clear it when its answer came; being the only
 * timer of its duration, it also made Node create and drop that duration's timer list and its
 * priority-queue entry every time (about 5% of the client's CPU per sequential call on
 * server-everything's echo, where @ai-sdk/mcp arms no timer at all). Here a deadline is a number in
 * a map: one timer is armed for the earliest, and when it fires, the calls whose deadline has
 * passed expire and it is armed again for the earliest left. A call that is answered costs a map
 * delete; the timer stays armed for a deadline that may no longer be pending and then simply finds
 * nothing due. No call expires before its deadline (a timer that fires early is armed again), and
 * none later than the timer's own lateness; while nothing is pending the timer is unref'd, so an
 * idle connection never keeps the process alive.
 */

/** Node's largest timer delay: a longer one would fire after 1 ms (and warn). */
const LONGEST_DELAY_MS = 2_147_483_647;

export class CallDeadlines<Id> {
  private readonly deadlines = new Map<Id, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The deadline the timer is armed for (Infinity: not armed). */
  private armedFor = Number.POSITIVE_INFINITY;
  private readonly expire: (id: Id) => void;

  /** `expire(id)` is called once a pending id's deadline has passed; it should `delete` it. */
  constructor(expire: (id: Id) => void) {
    this.expire = expire;
  }

  /** Starts `id`'s clock: it expires `timeoutMs` from now unless deleted first. */
  add(id: Id, timeoutMs: number): void {
    const deadline = performance.now() + timeoutMs;
    this.deadlines.set(id, deadline);
    if (deadline < this.armedFor) this.arm(deadline);
    else if (this.deadlines.size === 1) this.timer?.ref();
  }

  /** Stops `id`'s clock (answered, aborted, failed); true when it was pending. */
  delete(id: Id): boolean {
    if (!this.deadlines.delete(id)) return false;
    if (this.deadlines.size === 0) this.timer?.unref();
    return true;
  }

  /** Forgets every deadline and disarms the timer. */
  clear(): void {
    this.deadlines.clear();
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
  }

  /** Pending deadlines (for tests). */
  get size(): number {
    return this.deadlines.size;
  }

  /** Whether the timer keeps the process alive now (for tests). */
  get holdsProcess(): boolean {
    return this.timer?.hasRef() ?? false;
  }

  private arm(deadline: number): void {
    clearTimeout(this.timer);
    this.armedFor = deadline;
    const delay = Math.min(LONGEST_DELAY_MS, Math.max(0, deadline - performance.now()));
    this.timer = setTimeout(() => this.fire(), delay);
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = performance.now();
    const due: Id[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const [id, deadline] of this.deadlines) {
      if (deadline <= now) due.push(id);
      else if (deadline < next) next = deadline;
    }
    if (next !== Number.POSITIVE_INFINITY) this.arm(next);
    for (const id of due) {
      // Expired here even if `expire` forgets to: a due id must not be found due again.
      this.deadlines.delete(id);
      this.expire(id);
    }
  }
}
