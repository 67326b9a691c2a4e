/**
 * Elicitation and sampling on the 2026-07-28 era, where a server cannot send requests to the
 * client mid-call: the tool asks, we answer the call with an `input_required` result, and the
 * client retries with the answers. Answers from earlier rounds travel in `requestState` so a
 * tool that asks several questions sees all of them on the final run.
 */
import { type InputRequest, inputResponse } from '@modelcontextprotocol/server';

/** Thrown inside a tool run to end the round with an `input_required` result. */
export class InputNeeded {
  constructor(
    readonly key: string,
    readonly request: InputRequest,
    readonly answers: Record<string, unknown>,
  ) {}
}

/** Per-call bookkeeping: numbers the questions a run asks and finds answers from earlier rounds. */
export class InputRounds {
  private next = 0;
  readonly answers: Record<string, unknown>;

  constructor(state: unknown, responses: Record<string, unknown> | undefined) {
    this.answers = { ...decodeState(state), ...(responses ?? {}) };
  }

  /** Returns the earlier answer to the next question, or throws `InputNeeded` to ask it. */
  ask(request: InputRequest, requestedKey: string | undefined): ReturnType<typeof inputResponse> {
    const key = requestedKey ?? `toolwire-${this.next}`;
    this.next++;
    const view = inputResponse(this.answers, key);
    if (view.kind === 'missing') throw new InputNeeded(key, request, this.answers);
    return view;
  }
}

/** base64url(JSON), with web APIs only (the root entry also runs on edge runtimes). */
export function encodeState(answers: Record<string, unknown>): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(JSON.stringify(answers))) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decodeState(state: unknown): Record<string, unknown> {
  if (typeof state !== 'string' || state === '') return {};
  try {
    const decoded: unknown = JSON.parse(atobUrl(state));
    return typeof decoded === 'object' && decoded !== null && !Array.isArray(decoded)
      ? (decoded as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function atobUrl(value: string): string {
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
  return new TextDecoder().decode(Uint8Array.from(atob(base64), (char) => char.charCodeAt(0)));
}
