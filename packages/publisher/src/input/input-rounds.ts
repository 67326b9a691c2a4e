/**
 * Elicitation, sampling and roots on the 2026-07-28 era, where a server cannot send requests to
 * the client mid-call: the tool (or prompt) asks, the call ends with an `input_required` result
 * naming every question it could not answer yet, and the client retries with the answers. The
 * answers of earlier rounds come back sealed in `requestState` (see `request-state.ts`), so a
 * run that asks several questions, in one round or in several, sees all of them on its last run.
 *
 * Every question a run asks is registered here, even when the tool catches what `ask` throws:
 * the call's outcome is decided from this record, not from whether the tool let the throw out.
 */
import {
  type InputRequest,
  type InputResponseView,
  inputResponse,
  ProtocolError,
  ProtocolErrorCode,
} from '@modelcontextprotocol/server';
import { ToolwireError } from '@toolwire/core';

/** Which kind of answer a question expects (the SDK's `InputResponseView` kinds). */
export type ExpectedAnswer = 'elicit' | 'sampling' | 'roots';

/** One question of a run: its key, the request sent to the client, the kind of answer expected. */
export interface RoundQuestion {
  key: string;
  request: InputRequest;
  expects: ExpectedAnswer;
}

/** Thrown inside a run to end it with an `input_required` result. */
export class InputNeeded extends Error {
  constructor() {
    super('The client must answer this round before the call can go on.');
    this.name = 'InputNeeded';
  }
}

/** Per-call bookkeeping: the answers available to this run and the questions it asked. */
export class InputRounds {
  private next = 0;
  private readonly asked = new Set<string>();
  private readonly available: Record<string, unknown>;
  /** Answers this run read: sealed into the next round's `requestState`. */
  readonly used: Record<string, unknown> = {};
  /** Questions this run asked and the client has not answered yet: the next round's requests. */
  readonly needed: Record<string, InputRequest> = {};
  /** Set when the client answered a question with a response of another kind (a protocol error). */
  invalid: ProtocolError | undefined;

  /**
   * `earlier`: answers sealed in the verified `requestState` (they win: a retry cannot change what
   * an earlier round answered); `responses`: the retry's `inputResponses`.
   */
  constructor(earlier: Record<string, unknown>, responses: Record<string, unknown> | undefined) {
    this.available = { ...(responses ?? {}), ...earlier };
  }

  /** True once the run asked something the client has yet to answer. */
  get pending(): boolean {
    return Object.keys(this.needed).length > 0;
  }

  /** The key of the next question: the one the tool gave, or `toolwire-<n>` in asking order. */
  keyFor(requested: string | undefined): string {
    const key = requested ?? `toolwire-${this.next}`;
    this.next++;
    return key;
  }

  /**
   * The client's answers to `questions`, by key; throws `InputNeeded` when any of them is not
   * answered yet (all unanswered ones go into the same round).
   */
  ask(questions: readonly RoundQuestion[]): Record<string, InputResponseView> {
    for (const { key } of questions) {
      if (this.asked.has(key)) {
        throw new ToolwireError({
          code: 'TOOL_ERROR',
          message: `The input key "${key}" was asked twice in one call; give each question its own key.`,
        });
      }
      this.asked.add(key);
    }
    const views: Record<string, InputResponseView> = {};
    for (const { key, request, expects } of questions) {
      const view = inputResponse(this.available, key);
      if (view.kind === 'missing') {
        this.needed[key] = request;
        continue;
      }
      if (view.kind !== expects) {
        this.invalid ??= new ProtocolError(
          ProtocolErrorCode.InvalidParams,
          `inputResponses["${key}"] does not answer ${request.method} (it is a ${view.kind} response).`,
        );
        throw this.invalid;
      }
      this.used[key] = this.available[key];
      views[key] = view;
    }
    if (this.pending) throw new InputNeeded();
    return views;
  }
}
