/**
 * What a tool or prompt may ask the client while it runs: a form to fill in (elicitation), a
 * completion from the client's model (sampling), the client's roots. One question at a time
 * (`elicit`, `sample`, `listRoots`), or several at once (`input`), on either protocol era: on the
 * 2025 era they are requests to the client (several are sent together); on 2026-07-28 they are one
 * `input_required` round (several questions in one round), after which the tool or prompt runs
 * again with the answers.
 */
import type {
  CreateMessageRequestParams,
  CreateMessageResult,
  ElicitResult,
  Root,
} from '@modelcontextprotocol/server';

/** A form-mode elicitation: a message and a flat JSON Schema of primitive fields. */
export interface ElicitationRequest {
  message: string;
  requestedSchema: Record<string, unknown>;
}

/** Options for `elicit`, `sample` and `listRoots`. */
export interface InputOptions {
  /**
   * The key of this question in a 2026-07-28 `input_required` result (default: `toolwire-<n>`,
   * numbered in asking order). Give stable keys when clients or tests look for them; one key
   * names one question per call.
   */
  key?: string | undefined;
}

/** A question for the user, through the client's form (see `ask.elicit`). */
export interface ElicitQuestion {
  readonly kind: 'elicit';
  readonly request: ElicitationRequest;
}

/** A question for the client's model (see `ask.sample`). */
export interface SampleQuestion {
  readonly kind: 'sample';
  readonly request: CreateMessageRequestParams;
}

/** A request for the client's roots (see `ask.listRoots`). */
export interface ListRootsQuestion {
  readonly kind: 'listRoots';
}

/** One question of `context.input({ … })`. */
export type InputQuestion = ElicitQuestion | SampleQuestion | ListRootsQuestion;

/** What the client answers to a question. */
export type InputAnswer<Question extends InputQuestion> = Question extends ElicitQuestion
  ? ElicitResult
  : Question extends SampleQuestion
    ? CreateMessageResult
    : Root[];

/** The answers of `context.input(questions)`, under the questions' own keys. */
export type InputAnswers<Questions extends Record<string, InputQuestion>> = {
  [Key in keyof Questions]: InputAnswer<Questions[Key]>;
};

/**
 * Builds the questions of `context.input({ … })`.
 *
 * @example
 * ```ts
 * const { name, greeting, roots } = await context.input({
 *   name: ask.elicit({ message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } }),
 *   greeting: ask.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'Say hello' } }], maxTokens: 50 }),
 *   roots: ask.listRoots(),
 * });
 * ```
 */
export const ask = {
  /** Asks the user to fill in a form (elicitation, form mode). */
  elicit: (request: ElicitationRequest): ElicitQuestion => ({ kind: 'elicit', request }),
  /** Asks the client's model for a completion (sampling). */
  sample: (request: CreateMessageRequestParams): SampleQuestion => ({ kind: 'sample', request }),
  /** Asks for the client's roots (the directories or files it exposes). */
  listRoots: (): ListRootsQuestion => ({ kind: 'listRoots' }),
} as const;

/** The questions a running tool or prompt may ask the client. */
export interface InputContext {
  /** True when the client declared the elicitation capability. */
  readonly canElicit: boolean;
  /** True when the client declared the sampling capability. */
  readonly canSample: boolean;
  /** True when the client declared the roots capability. */
  readonly canListRoots: boolean;
  /**
   * Asks the user for input through the client. When the client does not support elicitation it
   * throws: on the 2025 era a `ToolwireError` (`PROTOCOL_ERROR`, which becomes the call's `isError`
   * result unless caught); on 2026-07-28 the SDK's `MissingRequiredClientCapabilityError`, which
   * the client receives as error -32021. On the 2026-07-28 era this uses a multi-round-trip
   * `input_required` result: the tool or prompt is run again with the answer, so work done before
   * the question runs again; keep it side-effect free, and do not swallow what `elicit` throws.
   */
  elicit(request: ElicitationRequest, options?: InputOptions): Promise<ElicitResult>;
  /** Asks the client's model for a completion (same era rules as `elicit`). */
  sample(request: CreateMessageRequestParams, options?: InputOptions): Promise<CreateMessageResult>;
  /** Asks the client for its roots (the directories or files it exposes), same era rules as `elicit`. */
  listRoots(options?: InputOptions): Promise<Root[]>;
  /**
   * Asks several questions at once and resolves with all the answers, under the same keys: on
   * the 2025 era the requests go to the client together; on 2026-07-28 they travel in one
   * `input_required` round (the keys are the round's input keys). Every question needs its
   * capability (else the same errors as `elicit`, before anything is asked).
   */
  input<Questions extends Record<string, InputQuestion>>(
    questions: Questions,
  ): Promise<InputAnswers<Questions>>;
}
