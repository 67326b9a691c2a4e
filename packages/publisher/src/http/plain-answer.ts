/**
 * An answer whose whole body is already in hand (a POST answered with one JSON document). Inside
 * the handler it is a bodiless, headerless `Response` (its status) with its text and headers kept
 * beside it, so neither a body stream nor a `Headers` object is built for it: the Node listener
 * claims text and headers and writes them in one call, and tells the exchange once they are sent
 * (graceful shutdown waits for that). Whoever hands such a `Response` to a runtime that writes
 * bodies itself (the web `fetch` entry) makes it whole first (`withPlainBody`), and reports it
 * sent at once: the runtime delivers it. Headers added on the way (CORS) go through
 * `movePlainAnswer`.
 */

export interface PlainAnswer {
  readonly text: string;
  /** The answer's headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** Call once the body has been handed to the client (or the client is gone). */
  readonly sent: () => void;
}

const plainAnswers = new WeakMap<Response, PlainAnswer>();

/**
 * A `Response` answering `status` with `text` and `headers` (names in lower case), kept beside it
 * until claimed (`claimPlainAnswer`, `withPlainBody`).
 */
export function plainResponse(
  text: string,
  status: number,
  headers: Record<string, string>,
  sent: () => void,
): Response {
  const response = new Response(null, { status });
  plainAnswers.set(response, { text, headers, sent });
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
  return new Response(answer.text, { status: response.status, headers: answer.headers });
}

/**
 * When `from` is a plain answer, `to` (its copy with `extra` headers) becomes it instead, its
 * headers gaining `extra`.
 */
export function movePlainAnswer(from: Response, to: Response, extra: Record<string, string>): void {
  const answer = plainAnswers.get(from);
  if (!answer) return;
  plainAnswers.delete(from);
  const headers = { ...answer.headers };
  for (const name in extra) headers[name.toLowerCase()] = extra[name] as string;
  plainAnswers.set(to, { ...answer, headers });
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
  const { sent } = answer;
  plainAnswers.set(response, {
    ...answer,
    sent: () => {
      sent();
      then();
    },
  });
  return true;
}
