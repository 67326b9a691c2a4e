/**
 * Turns a call that reports progress through a callback into an async iterable: each progress
 * notification is yielded as it arrives, then the final result. The AI SDK streams the yielded
 * values as preliminary tool results (`preliminary: true`) and gives the model only the last.
 */

export interface Progress {
  progress: number;
  total?: number | undefined;
  message?: string | undefined;
}

export async function* streamWithProgress<RESULT, PROGRESS>(
  start: (onProgress: (progress: Progress) => void) => Promise<RESULT>,
  toProgressOutput: (progress: Progress) => PROGRESS,
): AsyncGenerator<PROGRESS | RESULT> {
  const pending: Progress[] = [];
  let wake: (() => void) | undefined;
  let outcome: { ok: true; value: RESULT } | { ok: false; error: unknown } | undefined;
  start((progress) => {
    pending.push(progress);
    wake?.();
  }).then(
    (value) => {
      outcome = { ok: true, value };
      wake?.();
    },
    (error: unknown) => {
      outcome = { ok: false, error };
      wake?.();
    },
  );
  while (true) {
    while (pending.length > 0) yield toProgressOutput(pending.shift()!);
    if (outcome) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = undefined;
  }
  if (!outcome.ok) throw outcome.error;
  yield outcome.value;
}
