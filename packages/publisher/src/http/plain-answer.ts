/**
 * An answer whose whole body is already in hand (a POST answered with one JSON document). Inside
 * the handler it is a bodiless `Response` (status and headers) with its text kept beside it, so
 * no body stream is built for it: the Node listener claims the text and writes it in one call,
 * and tells the exchange once it is sent (graceful shutdown waits for that). Whoever hands such a
 * `Response` to a runtime that writes bodies itself (the web `fetch` entry) gives it its body
 * first (`withPlainBody`), and reports it sent at once: the runtime delivers it.
 */

export interface PlainAnswer {
  readonly text: string;
  /** Call once the body has been handed to the client (or the client is gone). */
  readonly sent: () => void;
}

const plainAnswers = new WeakMap<Response, PlainAnswer>();

/** A `Response` answering with `text`, kept beside it until claimed (`claimPlainAnswer`, `withPlainBody`). */
export function plainResponse(text: string, init: ResponseInit, sent: () => void): Response {
  const response = new Response(null, init);
  plainAnswers.set(response, { text, sent });
  return response;
}

/**
 * `response` as a runtime must get it: a plain answer claimed, reported sent, and given its text
 * as its body; any other response unchanged.
 */
export function withPlainBody(response: Response): Response {
  const answer = claimPlainAnswer(response);
  if (!answer) return response;
  answer.sent();
  return new Response(answer.text, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** When `from` is a plain answer, `to` (its copy with other headers) becomes it instead. */
export function movePlainAnswer(from: Response, to: Response): void {
  const answer = plainAnswers.get(from);
  if (!answer) return;
  plainAnswers.delete(from);
  plainAnswers.set(to, answer);
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
