/**
 * Who answers what servers ask (elicitation, sampling, roots): the registry's handlers, each
 * conversation's (`setSessionHandlers`), and each call's. Decides what a new connection declares
 * (only capabilities some handler can exist for) and which handlers a call carries.
 */
import type { ServerRequestSetup } from '../connection/server-connection.js';
import {
  DEFAULT_SERVER_REQUEST_TIMEOUT_MS,
  pickHandlers,
  type ServerRequestHandlers,
} from '../connection/server-requests.js';
import { ToolwireError } from '../errors/toolwire-error.js';

export interface ServerRequestScopesOptions {
  registry: ServerRequestHandlers;
  /** Declare these even without a registry-wide handler, for handlers given per conversation or call. */
  declare:
    | { elicitation?: boolean | undefined; sampling?: boolean | undefined; roots?: boolean | undefined }
    | undefined;
  timeoutMs: number | undefined;
  onFailure(error: unknown): void;
}

export class ServerRequestScopes {
  private readonly options: ServerRequestScopesOptions;
  private readonly sessions = new Map<string, ServerRequestHandlers>();
  /** Kinds a per-call handler was given for: connections opened afterwards declare them too. */
  private readonly seenPerCall = { elicitation: false, sampling: false, roots: false };

  constructor(options: ServerRequestScopesOptions) {
    this.options = options;
  }

  /** Sets (or, with `undefined`, clears) a conversation's handlers; returns a function that clears them. */
  setSession(sessionKey: string, handlers: ServerRequestHandlers | undefined): () => void {
    if (typeof sessionKey !== 'string' || sessionKey === '') {
      throw new ToolwireError({
        code: 'INVALID_OPTIONS',
        message: `setSessionHandlers: expected a non-empty session key, got ${JSON.stringify(sessionKey)}`,
      });
    }
    checkHandlers(handlers, 'setSessionHandlers');
    if (!handlers || (!handlers.onElicitation && !handlers.onSampling && !handlers.onRoots)) {
      this.sessions.delete(sessionKey);
      return () => {};
    }
    const own = {
      onElicitation: handlers.onElicitation,
      onSampling: handlers.onSampling,
      onRoots: handlers.onRoots,
    };
    this.sessions.set(sessionKey, own);
    return () => {
      if (this.sessions.get(sessionKey) === own) this.sessions.delete(sessionKey);
    };
  }

  /** What a connection opened now declares, and how it answers requests no call claims. */
  setup(): ServerRequestSetup | undefined {
    const sessions = [...this.sessions.values()];
    const elicitation =
      this.options.registry.onElicitation !== undefined ||
      this.options.declare?.elicitation === true ||
      this.seenPerCall.elicitation ||
      sessions.some((handlers) => handlers.onElicitation);
    const sampling =
      this.options.registry.onSampling !== undefined ||
      this.options.declare?.sampling === true ||
      this.seenPerCall.sampling ||
      sessions.some((handlers) => handlers.onSampling);
    const roots =
      this.options.registry.onRoots !== undefined ||
      this.options.declare?.roots === true ||
      this.seenPerCall.roots ||
      sessions.some((handlers) => handlers.onRoots);
    if (!elicitation && !sampling && !roots) return undefined;
    return {
      elicitation,
      sampling,
      roots,
      handlersFor: (sessionKey) => this.resolve(sessionKey, undefined),
      timeoutMs: this.options.timeoutMs ?? DEFAULT_SERVER_REQUEST_TIMEOUT_MS,
      onFailure: (error) => this.options.onFailure(error),
    };
  }

  /**
   * The handlers a call carries to its connection, when they may differ from the connection's own
   * answer: it has handlers of its own, or its conversation has some and the connection is shared.
   */
  forCall(
    sessionKey: string | undefined,
    call: ServerRequestHandlers,
    sharedConnection: boolean,
  ): ServerRequestHandlers | undefined {
    checkHandlers(call, 'callTool');
    if (call.onElicitation) this.seenPerCall.elicitation = true;
    if (call.onSampling) this.seenPerCall.sampling = true;
    if (call.onRoots) this.seenPerCall.roots = true;
    const ownHandlers =
      call.onElicitation !== undefined || call.onSampling !== undefined || call.onRoots !== undefined;
    const sessionHandlers = sessionKey !== undefined && this.sessions.has(sessionKey);
    if (!ownHandlers && !(sessionHandlers && sharedConnection)) return undefined;
    return this.resolve(sessionKey, call);
  }

  /**
   * The handlers that answer for a call, or the task it became (`where` names the API that took
   * `call`, for its errors): most specific first.
   */
  handlersFor(
    sessionKey: string | undefined,
    call?: ServerRequestHandlers,
    where = 'callTool',
  ): ServerRequestHandlers {
    checkHandlers(call, where);
    return this.resolve(sessionKey, call);
  }

  /** How long one handler may take. */
  get timeoutMs(): number {
    return this.options.timeoutMs ?? DEFAULT_SERVER_REQUEST_TIMEOUT_MS;
  }

  private resolve(
    sessionKey: string | undefined,
    call: ServerRequestHandlers | undefined,
  ): ServerRequestHandlers {
    const session = sessionKey === undefined ? undefined : this.sessions.get(sessionKey);
    return pickHandlers(call, session, this.options.registry);
  }
}

function checkHandlers(handlers: ServerRequestHandlers | undefined, where: string): void {
  if (handlers === undefined) return;
  for (const key of ['onElicitation', 'onSampling', 'onRoots'] as const) {
    const value = handlers[key];
    if (value !== undefined && typeof value !== 'function') {
      throw new ToolwireError({
        code: 'INVALID_OPTIONS',
        message: `${where}: ${key} must be a function, got ${value === null ? 'null' : typeof value}`,
      });
    }
  }
}
