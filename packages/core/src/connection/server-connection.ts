/**
 * One live MCP client session to one server: opens the transport (with the Streamable HTTP → SSE
 * fallback for a bare `url`), runs the handshake within a deadline, lists tools, calls tools with
 * a per-request abort signal and timeout, follows `tools/list_changed`, and closes cleanly
 * (terminating HTTP sessions with a DELETE). It knows nothing of the registry's catalogue.
 * The choices made while connecting (transport, capabilities, era hints, SSE fallback) are in
 * `connect-choices.ts`; progress and logs are taken off the wire by `wire-order-notifications.ts`.
 */
import {
  type CallToolResult,
  Client,
  type ClientCapabilities,
  type DiscoverResult,
  type Implementation,
  type jsonSchemaValidator,
  LOG_LEVEL_META_KEY,
  type LoggingMessageNotificationParams,
  type Prompt,
  type RequestOptions,
  type ServerCapabilities,
  StreamableHTTPClientTransport,
  type Tool,
  type Transport,
} from '@modelcontextprotocol/client';
import type { ServerDefinition } from '../config/server-config.js';
import { InvalidArgumentsError } from '../errors/invalid-arguments-error.js';
import { ToolwireError } from '../errors/toolwire-error.js';
import type { ServerLogEvent, ServerLogLevel } from '../events/registry-events.js';
import type { Logger } from '../logging/logger.js';
import { httpStatusOf, systemCodeOf } from '../pool/retry-policy.js';
import { createdTaskOf, interceptCreatedTasks } from '../tasks/created-task-reply.js';
import { withoutTasksMeta } from '../tasks/task-opt-out.js';
import type { ListMethod } from '../telemetry/registry-telemetry.js';
import { isNotDelivered } from '../transports/delivery.js';
import { headerArgumentIssues, headerParametersOf } from '../transports/header-parameters.js';
import { UnattributedOversizeError } from '../transports/inbound-guard.js';
import { REQUEST_CONTEXT_HEADER, RequestContexts } from '../transports/request-contexts.js';
import type { TransportContext } from '../transports/transport-context.js';
import { withDeadline } from '../util/abort.js';
import {
  type ConnectedTransportKind,
  type ConnectionHints,
  clientOptionsFor,
  mayBeStaleHint,
  openTransport,
  priorDiscoveryFor,
  shouldFallBackToSSE,
} from './connect-choices.js';
import { DirectToolCalls } from './direct-tool-calls.js';
import { callToolAnsweringRounds } from './input-rounds.js';
import { resultTooLarge, toConnectError, toToolwireError } from './map-error.js';
import { watchRequestStreams } from './request-stream-watch.js';
import { ResourceWatch } from './resource-watch.js';
import { skipResultSchemaProbe } from './result-validators.js';
import type { ServerRequestHandlers } from './server-requests.js';
import { type ActiveCall, type LogTarget, type ServerRequestSetup, ServerTraffic } from './server-traffic.js';
import { routeInWireOrder } from './wire-order-notifications.js';

export type { ConnectedTransportKind, ConnectionHints, LogTarget, ServerRequestSetup };

export interface ServerConnectionOptions {
  definition: ServerDefinition;
  /** Wraps each listing request (telemetry spans); see `RegistryTelemetry.traceList`. */
  traceList?: (<T>(method: ListMethod, server: string, run: () => Promise<T>) => Promise<T>) | undefined;
  clientInfo: Implementation;
  logger: Logger;
  sessionKey: string | undefined;
  authProvider?: TransportContext['authProvider'];
  fetch?: TransportContext['fetch'];
  /** Elicitation and sampling; without it the client declares neither. */
  serverRequests?: ServerRequestSetup | undefined;
  /** The least severe log message to ask the server for (when it declares logging). */
  logLevel?: ServerLogLevel | undefined;
  /**
   * Each `notifications/message` the server sends, with the call it belongs to when one call was
   * running on this connection (the protocol does not say; with several it is not guessed).
   */
  onLog?: ((message: LoggingMessageNotificationParams, call: LogTarget | undefined) => void) | undefined;
  /**
   * Checks a result's `structuredContent` against the tool's `outputSchema` (the registry's own
   * validator, so a server's patterns never run on a backtracking engine). Default: the SDK's.
   */
  jsonSchemaValidator?: jsonSchemaValidator | undefined;
  /** Called with the new list after the server announced `tools/list_changed`. */
  onToolsChanged?: (tools: Tool[]) => void;
  /** Called with the new list after the server announced `prompts/list_changed`. */
  onPromptsChanged?: ((prompts: Prompt[]) => void) | undefined;
  /** Called after the server announced `resources/list_changed` (the lists are read live: none is kept). */
  onResourcesChanged?: (() => void) | undefined;
  /** Sees each stderr line of a stdio server (the registry keeps a tail per server). */
  onStderr?: ((line: string) => void) | undefined;
  /** Called once when the connection ends without `close()` being called (crash, network drop). */
  onUnexpectedClose?: (error: ToolwireError) => void;
  /**
   * What an earlier connection learned (from the schema cache): the protocol era, replayed as
   * `connect({ prior })` to skip the version probe, and the transport an `'auto'` URL settled on.
   * A hint that no longer holds is dropped and the connect runs again without it.
   */
  hints?: ConnectionHints | undefined;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
  /** The caller's conversation, passed to a `headers` function for this request. */
  sessionKey?: string | undefined;
  /** Time this attempt may take (ms): the caller's budget, or what a retry has left of it. */
  timeoutMs: number;
  /** The caller's whole budget (ms), named in a `TIMEOUT` message. Default `timeoutMs`. */
  budgetMs?: number | undefined;
  onProgress?:
    | ((progress: { progress: number; total?: number | undefined; message?: string | undefined }) => void)
    | undefined;
  /**
   * The handlers answering this call's elicitation and sampling (the call's, its conversation's,
   * the registry's, most specific first), when they may differ from the connection's: on
   * 2026-07-28 its input rounds are then answered by them alone.
   */
  handlers?: ServerRequestHandlers | undefined;
  /**
   * 2026-07-28: the least severe log message the server should send during this call (servers
   * send none unless asked); 2025 servers were told once, at connect.
   */
  logLevel?: ServerLogLevel | undefined;
  /** The registry's id of the call (for events). */
  callId?: number | undefined;
  /** Receives the server's log messages tied to this call (raw; the registry filters and redacts). */
  onLog?: ((event: ServerLogEvent) => void) | undefined;
  /** Extra HTTP headers for this call's request (interceptors, trace context); stdio has none. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Extra `_meta` entries for this call's request (interceptors, SEP-414 trace context). */
  meta?: Readonly<Record<string, unknown>> | undefined;
  /**
   * `false`: this call declares no Tasks extension (2026-07-28: its `_meta` capabilities leave it
   * out; see `tasks/task-opt-out.ts`). Default: the connection's capabilities, which declare it.
   */
  tasks?: boolean | undefined;
}

const STDERR_LINES_KEPT = 20;
/** An error message shows at most this much of each stderr line (the logger gets the whole kept line). */
const STDERR_HINT_LINE_CHARS = 300;
let progressTokenCounter = 0;

/** A request's own abort controller and its link to the caller's signal. */
interface LinkedSignal {
  controller: AbortController;
  callerSignal: AbortSignal | undefined;
  forwardAbort: () => void;
}

export class ServerConnection {
  readonly definition: ServerDefinition;
  readonly sessionKey: string | undefined;
  tools: Tool[] = [];
  prompts: Prompt[] = [];
  private client: Client | undefined;
  /** The capabilities the client declared (a call may declare less: `CallOptions.tasks`). */
  private declaredCapabilities: ClientCapabilities | undefined;
  private transport: Transport | undefined;
  private kind: ConnectedTransportKind | undefined;
  private closing = false;
  private closed = false;
  private expired = false;
  /** Abort controllers of the requests running now, so a lost connection can fail them at once. */
  /** Requests running now (with or without a controller of their own). */
  private running = 0;
  private readonly stderrLines: string[] = [];
  /** Callers of running requests, when the server's `headers` is a function (HTTP only). */
  private readonly requestContexts: RequestContexts | undefined;
  /** Set when an oversized message that named no request ended this connection. */
  private oversizeLimitBytes: number | undefined;
  private readonly progressListeners = new Map<string, NonNullable<CallOptions['onProgress']>>();
  /** Log messages and requests of the server, and the running calls they may belong to. */
  private readonly traffic: ServerTraffic;
  private resourceWatch: ResourceWatch | undefined;
  /** Plain `tools/call` requests sent without the SDK client's request layer (2025-era connections). */
  private direct: DirectToolCalls | undefined;
  /** `tools` by name, for the list it was made from. */
  private toolIndex: { list: Tool[]; byName: Map<string, Tool> } | undefined;
  private readonly options: ServerConnectionOptions;

  private constructor(options: ServerConnectionOptions) {
    this.options = options;
    this.definition = options.definition;
    this.sessionKey = options.sessionKey;
    this.traffic = new ServerTraffic({
      server: options.definition.name,
      sessionKey: options.sessionKey,
      logger: options.logger,
      serverRequests: options.serverRequests,
      onLog: options.onLog,
    });
    const { definition } = options;
    this.requestContexts =
      definition.transport !== 'stdio' && typeof definition.headers === 'function'
        ? new RequestContexts()
        : undefined;
  }

  /** Connects (within `connectTimeoutMs`) and lists tools; throws `CONNECT_FAILED`/`AUTH_FAILED` on failure. */
  static async open(options: ServerConnectionOptions): Promise<ServerConnection> {
    if (!options.hints) return ServerConnection.openOnce(options);
    try {
      return await ServerConnection.openOnce(options);
    } catch (error) {
      // Hints can only be wrong about the protocol, not about a server that is down or slow.
      if (!ToolwireError.isInstance(error) || !mayBeStaleHint(error)) throw error;
      options.logger.debug(
        `[${options.definition.name}] connecting with cached hints failed (${(error as Error).message}); retrying without them`,
      );
      return ServerConnection.openOnce({ ...options, hints: undefined });
    }
  }

  private static async openOnce(options: ServerConnectionOptions): Promise<ServerConnection> {
    const connection = new ServerConnection(options);
    const { definition } = options;
    try {
      await withDeadline(connection.connectAndList(), definition.connectTimeoutMs, () => {
        void connection.close();
        return new ToolwireError({
          code: 'CONNECT_FAILED',
          server: definition.name,
          message: `Server "${definition.name}" did not finish connecting within ${definition.connectTimeoutMs} ms${connection.stderrHint()}`,
        });
      });
    } catch (error) {
      await connection.close();
      if (ToolwireError.isInstance(error)) throw error;
      throw toConnectError(error, definition, connection.stderrHint());
    }
    return connection;
  }

  get transportKind(): ConnectedTransportKind | undefined {
    return this.kind;
  }
  get isOpen(): boolean {
    return !this.closed && !this.closing && !this.expired && this.client !== undefined;
  }
  get serverVersion(): Implementation | undefined {
    return this.client?.getServerVersion();
  }
  get capabilities(): ServerCapabilities | undefined {
    return this.client?.getServerCapabilities();
  }
  get instructions(): string | undefined {
    return this.client?.getInstructions();
  }
  get protocolVersion(): string | undefined {
    return this.client?.getNegotiatedProtocolVersion();
  }
  /** `'modern'` (2026-07-28+) or `'legacy'` (2025 `initialize`), once connected. */
  get era(): 'modern' | 'legacy' | undefined {
    return this.client?.getProtocolEra();
  }
  /** The modern era's discover result, persistable for a later `connect({ prior })`. */
  get discoverResult(): DiscoverResult | undefined {
    return this.client?.getDiscoverResult();
  }
  /** True once the server said (HTTP 404) that this connection's session no longer exists. */
  get isExpired(): boolean {
    return this.expired;
  }
  /** The HTTP session id, when the server assigned one. */
  get httpSessionId(): string | undefined {
    return this.transport instanceof StreamableHTTPClientTransport ? this.transport.sessionId : undefined;
  }
  /** The stdio child's pid, when this is a stdio connection. */
  get processId(): number | undefined {
    const pid = (this.transport as { pid?: number | null } | undefined)?.pid;
    return typeof pid === 'number' ? pid : undefined;
  }
  /** The underlying SDK client, for features the registry does not wrap (prompts, resources). */
  get sdkClient(): Client {
    if (!this.client) throw new Error('not connected');
    return this.client;
  }

  private async connectAndList(): Promise<void> {
    const { definition, hints } = this.options;
    if (definition.transport === 'auto' && hints?.connectedTransport === 'sse') {
      await this.connectWith('sse');
    } else if (definition.transport === 'auto') {
      try {
        await this.connectWith('streamable-http');
      } catch (error) {
        // Our own errors (auth refused, no token) are answers, not a sign the server only speaks SSE.
        if (ToolwireError.isInstance(error) || !shouldFallBackToSSE(error)) throw error;
        this.options.logger.debug(`[${definition.name}] Streamable HTTP refused; trying legacy SSE`);
        await this.dropTransport();
        await this.connectWith('sse');
      }
    } else {
      await this.connectWith(definition.transport);
    }
    await this.askForLogLevel();
    this.tools = await this.listTools();
    this.prompts = await this.listPrompts();
  }

  /**
   * 2025 servers that declare logging are told the least severe level wanted (`logging/setLevel`);
   * 2026-07-28 ones get it with every call instead. A refusal only costs the filtering on arrival.
   */
  private async askForLogLevel(): Promise<void> {
    const level = this.options.logLevel;
    const client = this.client;
    if (!level || !client || this.era === 'modern' || !client.getServerCapabilities()?.logging) return;
    try {
      await client.setLoggingLevel(level, { timeout: this.definition.connectTimeoutMs });
    } catch (error) {
      this.options.logger.debug(
        `[${this.definition.name}] logging/setLevel ${level} failed: ${(error as Error).message}`,
      );
    }
  }

  private async connectWith(kind: ConnectedTransportKind): Promise<void> {
    const { definition, logger } = this.options;
    const context: TransportContext = {
      logger,
      sessionKey: this.sessionKey,
      requestContexts: this.requestContexts,
      authProvider: this.options.authProvider,
      fetch: this.options.fetch,
      onStderr: (line) => {
        this.stderrLines.push(line);
        if (this.stderrLines.length > STDERR_LINES_KEPT) this.stderrLines.shift();
        this.options.onStderr?.(line);
      },
    };
    const transport = await openTransport(kind, definition, context);
    const serverRequests = this.options.serverRequests;
    const clientOptions = clientOptionsFor(definition, serverRequests, this.options.jsonSchemaValidator);
    this.declaredCapabilities = clientOptions.capabilities;
    const client = new Client(this.options.clientInfo, {
      ...clientOptions,
      listChanged: {
        tools: {
          onChanged: (error, tools) => {
            if (error) {
              if (this.closing || this.closed) return;
              logger.warn(
                `[${definition.name}] could not refresh tools after list_changed: ${error.message}`,
              );
              return;
            }
            if (tools && !this.closing) {
              this.tools = tools;
              this.options.onToolsChanged?.(tools);
            }
          },
        },
        prompts: {
          onChanged: (error, prompts) => {
            if (error) {
              if (this.closing || this.closed) return;
              logger.warn(
                `[${definition.name}] could not refresh prompts after list_changed: ${error.message}`,
              );
              return;
            }
            if (prompts && !this.closing) {
              this.prompts = prompts;
              this.options.onPromptsChanged?.(prompts);
            }
          },
        },
        resources: {
          // Resources are listed on request (registry.listResources), never kept: only pass the news on.
          autoRefresh: false,
          onChanged: () => {
            if (!this.closing && !this.closed) this.options.onResourcesChanged?.();
          },
        },
      },
    });
    skipResultSchemaProbe(client);
    // These answer 2025 server-to-client requests, and the 2026-07-28 input rounds the SDK runs
    // itself (calls without handlers of their own, prompts, resources).
    if (serverRequests?.elicitation) {
      client.setRequestHandler(
        'elicitation/create',
        async (request, context) =>
          (await this.traffic.answerUnclaimed(
            'elicitation/create',
            request.params,
            context.mcpReq.signal,
          )) as never,
      );
    }
    if (serverRequests?.sampling) {
      client.setRequestHandler(
        'sampling/createMessage',
        async (request, context) =>
          (await this.traffic.answerUnclaimed(
            'sampling/createMessage',
            request.params,
            context.mcpReq.signal,
          )) as never,
      );
    }
    if (serverRequests?.roots) {
      client.setRequestHandler(
        'roots/list',
        async (_request, context) =>
          (await this.traffic.answerUnclaimed('roots/list', undefined, context.mcpReq.signal)) as never,
      );
    }
    client.onerror = (error) => {
      logger.debug(`[${definition.name}] transport error: ${error.message}`);
      if (error instanceof UnattributedOversizeError) {
        // A reply past the limit that names no request: whatever it answered can never settle, so
        // the connection ends (its calls fail RESULT_TOO_LARGE) and the next call reconnects.
        this.oversizeLimitBytes = error.limitBytes;
        void this.transport?.close();
        return;
      }
      // The event stream met a 404 (the server forgot the session: restart, expiry) or a refused
      // connection (the server is down): the next call starts a new session. Running requests are
      // left to fail on their own, each classified by what happened to it (its POST's 404 means
      // it did not run; a cut response stream is noticed by the stream watch): failing them all
      // here would call requests "may or may not have run" that had not even been sent, e.g. when
      // a server answers the optional GET stream with 404 instead of 405.
      if (this.httpSessionId === undefined) return;
      const code = systemCodeOf(error);
      if (httpStatusOf(error) !== 404 && code !== 'ECONNREFUSED') return;
      this.expired = true;
    };
    // Only a close after a completed handshake is unexpected. A failed handshake closes its own
    // client (and `connect()` rejects); a client we dropped ourselves (the Streamable HTTP attempt
    // before the SSE fallback) is no longer ours. Neither may mark the connection closed.
    let handshakeDone = false;
    client.onclose = () => {
      if (!handshakeDone || this.client !== client || this.closing || this.closed) return;
      this.closed = true;
      const error = new ToolwireError({
        code: 'SERVER_CLOSED',
        server: definition.name,
        message: `Connection to server "${definition.name}" closed unexpectedly${this.stderrHint()}`,
      });
      this.options.onUnexpectedClose?.(error);
    };
    this.client = client;
    this.transport = transport;
    this.kind = kind;
    const prior = priorDiscoveryFor(definition, this.options.hints);
    const streams =
      transport instanceof StreamableHTTPClientTransport ? watchRequestStreams(transport) : undefined;
    await client.connect(transport, prior ? { prior } : undefined);
    handshakeDone = true;
    // Next to the SDK's own handler: a fault reply for a cut response stream (delivered to the
    // handler below the wire-order routing) and a task answer (turned into its carrier error by
    // the interception above) reach a direct call as they would reach the SDK.
    this.direct = DirectToolCalls.install(client, transport, this.options.jsonSchemaValidator);
    routeInWireOrder(transport, streams, {
      deliverLog: (params) => this.traffic.deliverLog(params),
      progressListener: (token) => this.progressListeners.get(token),
    });
    interceptCreatedTasks(transport);
  }

  async listTools(): Promise<Tool[]> {
    const client = this.client;
    if (!client) return [];
    if (!client.getServerCapabilities()?.tools) return [];
    const { tools } = await this.traced('tools/list', () =>
      client.listTools(undefined, { timeout: this.definition.connectTimeoutMs, cacheMode: 'refresh' }),
    );
    return tools;
  }

  async listPrompts(): Promise<Prompt[]> {
    const client = this.client;
    if (!client?.getServerCapabilities()?.prompts) return [];
    const { prompts } = await this.traced('prompts/list', () =>
      client.listPrompts(undefined, { timeout: this.definition.connectTimeoutMs, cacheMode: 'refresh' }),
    );
    return prompts;
  }

  private traced<T>(method: ListMethod, run: () => Promise<T>): Promise<T> {
    const trace = this.options.traceList;
    return trace ? trace(method, this.definition.name, run) : run();
  }

  /**
   * Runs any other request (prompts, resources) with the same guarantees as a tool call: its own
   * abort signal linked to the caller's, a timeout, and errors mapped to `ToolwireError`s.
   */
  async request<T>(
    method: string,
    subject: string,
    defaultTimeoutMs: number,
    options: {
      signal?: AbortSignal | undefined;
      timeoutMs?: number | undefined;
      sessionKey?: string | undefined;
      /** Its own elicitation and sampling handlers (prompts and resource reads). */
      handlers?: ServerRequestHandlers | undefined;
    },
    send: (client: Client, requestOptions: RequestOptions) => Promise<T>,
  ): Promise<T> {
    const client = this.client;
    if (!client || this.closed || this.closing) {
      throw new ToolwireError({
        code: 'SERVER_CLOSED',
        server: this.definition.name,
        message: `Connection to server "${this.definition.name}" is closed`,
      });
    }
    const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    const linked = this.linkSignal(options.signal);
    const caller = this.enterCaller(options.sessionKey);
    // Prompts and resource reads may ask for input too: their questions are theirs when they run alone.
    const active: ActiveCall | undefined =
      method === 'prompts/get' || method === 'resources/read'
        ? {
            tool: `${method} ${subject}`,
            callId: undefined,
            onLog: undefined,
            sessionKey: options.sessionKey,
            handlers: options.handlers,
            signal: linked?.controller.signal,
          }
        : undefined;
    const leave = active ? this.traffic.enter(active) : undefined;
    try {
      return await send(client, {
        ...(linked ? { signal: linked.controller.signal } : {}),
        ...(caller ? { headers: caller.headers } : {}),
        timeout: timeoutMs,
        maxTotalTimeout: timeoutMs,
      });
    } catch (error) {
      this.noteExpiry(error);
      if (isNotDelivered(error)) throw this.notDeliveredError(`${method} ${subject}`, error);
      if (isMidCallTransportFailure(error)) throw this.lostError(`${method} ${subject}`, error);
      throw toToolwireError(error, {
        server: this.definition.name,
        tool: `${method} ${subject}`,
        timeoutMs,
        aborted: linked?.controller.signal.aborted === true,
        closed: this.closed,
        stderrHint: this.stderrHint(),
      });
    } finally {
      leave?.();
      caller?.leave();
      this.unlinkSignal(linked);
    }
  }

  /**
   * Follows one resource on this connection (`resource-watch.ts`): `onUpdated` runs for each
   * `notifications/resources/updated` naming it, until the returned function is called.
   */
  async watchResource(uri: string, onUpdated: () => void, timeoutMs: number): Promise<() => Promise<void>> {
    const client = this.client;
    if (!client || this.closed || this.closing) {
      throw new ToolwireError({
        code: 'SERVER_CLOSED',
        server: this.definition.name,
        message: `Connection to server "${this.definition.name}" is closed`,
      });
    }
    this.resourceWatch ??= new ResourceWatch(client, this.definition.name);
    try {
      return await this.resourceWatch.watch(uri, onUpdated, timeoutMs);
    } catch (error) {
      if (ToolwireError.isInstance(error)) throw error;
      throw toToolwireError(error, {
        server: this.definition.name,
        tool: `resources/subscribe ${uri}`,
        timeoutMs,
        aborted: false,
        closed: this.closed,
        stderrHint: this.stderrHint(),
      });
    }
  }

  /** Registers the caller of one request, for a `headers` function; `undefined` when none is configured. */
  private enterCaller(
    sessionKey: string | undefined,
  ): { headers: Record<string, string>; leave(): void } | undefined {
    const contexts = this.requestContexts;
    if (!contexts) return undefined;
    const token = contexts.enter({ sessionKey });
    return { headers: { [REQUEST_CONTEXT_HEADER]: token }, leave: () => contexts.leave(token) };
  }

  /** Calls a tool by its name on the server. Errors are `ToolwireError`s (TIMEOUT, CANCELLED, SERVER_CLOSED, …). */
  async callTool(
    name: string,
    args: Record<string, unknown>,
    options: CallOptions,
    toolName: string,
  ): Promise<CallToolResult> {
    const client = this.client;
    if (!client || this.closed || this.closing) {
      throw new ToolwireError({
        code: 'SERVER_CLOSED',
        server: this.definition.name,
        tool: toolName,
        message: `Connection to server "${this.definition.name}" is closed`,
      });
    }
    this.checkHeaderArguments(name, args, toolName);
    const ownRounds = options.handlers !== undefined && this.era === 'modern';
    // Own rounds need a signal of their own even on stdio: their handlers are aborted with it.
    const linked = this.linkSignal(options.signal, ownRounds);
    const progressToken = options.onProgress ? `toolwire-progress-${++progressTokenCounter}` : undefined;
    if (progressToken && options.onProgress) this.progressListeners.set(progressToken, options.onProgress);
    const caller = this.enterCaller(options.sessionKey);
    const active: ActiveCall = {
      tool: toolName,
      callId: options.callId,
      onLog: options.onLog,
      sessionKey: options.sessionKey,
      handlers: options.handlers,
      signal: linked?.controller.signal,
    };
    const leave = this.traffic.enter(active);
    try {
      const logLevel = options.logLevel && this.era === 'modern' ? options.logLevel : undefined;
      // Copied only when something is added: most calls send the interceptors' `_meta` (or none) as it is.
      const tasksMeta =
        options.tasks === false ? withoutTasksMeta(this.era, this.declaredCapabilities) : undefined;
      const meta =
        progressToken || logLevel || (tasksMeta && hasEntries(tasksMeta))
          ? {
              ...options.meta,
              ...tasksMeta,
              ...(progressToken ? { progressToken } : {}),
              ...(logLevel ? { [LOG_LEVEL_META_KEY]: logLevel } : {}),
            }
          : options.meta;
      const params =
        meta && hasEntries(meta) ? { name, arguments: args, _meta: meta } : { name, arguments: args };
      const headers =
        caller || (options.headers && hasEntries(options.headers))
          ? { ...options.headers, ...caller?.headers }
          : undefined;
      if (this.direct && !progressToken && !ownRounds) {
        return await this.direct.call(params, {
          signal: linked?.controller.signal,
          timeoutMs: options.timeoutMs,
          headers,
          tool: this.listedTool(name),
        });
      }
      const requestOptions = {
        ...(linked ? { signal: linked.controller.signal } : {}),
        ...(headers ? { headers } : {}),
      };
      if (ownRounds && options.handlers) {
        const handlers = options.handlers;
        return await callToolAnsweringRounds({
          client,
          params,
          requestOptions,
          timeoutMs: options.timeoutMs,
          tool: this.listedTool(name),
          validator: this.options.jsonSchemaValidator,
          server: this.definition.name,
          toolName,
          answer: (method, request, signal, key) =>
            this.traffic.answer(method, request, signal, active, handlers, key),
        });
      }
      return (await client.callTool(params, {
        ...requestOptions,
        timeout: options.timeoutMs,
        maxTotalTimeout: options.timeoutMs,
      })) as CallToolResult;
    } catch (error) {
      // The server answered with a task: the registry follows it (tasks/follow-task.ts).
      if (createdTaskOf(error)) throw error;
      // A round's own failure (a handler's, too many rounds) is already the call's answer.
      if (ownRounds && ToolwireError.isInstance(error)) throw error;
      this.noteExpiry(error);
      if (this.oversizeLimitBytes !== undefined && !linked?.controller.signal.aborted) {
        throw resultTooLarge(this.definition.name, toolName, this.oversizeLimitBytes, error);
      }
      if (isNotDelivered(error)) throw this.notDeliveredError(toolName, error);
      if (isMidCallTransportFailure(error)) throw this.lostError(toolName, error);
      throw toToolwireError(error, {
        server: this.definition.name,
        tool: toolName,
        timeoutMs: options.budgetMs ?? options.timeoutMs,
        aborted: linked?.controller.signal.aborted === true,
        closed: this.closed,
        stderrHint: this.stderrHint(),
      });
    } finally {
      leave();
      caller?.leave();
      if (progressToken) this.progressListeners.delete(progressToken);
      this.unlinkSignal(linked);
    }
  }

  /**
  /**
   * On a 2026-07-28 Streamable HTTP connection, refuses a call whose `x-mcp-header` arguments
   * cannot be mirrored into their `Mcp-Param-*` headers (see `header-parameters.ts`), before it
   * is sent.
   */
  private checkHeaderArguments(name: string, args: Record<string, unknown>, toolName: string): void {
    if (this.kind !== 'streamable-http' || this.era !== 'modern') return;
    const tool = this.listedTool(name);
    if (!tool) return;
    const issues = headerArgumentIssues(headerParametersOf(tool.inputSchema), args);
    if (issues.length === 0) return;
    throw new InvalidArgumentsError({ tool: toolName, server: this.definition.name, issues });
  }

  /** The server's tool `name` as last listed on this connection. */
  private listedTool(name: string): Tool | undefined {
    if (this.toolIndex?.list !== this.tools) {
      const byName = new Map<string, Tool>();
      // The first of two tools with one name wins, as a search of the list would find it.
      for (const tool of this.tools) if (!byName.has(tool.name)) byName.set(tool.name, tool);
      this.toolIndex = { list: this.tools, byName };
    }
    return this.toolIndex.byName.get(name);
  }

  /**
   * The abort controller one request runs with, linked to the caller's signal: each request gets
   * its own, so the SDK never piles listeners onto one shared signal. A stdio request without a caller's
   * signal gets none: nothing could abort it (a stdio connection that ends fails its requests as
   * closed), and a controller plus the SDK's listener on it was the largest cost toolwire added to
   * such a call.
   */
  private linkSignal(callerSignal: AbortSignal | undefined, always = false): LinkedSignal | undefined {
    this.running++;
    if (callerSignal === undefined && this.kind === 'stdio' && !always) return undefined;
    const controller = new AbortController();
    const forwardAbort = () => controller.abort(callerSignal?.reason);
    if (callerSignal?.aborted) forwardAbort();
    else callerSignal?.addEventListener('abort', forwardAbort, { once: true });
    return { controller, callerSignal, forwardAbort };
  }

  private unlinkSignal(linked: LinkedSignal | undefined): void {
    this.running--;
    if (!linked) return;
    linked.callerSignal?.removeEventListener('abort', linked.forwardAbort);
  }

  /**
   * Closes the session: HTTP sessions get their DELETE (unless `terminateSession: false`, for a
   * session the server already forgot), stdio children are ended. Idempotent; never throws.
   */
  async close(options: { terminateSession?: boolean } = {}): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.traffic.close();
    const transport = this.transport;
    const terminate = options.terminateSession !== false && !this.expired;
    if (
      terminate &&
      transport instanceof StreamableHTTPClientTransport &&
      transport.sessionId &&
      !this.closed
    ) {
      try {
        await withDeadline(transport.terminateSession(), 2_000, () => new Error('session DELETE timed out'));
      } catch (error) {
        this.options.logger.debug(
          `[${this.definition.name}] session termination failed: ${(error as Error).message}`,
        );
      }
    }
    await this.dropTransport();
    this.closed = true;
  }

  private async dropTransport(): Promise<void> {
    const client = this.client;
    const transport = this.transport;
    this.client = undefined;
    this.transport = undefined;
    this.direct = undefined;
    try {
      if (client) await client.close();
      else if (transport) await transport.close();
    } catch (error) {
      this.options.logger.debug(`[${this.definition.name}] close failed: ${(error as Error).message}`);
    }
  }

  /** Requests running on this connection right now (for tests and diagnostics). */
  get inFlightCount(): number {
    return this.running;
  }

  private lostError(tool: string, cause?: unknown): ToolwireError {
    return new ToolwireError({
      code: 'SERVER_CLOSED',
      server: this.definition.name,
      tool,
      cause,
      message: `The connection to server "${this.definition.name}" was lost during the call to "${tool}" (its session ended or the server went away); the call may or may not have run`,
    });
  }

  /** The connection was reset before the server read the request: it did not run (safe to re-send). */
  private notDeliveredError(tool: string, cause: unknown): ToolwireError {
    this.expired = true;
    return new ToolwireError({
      code: 'SERVER_CLOSED',
      server: this.definition.name,
      tool,
      cause,
      message: `The request to server "${this.definition.name}" for "${tool}" never reached it (the connection was reset before the server read it); it did not run`,
    });
  }

  /** A 404 on a request that carried a session id: the server no longer knows this session. */
  private noteExpiry(error: unknown): void {
    if (httpStatusOf(error) === 404 && this.httpSessionId !== undefined) this.expired = true;
  }

  private stderrHint(): string {
    if (this.stderrLines.length === 0) return '';
    const lines = this.stderrLines
      .slice(-5)
      .map((line) =>
        line.length > STDERR_HINT_LINE_CHARS ? `${line.slice(0, STDERR_HINT_LINE_CHARS)}…` : line,
      );
    return `; last stderr lines:\n    ${lines.join('\n    ')}`;
  }
}

function hasEntries(record: object): boolean {
  for (const _key in record) return true;
  return false;
}

/**
 * The socket broke after the request was sent (reset, closed by the other side): the request may
 * have reached the server. A refused connection is not one of these: nothing was sent.
 */
function isMidCallTransportFailure(error: unknown): boolean {
  const code = systemCodeOf(error);
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED';
}
