/**
 * Inputs a tool's `inputSchema` has just accepted, waiting for that tool's `execute`: the AI SDK
 * validates every tool call's input before it executes it, so `execute` need not have the
 * registry check the same object again. Matched by identity only, in a short array: a `WeakSet`
 * (or `Set`) gives every fresh input object an identity hash, which cost about as much as the
 * rest of the adapter's own work per call.
 *
 * Bounded: an input accepted but never executed (a call whose approval was refused, a step that
 * ended early) is dropped once `LIMIT` newer ones arrived; an input dropped before its `execute`
 * is only validated again. Until then it is held (the tool set keeps at most `LIMIT` per tool).
 */

/** Inputs remembered per tool: more than a step's parallel calls of one tool usually are. */
const LIMIT = 16;

export class ValidatedInputs {
  private readonly entries: object[] = [];

  /** Remembers an input that passed validation. */
  add(input: object): void {
    if (this.entries.length === LIMIT) this.entries.shift();
    this.entries.push(input);
  }

  /** True once for an input `add` remembered (then forgotten); false for any other value. */
  take(input: unknown): boolean {
    if (typeof input !== 'object' || input === null) return false;
    const entries = this.entries;
    // Newest first: the AI SDK executes right after validating.
    for (let index = entries.length - 1; index >= 0; index--) {
      if (entries[index] !== input) continue;
      if (index === entries.length - 1) entries.pop();
      else entries.splice(index, 1);
      return true;
    }
    return false;
  }
}
