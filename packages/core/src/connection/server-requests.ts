/**
 * What a server asks of the client (elicitation, sampling): the handler types, which handler
 * answers (the call's, the conversation's, the registry's: most specific wins), and how one is
 * run: bounded in time, aborted with its call, its failures typed. One path answers both the 2025
 * server-to-client requests and the 2026-07-28 input rounds.
 */
import {
  type CreateMessageRequest,
  type CreateMessageResult,
  type ElicitRequest,
  type ElicitResult,
  type ListRootsResult,
  ProtocolError,
  type Root,
} from '@modelcontextprotocol/client';
import { ToolwireError } from '../errors/toolwire-error.js';
import { applyElicitationDefaults } from './elicitation-defaults.js';

/** Who is asking, for which call, and when to stop. */
export interface ServerRequestContext {
  /** The configured server name. */
  server: string;
  /** The conversation of the call the request belongs to, when known. */
  sessionKey: string | undefined;
  /**
   * The registry name of the tool being called (or `prompts/get <name>`, `resources/read <uri>`),
   * when the request could be tied to one call.
   */
  tool: string | undefined;
  /** Aborted when the call is cancelled or the handler's time (`serverRequestTimeoutMs`) is up. */
  signal: AbortSignal;
  /**
   * 2026-07-28: the key the server gave this question in its `input_required` round (a gateway
   * asks its own client under the same key), when the call's own handlers answer the round.
   */
  inputKey?: string | undefined;
}

/**
 * Answers a server's `elicitation/create` request (form mode). Return `{ action: 'accept',
 * content }`, `'decline'` or `'cancel'`; defaults in the requested schema fill fields an accepted
 * answer omits (SEP-1034).
 */
export type ElicitationHandler = (
  request: ElicitRequest['params'],
  context: ServerRequestContext,
) => Promise<ElicitResult>;

/**
 * Answers a server's `sampling/createMessage` request with a model's reply. `@toolwire/langchain`
 * and `@toolwire/ai-sdk` build one from the app's own chat model.
 */
export type SamplingHandler = (
  request: CreateMessageRequest['params'],
  context: ServerRequestContext,
) => Promise<CreateMessageResult>;

/**
 * Answers a server's `roots/list` request: the directories (`file://` URIs) the server may work
 * in. The registry's `roots` option takes a fixed list or such a handler.
 */
export type RootsHandler = (context: ServerRequestContext) => Root[] | Promise<Root[]>;

/** Handlers for what servers ask of the client; set per registry, per conversation or per call. */
export interface ServerRequestHandlers {
  onElicitation?: ElicitationHandler | undefined;
  onSampling?: SamplingHandler | undefined;
  onRoots?: RootsHandler | undefined;
}

/** How long a handler may take unless `serverRequestTimeoutMs` says otherwise (a person may be answering). */
export const DEFAULT_SERVER_REQUEST_TIMEOUT_MS = 5 * 60 * 1000;

/** The handlers that answer: for each kind, the first layer (most specific first) that has one. */
export function pickHandlers(...layers: (ServerRequestHandlers | undefined)[]): ServerRequestHandlers {
  return {
    onElicitation: layers.find((layer) => layer?.onElicitation)?.onElicitation,
    onSampling: layers.find((layer) => layer?.onSampling)?.onSampling,
    onRoots: layers.find((layer) => layer?.onRoots)?.onRoots,
  };
}

export interface AnswerOptions {
  server: string;
  sessionKey: string | undefined;
  tool: string | undefined;
  handlers: ServerRequestHandlers;
  timeoutMs: number;
  /** The call's (or the SDK's) signal: aborting it aborts the handler. */
  signal: AbortSignal | undefined;
  /** The question's key in a 2026-07-28 input round, when known. */
  inputKey?: string | undefined;
}

/** The methods a server may ask of this client. */
export type ServerRequestMethod = 'elicitation/create' | 'sampling/createMessage' | 'roots/list';

/** The methods a server may ask of this client, as a list (2026-07-28 input requests are checked against it). */
export const SERVER_REQUEST_METHODS: readonly ServerRequestMethod[] = [
  'elicitation/create',
  'sampling/createMessage',
  'roots/list',
];

/**
 * Runs the handler for one request of the server and returns its answer. Without a handler an
 * elicitation is declined and a sampling request refused (a JSON-RPC error, never a hang). A
 * handler that throws, answers nonsense, outlives its time or is cancelled rejects with a
 * `ToolwireError` (`HANDLER_FAILED`, `TIMEOUT`, `CANCELLED`).
 */
export async function answerServerRequest(
  method: ServerRequestMethod,
  params: unknown,
  options: AnswerOptions,
): Promise<ElicitResult | CreateMessageResult | ListRootsResult> {
  if (method === 'roots/list') {
    const handler = options.handlers.onRoots;
    if (!handler) {
      // Only reached when roots were declared for another conversation or call of the connection.
      throw new ProtocolError(-32601, 'Roots not offered: the client has no roots for this request');
    }
    const roots = await runHandler('roots', options, (context) => Promise.resolve(handler(context)));
    const problem = rootsProblem(roots);
    if (problem !== undefined) throw badAnswer('roots', options, roots, problem);
    return { roots: roots.map(({ uri, name }) => (name === undefined ? { uri } : { uri, name })) };
  }
  if (method === 'elicitation/create') {
    const request = params as ElicitRequest['params'];
    const handler = options.handlers.onElicitation;
    // Only form mode is declared; a URL-mode request is declined like one nobody can answer.
    if (!handler || (request as { mode?: unknown }).mode === 'url') return { action: 'decline' };
    const result = await runHandler('elicitation', options, (context) => handler(request, context));
    if (!isElicitResult(result)) throw badAnswer('elicitation', options, result);
    return applyElicitationDefaults(request, result);
  }
  const handler = options.handlers.onSampling;
  if (!handler) {
    // The spec's example code for a refused sampling request.
    throw new ProtocolError(-1, 'Sampling declined: the client has no sampling handler for this request');
  }
  const request = params as CreateMessageRequest['params'];
  const result = await runHandler('sampling', options, (context) => handler(request, context));
  if (!isSamplingResult(result)) throw badAnswer('sampling', options, result);
  return result;
}

async function runHandler<T>(
  kind: ServerRequestKind,
  options: AnswerOptions,
  run: (context: ServerRequestContext) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const outer = options.signal;
  let settle: ((error: ToolwireError) => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    settle = reject;
  });
  const stop = (error: ToolwireError) => {
    controller.abort(error);
    settle?.(error);
  };
  // A typed reason (the call's time is up, the connection closed) is passed on as it is.
  const onOuterAbort = () =>
    stop(
      ToolwireError.isInstance(outer?.reason)
        ? outer.reason
        : new ToolwireError({
            code: 'CANCELLED',
            server: options.server,
            tool: options.tool,
            message: `The ${kind} request of server "${options.server}" was cancelled with its call`,
          }),
    );
  const timer = setTimeout(
    () =>
      stop(
        new ToolwireError({
          code: 'TIMEOUT',
          server: options.server,
          tool: options.tool,
          message: `The ${kind} handler did not answer server "${options.server}" within ${options.timeoutMs} ms (serverRequestTimeoutMs)`,
        }),
      ),
    options.timeoutMs,
  );
  if (outer?.aborted) onOuterAbort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  stopped.catch(() => {});
  try {
    const context: ServerRequestContext = {
      server: options.server,
      sessionKey: options.sessionKey,
      tool: options.tool,
      signal: controller.signal,
      ...(options.inputKey === undefined ? {} : { inputKey: options.inputKey }),
    };
    return await Promise.race([
      Promise.resolve()
        .then(() => run(context))
        .catch((error: unknown) => {
          if (ToolwireError.isInstance(error) && controller.signal.aborted) throw error;
          throw new ToolwireError({
            code: 'HANDLER_FAILED',
            server: options.server,
            tool: options.tool,
            cause: error,
            message: `The ${kind} handler failed answering server "${options.server}": ${error instanceof Error ? error.message : String(error)}`,
          });
        }),
      stopped,
    ]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
  }
}

type ServerRequestKind = 'elicitation' | 'sampling' | 'roots';

const EXPECTED_ANSWER: Record<ServerRequestKind, string> = {
  elicitation: "{ action: 'accept' | 'decline' | 'cancel', content? }",
  sampling: "{ role: 'assistant', content, model }",
  roots: "an array of { uri: 'file:///…', name? }",
};

function badAnswer(
  kind: ServerRequestKind,
  options: AnswerOptions,
  result: unknown,
  detail?: string,
): ToolwireError {
  return new ToolwireError({
    code: 'HANDLER_FAILED',
    server: options.server,
    tool: options.tool,
    message: `The ${kind} handler answered server "${options.server}" with ${detail ?? describe(result)}; expected ${EXPECTED_ANSWER[kind]}`,
  });
}

/** What is wrong with a roots answer (the spec allows only `file://` URIs), or `undefined`. */
export function rootsProblem(roots: unknown): string | undefined {
  if (!Array.isArray(roots)) return describe(roots);
  for (const [index, root] of roots.entries()) {
    if (typeof root !== 'object' || root === null) return `${describe(root)} at index ${index}`;
    const { uri, name } = root as { uri?: unknown; name?: unknown };
    if (typeof uri !== 'string' || !uri.startsWith('file://')) {
      return `a root at index ${index} whose uri is not a file:// URI`;
    }
    if (name !== undefined && typeof name !== 'string')
      return `a root at index ${index} whose name is not a string`;
  }
  return undefined;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object'
    ? `an object with keys [${Object.keys(value).slice(0, 5).join(', ')}]`
    : `a ${typeof value}`;
}

function isElicitResult(value: unknown): value is ElicitResult {
  if (typeof value !== 'object' || value === null) return false;
  const { action, content } = value as { action?: unknown; content?: unknown };
  if (action !== 'accept' && action !== 'decline' && action !== 'cancel') return false;
  return (
    content === undefined || (typeof content === 'object' && content !== null && !Array.isArray(content))
  );
}

function isSamplingResult(value: unknown): value is CreateMessageResult {
  if (typeof value !== 'object' || value === null) return false;
  const { role, content, model } = value as { role?: unknown; content?: unknown; model?: unknown };
  return role === 'assistant' && typeof model === 'string' && typeof content === 'object' && content !== null;
}

/** The error a server is sent when a handler failed: the code only, never the handler's own text. */
export function handlerFailureForServer(error: unknown): ProtocolError {
  const code = ToolwireError.isInstance(error) ? error.code : 'HANDLER_FAILED';
  return new ProtocolError(-32603, `The client could not answer this request (${code})`);
}
