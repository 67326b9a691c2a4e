/**
 * `ToolRegistry`, the implementation behind `createRegistry()`: the catalogue comes from the
 * schema cache at once and from the servers as they connect: all in parallel at start
 * (`loading: 'eager'`), or each on its first call (`'lazy'`). A failing server is marked `failed`
 * and never blocks or fails the others. This class owns the registry's state (options, servers,
 * redaction, events) and its lifecycle (start, refresh, enable/disable, close); each other
 * concern has a file of its own it delegates to: `catalogue.ts` (names, lookups, search),
 * `call-path.ts` (tool calls), `task-hand-off.ts` (task handles), `pooled-read.ts` and
 * `prompts-and-resources.ts` (reads), `server-log-relay.ts` (server logs),
 * `schema-cache-writes.ts` (the cache) and `server-descriptions.ts` (servers as described).
 */
import type {
  CompleteRequest,
  CompleteResult,
  GetPromptResult,
  Implementation,
  jsonSchemaValidator,
  ReadResourceResult,
} from '@modelcontextprotocol/client';
import { AuthLayer } from '../auth/server-auth.js';
import {
  type ParseConfigOptions,
  type ParsedServerEntry,
  parseServerEntries,
} from '../config/parse-config.js';
import { ServerConnection } from '../connection/server-connection.js';
import type { ServerRequestHandlers } from '../connection/server-requests.js';
import type { SearchToolsOptions, ToolSearchResult } from '../discovery/search-types.js';
import { ToolwireError } from '../errors/toolwire-error.js';
import { TypedEmitter } from '../events/event-emitter.js';
import type { RegistryEvents, ServerStatus } from '../events/registry-events.js';
import { placeInterceptors } from '../interceptors/run-interceptors.js';
import { defaultLogger, type Logger } from '../logging/logger.js';
import { Redactor } from '../redaction/redactor.js';
import { addServerSecrets, secretSensingFetch } from '../redaction/secret-sources.js';
import type { ToolCallResult } from '../results/tool-call-result.js';
import type { ValidationResult } from '../schema/schema-types.js';
import { DEFAULT_STORE_TIMEOUT_MS } from '../stores/store-health.js';
import type { TaskRef, ToolTask } from '../tasks/tool-task.js';
import { withTelemetry } from '../telemetry/registry-telemetry.js';
import { platformFetch } from '../transports/platform-fetch.js';
import { TOOLWIRE_VERSION } from '../version.js';
import { ArgumentValidation } from './argument-validation.js';
import { CallPath } from './call-path.js';
import { CallStats } from './call-stats.js';
import { Catalogue } from './catalogue.js';
import { readOnPool } from './pooled-read.js';
import {
  complete,
  getPrompt,
  listPrompts,
  listResources,
  listResourceTemplates,
  type ReadAccess,
  readResource,
} from './prompts-and-resources.js';
import {
  type ReconfigureServersOptions,
  reconfigureServers,
  type ServersUpdate,
} from './reconfigure-servers.js';
import type { Registry } from './registry.js';
import {
  checkRegistryOptionKeys,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS_PER_SERVER,
  DEFAULT_REVALIDATE_AFTER_MS,
  type RegistryOptions,
  readChoice,
  readPositive,
  readStoreRetry,
  readTimeoutMs,
  registryKeys,
} from './registry-options.js';
import { rootsHandlerFrom } from './registry-roots.js';
import type {
  CallToolOptions,
  PromptInfo,
  RegistryStats,
  RequestScopeOptions,
  ResourceInfo,
  ResourceTemplateInfo,
  ResumeTaskOptions,
  ServerInfo,
  StartTaskOptions,
  ToolInfo,
  ToolsFilter,
} from './registry-types.js';
import {
  type ResourceSubscription,
  type SubscribeResourceOptions,
  subscribeResource,
} from './resource-subscriptions.js';
import { SchemaCacheWrites } from './schema-cache-writes.js';
import { ServerDescriptions } from './server-descriptions.js';
import type { ServerDetails } from './server-details.js';
import { ServerLogRelay } from './server-log-relay.js';
import { SERVER_LOG_LEVELS } from './server-logs.js';
import { ServerRequestScopes } from './server-request-scopes.js';
import { ServerSlot } from './server-slot.js';
import { CreatedTask, TaskHandOff } from './task-hand-off.js';

/** The registry's implementation; everything public goes through the `Registry` interface. */
export class ToolRegistry implements Registry {
  private readonly slots = new Map<string, ServerSlot>();
  private readonly logger: Logger;
  private readonly clientInfo: Implementation;
  /** The one redaction path: every error, event, log line, description and cache entry passes it. */
  private readonly redactor = new Redactor();
  private readonly emitter = new TypedEmitter<RegistryEvents>((event) => this.redactor.event(event));
  /** `fetch` for transports and token requests: it learns each request's secrets before sending. */
  private readonly fetch: NonNullable<RegistryOptions['fetch']>;
  /** The same validator for the SDK's `structuredContent` checks (see `ArgumentValidation.forSDK`). */
  private readonly outputValidator: jsonSchemaValidator;
  private readonly callStats = new CallStats();
  private readonly options: RegistryOptions;
  private readonly auth: AuthLayer;
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly loading: 'eager' | 'lazy';
  private readonly revalidateAfterMs: number;
  /** Who answers servers' elicitation and sampling requests: per registry, conversation and call. */
  private readonly serverRequests: ServerRequestScopes;
  private readonly catalogue: Catalogue;
  private readonly calls: CallPath;
  private readonly tasks: TaskHandOff;
  private readonly logRelay: ServerLogRelay;
  private readonly cacheWrites: SchemaCacheWrites;
  private readonly descriptions: ServerDescriptions;
  private readonly parseOptions: ParseConfigOptions;
  private poolOptions!: { maxConnections: number; idleTimeoutMs: number };
  /** Slots replaced or removed by `reconfigureServers`, closing once their calls end. */
  private readonly retiring = new Set<Promise<void>>();

  constructor(options: RegistryOptions, parseOptions: ParseConfigOptions) {
    // A problem in one server's configuration fails that server only, unless asked otherwise.
    const parsed = parseServerEntries(options, {
      ...parseOptions,
      strict: parseOptions.strict ?? options.strictConfig === true,
      extraKeys: [...registryKeys, ...(parseOptions.extraKeys ?? [])],
    });
    checkRegistryOptionKeys(options);
    this.options = options;
    this.parseOptions = { ...parseOptions, extraKeys: [...registryKeys, ...(parseOptions.extraKeys ?? [])] };
    const interceptors = withTelemetry(
      options.telemetry,
      this,
      placeInterceptors(options.interceptors, 'registry'),
    );
    for (const { definition } of parsed.entries) addServerSecrets(this.redactor.secrets, definition);
    for (const value of parsed.substitutedValues) this.redactor.secrets.add(value, 'incidental');
    this.logger = this.redactor.logger(options.logger ?? defaultLogger);
    this.fetch = secretSensingFetch(options.fetch ?? platformFetch, this.redactor.secrets) as typeof fetch;
    const storeTimeoutMs = readPositive(options.storeTimeoutMs, DEFAULT_STORE_TIMEOUT_MS, 'storeTimeoutMs');
    const storeRetry = readStoreRetry(options.storeRetry);
    this.clientInfo = options.clientInfo ?? { name: 'toolwire', version: TOOLWIRE_VERSION };
    const validation = new ArgumentValidation(options.validation, (message, server) =>
      this.log('warn', message, server),
    );
    this.outputValidator = validation.forSDK();
    for (const [name, listener] of Object.entries(options.listeners ?? {})) {
      if (listener) this.emitter.on(name as keyof RegistryEvents, listener as (event: unknown) => void);
    }
    this.loading = readChoice(options.loading, ['eager', 'lazy'], 'eager', 'loading');
    this.logRelay = new ServerLogRelay({
      emitter: this.emitter,
      redactor: this.redactor,
      logger: this.logger,
      serverLogLevel:
        options.serverLogLevel === undefined
          ? undefined
          : readChoice(options.serverLogLevel, SERVER_LOG_LEVELS, 'debug', 'serverLogLevel'),
    });
    this.serverRequests = new ServerRequestScopes({
      registry: {
        onElicitation: options.onElicitation,
        onSampling: options.onSampling,
        onRoots: rootsHandlerFrom(options.roots),
      },
      declare: options.declareCapabilities,
      timeoutMs:
        options.serverRequestTimeoutMs === undefined
          ? undefined
          : readTimeoutMs(options.serverRequestTimeoutMs, 1, 'serverRequestTimeoutMs'),
      onFailure: (error) => {
        const safe = this.redactor.error(error) as { message?: unknown; server?: unknown };
        this.log('warn', String(safe.message), typeof safe.server === 'string' ? safe.server : undefined);
      },
    });
    this.revalidateAfterMs = readPositive(
      options.revalidateAfterMs,
      DEFAULT_REVALIDATE_AFTER_MS,
      'revalidateAfterMs',
    );
    this.cacheWrites = new SchemaCacheWrites({
      redactor: this.redactor,
      revalidateAfterMs: this.revalidateAfterMs,
      storeTimeoutMs,
      storeRetry,
      log: (level, message, server) => this.log(level, message, server),
    });
    const poolOptions = {
      maxConnections: readPositive(
        options.pool?.maxConnectionsPerServer,
        DEFAULT_MAX_CONNECTIONS_PER_SERVER,
        'pool.maxConnectionsPerServer',
      ),
      idleTimeoutMs: readTimeoutMs(
        options.pool?.idleTimeoutMs,
        DEFAULT_IDLE_TIMEOUT_MS,
        'pool.idleTimeoutMs',
      ),
    };
    // Last of the checks: the auth layer takes a lease on the token store (see store-hooks.ts).
    this.auth = new AuthLayer({
      tokenStore: options.tokenStore,
      storeTimeoutMs,
      storeRetry,
      discovery: options.authDiscovery,
      dpop: options.dpop,
      fetch: options.telemetry?.wrapAuthFetch?.(this.fetch) ?? this.fetch,
      logger: this.logger,
      redactor: this.redactor,
    });
    this.descriptions = new ServerDescriptions({ redactor: this.redactor, auth: this.auth });
    this.catalogue = new Catalogue({
      slots: this.slots,
      naming: parsed.naming,
      emitter: this.emitter,
      callStats: this.callStats,
    });
    this.calls = new CallPath({
      catalogue: this.catalogue,
      validation,
      callStats: this.callStats,
      emitter: this.emitter,
      redactor: this.redactor,
      interceptors,
      serverRequests: this.serverRequests,
      logRelay: this.logRelay,
      isClosed: () => this.closed,
      log: (level, message, server) => this.log(level, message, server),
    });
    this.tasks = new TaskHandOff({
      emitter: this.emitter,
      redactor: this.redactor,
      serverRequests: this.serverRequests,
      catalogue: this.catalogue,
      requireSlot: (name) => this.requireSlot(name),
      isClosed: () => this.closed,
    });
    this.poolOptions = poolOptions;
    for (const entry of parsed.entries) this.slots.set(entry.definition.name, this.createSlot(entry));
  }

  private createSlot({ definition, error, warnings }: ParsedServerEntry): ServerSlot {
    return new ServerSlot(
      definition,
      {
        open: (slot, sessionKey) => this.openConnection(slot, sessionKey),
        onStatus: (slot, previous) => this.handleStatus(slot, previous),
        onTools: () => this.catalogue.rebuild(),
        onListed: (slot, connection) => this.cacheWrites.handleListed(slot, connection),
        onPrompts: (slot) =>
          this.emitter.emit('prompts:changed', { server: slot.name }, (error) =>
            this.logger.error(`a prompts:changed listener threw: ${String(error)}`),
          ),
        redact: (value) => this.redactor.published(value),
      },
      this.poolOptions,
      { error, warnings },
    );
  }

  /** Reads the cache, then connects what the loading mode asks for. */
  async start(): Promise<void> {
    await this.cacheWrites.open(this.options);
    await this.startSlots([...this.slots.values()]);
  }

  /** Reads the cache for `slots`, then connects what the loading mode asks for (start, reconfiguration). */
  private async startSlots(all: ServerSlot[]): Promise<void> {
    for (const slot of all) {
      for (const warning of slot.configWarnings) {
        this.log('warn', `${warning.path}: ${warning.message}`, slot.name);
      }
    }
    for (const slot of all) slot.failForConfig();
    // A server whose configuration is invalid never starts, so it has no catalogue to cache.
    const slots = all.filter((slot) => !slot.configError);
    const entries = await Promise.all(slots.map((slot) => this.cacheWrites.load(slot)));
    // One catalogue rebuild for every server that is cached or lists while these connects run, not
    // one per server (quadratic in servers × tools); a lookup meanwhile rebuilds it when it needs it.
    const enabled = slots.filter((slot) => slot.status !== 'disabled');
    const releaseRebuilds = this.catalogue.holdRebuilds();
    try {
      slots.forEach((slot, index) => {
        const entry = entries[index];
        if (entry) slot.adoptCache(entry);
      });
      const connecting = this.loading === 'eager' ? enabled : enabled.filter((slot) => !slot.cached);
      await Promise.allSettled(connecting.map((slot) => slot.connect()));
    } finally {
      releaseRebuilds();
    }
    if (this.loading === 'lazy') {
      for (const slot of enabled) {
        if (slot.cached && Date.now() - slot.cached.savedAt > this.revalidateAfterMs) {
          // Stale-while-revalidate: the cached tools stay listed while the server is asked again.
          slot.connect().catch(() => {});
        }
      }
    }
    await this.cacheWrites.flush();
  }

  private openConnection(slot: ServerSlot, sessionKey: string | undefined): Promise<ServerConnection> {
    let connection: ServerConnection | undefined;
    const { definition, cached } = slot;
    const hintsMatter =
      cached !== undefined &&
      ((definition.protocol === 'auto' && cached.era !== undefined) ||
        (definition.transport === 'auto' && cached.connectedTransport === 'sse'));
    const auth = this.auth.forServer(slot.definition);
    return ServerConnection.open({
      hints: hintsMatter
        ? { era: cached.era, discover: cached.discover, connectedTransport: cached.connectedTransport }
        : undefined,
      definition: slot.definition,
      clientInfo: this.clientInfo,
      logger: this.logger,
      sessionKey,
      fetch: auth ? auth.wrapFetch(this.fetch) : this.fetch,
      authProvider: auth?.authProvider,
      serverRequests: this.serverRequests.setup(),
      traceList: this.options.telemetry?.traceList?.bind(this.options.telemetry),
      logLevel: this.logRelay.levelOf(slot),
      onLog: (message, call) => this.logRelay.relay(slot, sessionKey, message, call),
      jsonSchemaValidator: this.outputValidator,
      onToolsChanged: (tools) => {
        if (connection) slot.handleToolsChanged(connection, tools);
      },
      onPromptsChanged: (prompts) => {
        if (connection) slot.handlePromptsChanged(connection, prompts);
      },
      onResourcesChanged: () => {
        this.emitter.emit('resources:changed', { server: slot.name }, (error) =>
          this.logger.error(`a resources:changed listener threw: ${String(error)}`),
        );
      },
      onStderr: (line) => this.descriptions.activityOf(slot.name).recordStderr(line),
      onUnexpectedClose: (error) => {
        if (connection) slot.handleUnexpectedClose(connection, error);
      },
    }).then((opened) => {
      connection = opened;
      return opened;
    });
  }

  setSessionHandlers(sessionKey: string, handlers: ServerRequestHandlers | undefined): () => void {
    return this.serverRequests.setSession(sessionKey, handlers);
  }

  private handleStatus(slot: ServerSlot, previous: ServerStatus): void {
    // In place: the slot, the caller that gets it thrown and every listener hold the same error.
    if (slot.error) this.redactor.error(slot.error);
    if (slot.error && slot.status === 'failed') {
      this.log('warn', `${slot.error.message}`, slot.name);
    }
    this.descriptions.activityOf(slot.name).recordStatus({
      status: slot.status,
      previous,
      at: Date.now(),
      error: slot.error ? { code: slot.error.code, message: slot.error.message } : undefined,
    });
    this.emitter.emit(
      'server:status',
      { server: slot.name, status: slot.status, previous, error: slot.error },
      (error) => this.logger.error(`a server:status listener threw: ${String(error)}`),
    );
  }

  tools(filter: ToolsFilter = {}): ToolInfo[] {
    return this.catalogue.tools(filter);
  }

  tool(name: string): ToolInfo | undefined {
    return this.catalogue.tool(name);
  }

  requireTool(name: string): ToolInfo {
    return this.catalogue.requireTool(name);
  }

  search(query: string, options: SearchToolsOptions = {}): ToolSearchResult[] {
    return this.catalogue.search(query, options);
  }

  servers(): ServerInfo[] {
    return [...this.slots.values()].map((slot) =>
      this.descriptions.describe(slot, this.catalogue.entriesOf(slot)),
    );
  }

  server(name: string): ServerInfo | undefined {
    const slot = this.slots.get(name);
    return slot ? this.descriptions.describe(slot, this.catalogue.entriesOf(slot)) : undefined;
  }

  serverDetails(name: string): ServerDetails | undefined {
    const slot = this.slots.get(name);
    return slot ? this.descriptions.details(slot) : undefined;
  }

  redact<T>(value: T): T {
    return this.redactor.value(value);
  }

  addSecret(value: string): void {
    if (typeof value === 'string') this.redactor.secrets.addRuntime(value);
  }

  callTool(
    name: string,
    args: Record<string, unknown> = {},
    options: CallToolOptions = {},
  ): Promise<ToolCallResult> {
    // `invoke` is async (it never throws synchronously) and, not detached, ends with a result.
    return this.calls.invoke(name, args, options, false) as Promise<ToolCallResult>;
  }

  async startTask(
    name: string,
    args: Record<string, unknown> = {},
    options: StartTaskOptions = {},
  ): Promise<ToolCallResult | ToolTask> {
    if ((options as CallToolOptions).tasks === false) {
      throw new ToolwireError({
        code: 'INVALID_OPTIONS',
        tool: name,
        message:
          'startTask(): "tasks: false" contradicts starting a task; use callTool() for a call without tasks',
      });
    }
    const outcome = await this.calls.invoke(name, args, options, true);
    if (!(outcome instanceof CreatedTask)) return outcome;
    return this.tasks.started(outcome, name, options);
  }

  resumeTask(ref: TaskRef, options: ResumeTaskOptions = {}): Promise<ToolTask> {
    return this.tasks.resume(ref, options);
  }

  checkArguments(name: string, args: unknown, options: { sessionKey?: string | undefined } = {}): void {
    this.calls.check(name, args, options);
  }

  validateArguments(name: string, args: unknown): ValidationResult {
    return this.calls.validate(name, args);
  }

  prompts(server?: string): PromptInfo[] {
    return listPrompts(this.slots.values(), this.catalogue.separator, server);
  }

  getPrompt(
    name: string,
    args: Record<string, string> = {},
    options: RequestScopeOptions = {},
  ): Promise<GetPromptResult> {
    return getPrompt(this.readAccess(), name, args, options);
  }

  listResources(server?: string, options: RequestScopeOptions = {}): Promise<ResourceInfo[]> {
    return listResources(this.readAccess(), server, options);
  }

  readResource(server: string, uri: string, options: RequestScopeOptions = {}): Promise<ReadResourceResult> {
    return readResource(this.readAccess(), server, uri, options);
  }

  subscribeResource(
    server: string,
    uri: string,
    options: SubscribeResourceOptions,
  ): Promise<ResourceSubscription> {
    return subscribeResource(this.requireSlot(server), uri, options, this.redactor);
  }

  listResourceTemplates(server?: string, options: RequestScopeOptions = {}): Promise<ResourceTemplateInfo[]> {
    return listResourceTemplates(this.readAccess(), server, options);
  }

  complete(
    server: string,
    request: CompleteRequest['params'],
    options: RequestScopeOptions = {},
  ): Promise<CompleteResult> {
    return complete(this.readAccess(), server, request, options);
  }

  private readAccess(): ReadAccess {
    return {
      slots: [...this.slots.values()],
      separator: this.catalogue.separator,
      requireSlot: (name) => this.requireSlot(name),
      withConnection: (slot, options, run) =>
        readOnPool(
          { serverRequests: this.serverRequests, redactor: this.redactor, isClosed: () => this.closed },
          slot,
          options,
          run,
        ),
    };
  }

  async refresh(server?: string): Promise<void> {
    const slots = server === undefined ? [...this.slots.values()] : [this.requireSlot(server)];
    await Promise.allSettled(
      slots.map(async (slot) => {
        if (slot.status === 'disabled') return;
        const connection = slot.connection;
        if (connection?.isOpen) {
          slot.handleToolsChanged(connection, await connection.listTools());
        } else {
          await slot.connect();
        }
      }),
    );
    await this.cacheWrites.flush();
  }

  async prewarm(servers?: string | string[]): Promise<void> {
    const names = servers === undefined ? undefined : Array.isArray(servers) ? servers : [servers];
    const slots =
      names === undefined ? [...this.slots.values()] : names.map((name) => this.requireSlot(name));
    await Promise.allSettled(
      slots.filter((slot) => slot.status !== 'disabled' && !slot.connection).map((slot) => slot.connect()),
    );
    await this.cacheWrites.flush();
  }

  disableTool(name: string): void {
    this.catalogue.disable(name);
  }

  enableTool(name: string): void {
    this.catalogue.enable(name);
  }

  async disableServer(name: string): Promise<void> {
    const slot = this.requireSlot(name);
    slot.setDisabled(true);
    await slot.pool.drain();
  }

  enableServer(name: string): void {
    this.requireSlot(name).setDisabled(false);
  }

  stats(): RegistryStats {
    const summary = this.callStats.summarize(
      this.slots.values(),
      [...this.catalogue.values()].map((entry) => ({
        info: this.catalogue.describe(entry),
        server: entry.slot.name,
      })),
    );
    // Messages are the only text here (names are identifiers): already redacted when recorded,
    // and again now for secrets learned since.
    for (const stats of Object.values(summary.byServer))
      stats.lastError = this.redactor.value(stats.lastError);
    for (const stats of Object.values(summary.byTool)) stats.lastError = this.redactor.value(stats.lastError);
    return summary;
  }

  on<Name extends keyof RegistryEvents>(
    name: Name,
    listener: (event: RegistryEvents[Name]) => void,
  ): () => void {
    return this.emitter.on(name, listener);
  }

  reconfigureServers(update: ServersUpdate, options?: ReconfigureServersOptions): Promise<void> {
    if (this.closed) {
      return Promise.reject(
        new ToolwireError({
          code: 'SERVER_CLOSED',
          message: 'The registry is closed: reconfigureServers refused.',
        }),
      );
    }
    return reconfigureServers(
      {
        slots: this.slots,
        parse: (servers) => {
          const { connectTimeoutMs, callTimeoutMs, maxMessageBytes, env, resolvers } = this.options;
          const parsed = parseServerEntries(
            { mcpServers: servers, connectTimeoutMs, callTimeoutMs, maxMessageBytes, env, resolvers },
            { ...this.parseOptions, strict: true },
          );
          for (const { definition } of parsed.entries) addServerSecrets(this.redactor.secrets, definition);
          for (const value of parsed.substitutedValues) this.redactor.secrets.add(value, 'incidental');
          return parsed.entries;
        },
        createSlot: (entry) => this.createSlot(entry),
        rebuildCatalogue: () => this.catalogue.rebuild(),
        startSlots: async (slots) => {
          await this.startSlots(slots);
        },
        retiring: this.retiring,
      },
      update,
      options,
    );
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      this.closing = (async () => {
        await Promise.allSettled([...this.retiring]);
        await Promise.allSettled([...this.slots.values()].map((slot) => slot.close()));
        await this.cacheWrites.flush();
        await Promise.allSettled([this.cacheWrites.close(), this.auth.close()]);
        this.emitter.clear();
      })();
    }
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private requireSlot(name: string): ServerSlot {
    const slot = this.slots.get(name);
    if (!slot) {
      throw new ToolwireError({
        code: 'CONFIG_INVALID',
        server: name,
        message: `No server named "${name}". Servers: ${[...this.slots.keys()].join(', ') || '(none)'}`,
      });
    }
    return slot;
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string, server?: string): void {
    this.logger[level](message, server === undefined ? undefined : { server });
    this.emitter.emit('log', { level, message, server });
  }
}
