/**
 * The input API (`elicit`, `sample`, `listRoots`, `input`) of one running tool or prompt, on
 * either era: on the 2025 era each question is a request to the client on the call's session
 * (several questions: sent together); on 2026-07-28 each is a question of the call's current
 * `input_required` round (`InputRounds`). The capability check comes first, for every question,
 * so nothing is asked when one of them cannot be.
 */
import {
  type ClientCapabilities,
  type CreateMessageResult,
  type ElicitResult,
  type InputRequest,
  type InputResponseView,
  inputRequired,
  inputResponse,
  MissingRequiredClientCapabilityError,
  type Root,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { ToolwireError } from '@toolwire/core';
import type { ProtocolEra } from '../tools/tool-context.js';
import type { InputAnswers, InputContext, InputQuestion } from './input-api.js';
import type { ExpectedAnswer, InputRounds } from './input-rounds.js';

/** A task's way to ask the client (`tasks/task-manager.ts`): the raw answers by key. */
export interface TaskQuestions {
  keyFor(requested: string | undefined): string;
  ask(questions: Record<string, InputRequest>, signal: AbortSignal): Promise<Record<string, unknown>>;
}

export interface InputContextSource {
  context: ServerContext;
  capabilities: ClientCapabilities | undefined;
  era: ProtocolEra;
  /** The call's own signal: a 2025-era request to the client is abandoned when it aborts. */
  signal: AbortSignal;
  /** The call's rounds on 2026-07-28; `undefined` on the 2025 era. */
  rounds: InputRounds | undefined;
  /** Once the call runs as a task: its questions go through the task instead (read at each question). */
  task?: (() => TaskQuestions | undefined) | undefined;
}

type Capability = 'elicitation' | 'sampling' | 'roots';

const CAPABILITY: Record<InputQuestion['kind'], Capability> = {
  elicit: 'elicitation',
  sample: 'sampling',
  listRoots: 'roots',
};

const EXPECTS: Record<InputQuestion['kind'], ExpectedAnswer> = {
  elicit: 'elicit',
  sample: 'sampling',
  listRoots: 'roots',
};

export function createInputContext({
  context,
  capabilities,
  era,
  signal,
  rounds,
  task,
}: InputContextSource): InputContext {
  const declared: Record<Capability, boolean> = {
    elicitation: capabilities?.elicitation !== undefined,
    sampling: capabilities?.sampling !== undefined,
    roots: capabilities?.roots !== undefined,
  };
  const check = (questions: readonly InputQuestion[]): void => {
    for (const question of questions) {
      const capability = CAPABILITY[question.kind];
      if (!declared[capability]) throw unsupported(capability, era);
    }
  };

  // 2025 era: each request goes out on the call's own response stream (the transport spec's
  // SHOULD: related messages on the request's stream), not the session's GET stream. In a fleet
  // that stream is held by the instance running the call, whichever instance holds the GET one.
  const related = { signal, relatedRequestId: context.mcpReq.id };

  /** 2025 era: one request to the client; its result as the tool sees it. */
  const send = async (question: InputQuestion): Promise<unknown> => {
    switch (question.kind) {
      case 'elicit':
        return context.mcpReq.elicitInput(
          { mode: 'form', ...question.request } as Parameters<typeof context.mcpReq.elicitInput>[0],
          related,
        );
      case 'sample':
        return context.mcpReq.requestSampling(question.request, related);
      case 'listRoots':
        return (await context.mcpReq.send({ method: 'roots/list' }, { signal })).roots;
    }
  };

  /** Asks `questions` (already checked); resolves with the answers under the same keys. */
  const askAll = async (questions: readonly [string, InputQuestion][]): Promise<Record<string, unknown>> => {
    const taskQuestions = task?.();
    if (taskQuestions) {
      const raw = await taskQuestions.ask(
        Object.fromEntries(questions.map(([key, question]) => [key, toInputRequest(question)])),
        signal,
      );
      return Object.fromEntries(
        questions.map(([key, question]) => {
          const view = inputResponse(raw, key);
          if (view.kind !== EXPECTS[question.kind]) {
            throw new ToolwireError({
              code: 'PROTOCOL_ERROR',
              message: `The answer to "${key}" does not answer ${toInputRequest(question).method} (it is a ${view.kind} response).`,
            });
          }
          return [key, fromView(view)];
        }),
      );
    }
    if (!rounds) {
      const answers = await Promise.all(questions.map(([, question]) => send(question)));
      return Object.fromEntries(questions.map(([key], index) => [key, answers[index]]));
    }
    const views = rounds.ask(
      questions.map(([key, question]) => ({
        key,
        request: toInputRequest(question),
        expects: EXPECTS[question.kind],
      })),
    );
    return Object.fromEntries(questions.map(([key]) => [key, fromView(views[key] as InputResponseView)]));
  };

  const one = async <Answer>(question: InputQuestion, requestedKey: string | undefined): Promise<Answer> => {
    check([question]);
    const taskQuestions = task?.();
    const key = taskQuestions
      ? taskQuestions.keyFor(requestedKey)
      : rounds
        ? rounds.keyFor(requestedKey)
        : 'answer';
    const answers = await askAll([[key, question]]);
    return answers[key] as Answer;
  };

  return {
    canElicit: declared.elicitation,
    canSample: declared.sampling,
    canListRoots: declared.roots,
    elicit: (request, options) => one<ElicitResult>({ kind: 'elicit', request }, options?.key),
    sample: (request, options) => one<CreateMessageResult>({ kind: 'sample', request }, options?.key),
    listRoots: (options) => one<Root[]>({ kind: 'listRoots' }, options?.key),
    async input<Questions extends Record<string, InputQuestion>>(questions: Questions) {
      const entries = Object.entries(questions);
      for (const [key, question] of entries) {
        if (!isQuestion(question)) {
          throw new ToolwireError({
            code: 'TOOL_ERROR',
            message: `context.input(): "${key}" is not a question; build it with ask.elicit(), ask.sample() or ask.listRoots().`,
          });
        }
      }
      check(entries.map(([, question]) => question));
      return (await askAll(entries)) as InputAnswers<Questions>;
    },
  };
}

function toInputRequest(question: InputQuestion): InputRequest {
  switch (question.kind) {
    case 'elicit':
      return inputRequired.elicit(question.request as Parameters<typeof inputRequired.elicit>[0]);
    case 'sample':
      return inputRequired.createMessage(question.request);
    case 'listRoots':
      return inputRequired.listRoots();
  }
}

/** A 2026-07-28 answer as the 2025-era request would have resolved. */
function fromView(view: InputResponseView): unknown {
  switch (view.kind) {
    case 'elicit':
      return view.content === undefined
        ? { action: view.action }
        : { action: view.action, content: view.content };
    case 'sampling':
      return view.result;
    case 'roots':
      return view.roots;
    case 'missing':
      throw new Error('unreachable: a missing answer is asked for, not returned');
  }
}

function isQuestion(value: unknown): value is InputQuestion {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, request } = value as { kind?: unknown; request?: unknown };
  if (kind === 'listRoots') return true;
  return (kind === 'elicit' || kind === 'sample') && typeof request === 'object' && request !== null;
}

function unsupported(capability: Capability, era: ProtocolEra): Error {
  if (era === 'modern') {
    return new MissingRequiredClientCapabilityError(
      { requiredCapabilities: { [capability]: {} } },
      `The client did not declare the ${capability} capability.`,
    );
  }
  return new ToolwireError({
    code: 'PROTOCOL_ERROR',
    message: `The client did not declare the ${capability} capability.`,
  });
}
