/**
 * An answer whose whole body is already in hand (a POST answered with one JSON document). As a
 * web `Response` it is ordinary; the Node listener claims its text and writes it in one call
 * instead of reading it back through a body stream, and tells the exchange once it is sent
 * (graceful shutdown waits for that). Whoever hands the `Response` out unclaimed (the web
 * `fetch` entry) reports it sent at once: the runtime delivers it.
 */

export interface PlainAnswer {
  readonly text: string;
  /** Call once the body has been handed to the client (or the client is gone). */
  readonly sent: () => void;
}

const plainAnswers = new WeakMap<Response, PlainAnswer>();

/** A `Response` with `text` as its body, whose text the Node listener may claim. */
export function plainResponse(text: string, init: ResponseInit, sent: () => void): Response {
  const response = new Response(text, init);
  plainAnswers.set(response, { text, sent });
  return response;
}

/** Takes the plain answer of `response` (once): its text and the callback for when it is sent. */
export function claimPlainAnswer(response: Response): PlainAnswer | undefined {
  const answer = plainAnswers.get(response);
  if (answer) plainAnswers.delete(response);
  return answer;
}

/**
 * When `response` is a plain answer, adds `then` to what runs once it is sent and returns true
 * (the response stays as it is, still plain for whoever claims it); false otherwise.
 */
export function alsoWhenSent(response: Response, then: () => void): boolean {
  const answer = plainAnswers.get(response);
  if (!answer) return false;
  const { text, sent } = answer;
  plainAnswers.set(response, {
    text,
    sent: () => {
      sent();
      then();
    },
  });
  return true;
}
