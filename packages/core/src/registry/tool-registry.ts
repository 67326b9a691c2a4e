/**
 * `ToolRegistry`, the implementation behind `createRegistry()`: the catalogue comes from the
 * schema cache at once and from the servers as they connect: all in parallel at start
 * (`loading: 'eager'`), or each on its first call (`'lazy'`). A failing server is marked `failed`
 * and never blocks or fails the others. Calls are validated against the tool's own JSON Schema,
 * always bounded by a timeout, cancellable, retried only when that is safe, and counted.
 */
import type {
  CallToolResult,
  GetPromptResult,
  Implementation,
  jsonSchemaValidator,
  LoggingMessageNotificationParams,
  ReadResourceResult,
  Tool,
} from '@modelcontextprotocol/client';
import { AuthLayer } from '../auth/server-auth.js';
import { type CachedServerSchema, catalogueHash } from '../cache/cached-server-schema.js';
import { SchemaCache } from '../cache/schema-cache.js';
import { DEFAULT_SCHEMA_CACHE_TTL_MS } from '../cache/schema-cache-store.js';
import { type NamingOptions, type ParseConfigOptions, parseServerEntries } from '../config/parse-config.js';
import { type LogTarget, ServerConnection } from '../connection/server-connection.js';
import type { ServerRequestHandlers } from '../connection/server-requests.js';
import type { SearchToolsOptions, ToolSearchResult } from '../discovery/search-types.js';
import type { ConfigError } from '../errors/config-error.js';
import { InvalidArgumentsError } from '../errors/invalid-arguments-error.js';
import { ToolNotFoundError } from '../errors/tool-not-found-error.js';
import { ToolwireError } from '../errors/toolwire-error.js';
import { TypedEmitter } from '../events/event-emitter.js';
import type { RegistryEvents, ServerLogLevel, ServerStatus } from '../events/registry-events.js';
import { type InterceptedCall, interceptCall } from '../interceptors/intercept-call.js';
import { type PlacedInterceptor, placeInterceptors } from '../interceptors/run-interceptors.js';
import { defaultLogger, type Logger } from '../logging/logger.js';
import { type ConnectionLease, SHARED_SCOPE } from '../pool/connection-pool.js';
import { classifyFailure, isConnectionBroken, mayRetry } from '../pool/retry-policy.js';
import { Redactor } from '../redaction/redactor.js';
import { addServerSecrets, secretSensingFetch } from '../redaction/secret-sources.js';
import { normalizeToolResult, type ToolCallResult } from '../results/tool-call-result.js';
import type { ValidationResult } from '../schema/schema-types.js';
import { DEFAULT_STORE_TIMEOUT_MS } from '../stores/store-health.js';
import { createdTaskOf } from '../tasks/created-task-reply.js';
import { followTask } from '../tasks/follow-task.js';
import { parseServerTask, type ServerTask } from '../tasks/task-wire.js';
import { createToolTask, type TaskRef, type ToolTask } from '../tasks/tool-task.js';
import { withTelemetry } from '../telemetry/registry-telemetry.js';
import { closestMatches } from '../util/closest-matches.js';
import { checkTimeoutOption, Deadline } from '../util/deadline.js';
import { createNameFilter } from '../util/name-filter.js';
import { TOOLWIRE_VERSION } from '../version.js';
import { ArgumentValidation } from './argument-validation.js';
import { CallStats } from './call-stats.js';
import { diffCatalogue } from './catalogue-diff.js';
import { type CatalogueEntry, catalogueIdentity } from './catalogue-entry.js';
import { CatalogueSearch } from './catalogue-search.js';
import { describeServer, describeTool } from './describe.js';
import {
  getPrompt,
  listPrompts,
  listResources,
  type ReadAccess,
  readResource,
} from './prompts-and-resources.js';
import type { Registry } from './registry.js';
import {
  checkRegistryOptionKeys,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS_PER_SERVER,
  DEFAULT_REVALIDATE_AFTER_MS,
  type RegistryOptions,
  readChoice,
  readPositive,
  readTimeoutMs,
  registryKeys,
} from './registry-options.js';
import type {
  CallToolOptions,
  PromptInfo,
  RegistryStats,
  RequestScopeOptions,
  ResourceInfo,
  ResumeTaskOptions,
  ServerInfo,
  StartTaskOptions,
  ToolInfo,
  ToolsFilter,
} from './registry-types.js';
import { ServerActivity } from './server-activity.js';
import type { ServerAuthState, ServerDetails } from './server-details.js';
import { SERVER_LOG_LEVELS, toServerLogEvent } from './server-logs.js';
import { ServerRequestScopes } from './server-request-scopes.js';
import { ServerSlot } from './server-slot.js';
import { assignToolNames, type NamingServer, sanitize } from './tool-naming.js';

/** The registry's implementation; everything public goes through the `Registry` interface. */
export class ToolRegistry implements Registry {
  private readonly slots = new Map<string, ServerSlot>();
  private catalogue = new Map<string, CatalogueEntry>();
  private readonly naming: Required<NamingOptions>;
  private readonly logger: Logger;
  private readonly clientInfo: Implementation;
  /** The one redaction path: every error, event, log line, description and cache entry passes it. */
  private readonly redactor = new Redactor();
  private readonly emitter = new TypedEmitter<RegistryEvents>((event) => this.redactor.event(event));
  /** `fetch` for transports and token requests: it learns each request's secrets before sending. */
  private readonly fetch: NonNullable<RegistryOptions['fetch']>;
  private readonly validation: ArgumentValidation;
  /** The same validator for the SDK's `structuredContent` checks (see `ArgumentValidation.forSDK`). */
  private readonly outputValidator: jsonSchemaValidator;
  private readonly callStats = new CallStats();
  private readonly disabledByCall = new Set<string>();
  private readonly options: RegistryOptions;
  private readonly auth: AuthLayer;
  private callCounter = 0;
  private rebuildsDeferred = false;
  private rebuildRequested = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  private cache: SchemaCache | undefined;
  private readonly cacheWrites = new Set<Promise<void>>();
  private readonly loading: 'eager' | 'lazy';
  private readonly revalidateAfterMs: number;
  private readonly storeTimeoutMs: number;
  /** Built on the first search after the catalogue changes. */
  private readonly catalogueSearch = new CatalogueSearch();
  /** Per server: status history and stderr tail, for `serverDetails()`. */
  private readonly activity = new Map<string, ServerActivity>();
  /** Who answers servers' elicitation and sampling requests: per registry, conversation and call. */
  private readonly serverRequests: ServerRequestScopes;
  private readonly serverLogLevel: ServerLogLevel | undefined;
  private readonly interceptors: PlacedInterceptor[];

  constructor(options: RegistryOptions, parseOptions: ParseConfigOptions) {
    // A problem in one server's configuration fails that server only, unless asked otherwise.
    const parsed = parseServerEntries(options, {
      ...parseOptions,
      strict: parseOptions.strict ?? options.strictConfig === true,
      extraKeys: [...registryKeys, ...(parseOptions.extraKeys ?? [])],
    });
    checkRegistryOptionKeys(options);
    this.options = options;
    this.interceptors = withTelemetry(
      options.telemetry,
      this,
      placeInterceptors(options.interceptors, 'registry'),
    );
    this.naming = parsed.naming;
    for (const { definition } of parsed.entries) addServerSecrets(this.redactor.secrets, definition);
    for (const value of parsed.substitutedValues) this.redactor.secrets.add(value, 'incidental');
    this.logger = this.redactor.logger(options.logger ?? defaultLogger);
    this.fetch = secretSensingFetch(options.fetch, this.redactor.secrets) as typeof fetch;
    this.storeTimeoutMs = readPositive(options.storeTimeoutMs, DEFAULT_STORE_TIMEOUT_MS, 'storeTimeoutMs');
    this.clientInfo = options.clientInfo ?? { name: 'toolwire', version: TOOLWIRE_VERSION };
    this.validation = new ArgumentValidation(options.validation, (message, server) =>
      this.log('warn', message, server),
    );
    this.outputValidator = this.validation.forSDK();
    for (const [name, listener] of Object.entries(options.listeners ?? {})) {
      if (listener) this.emitter.on(name as keyof RegistryEvents, listener as (event: unknown) => void);
    }
    this.loading = readChoice(options.loading, ['eager', 'lazy'], 'eager', 'loading');
    this.serverLogLevel =
      options.serverLogLevel === undefined
        ? undefined
        : readChoice(options.serverLogLevel, SERVER_LOG_LEVELS, 'debug', 'serverLogLevel');
    this.serverRequests = new ServerRequestScopes({
      registry: { onElicitation: options.onElicitation, onSampling: options.onSampling },
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
      storeTimeoutMs: this.storeTimeoutMs,
      discovery: options.authDiscovery,
      dpop: options.dpop,
      fetch: options.telemetry?.wrapAuthFetch?.(this.fetch) ?? this.fetch,
      logger: this.logger,
      redactor: this.redactor,
    });
    for (const { definition, error, warnings } of parsed.entries) {
      this.slots.set(
        definition.name,
        new ServerSlot(
          definition,
          {
            open: (slot, sessionKey) => this.openConnection(slot, sessionKey),
            onStatus: (slot, previous) => this.handleStatus(slot, previous),
            onTools: () => this.rebuildCatalogue(),
            onListed: (slot, connection) => this.handleListed(slot, connection),
            redact: (value) => this.redactor.published(value),
          },
          poolOptions,
          { error, warnings },
        ),
      );
    }
  }

  /** Reads the cache, then connects what the loading mode asks for. */
  async start(): Promise<void> {
    const cacheOption = this.options.cache ?? 'file';
    if (
      cacheOption !== 'file' &&
      cacheOption !== 'memory' &&
      cacheOption !== 'none' &&
      (typeof cacheOption !== 'object' || cacheOption === null || typeof cacheOption.get !== 'function')
    ) {
      throw new ToolwireError({
        code: 'CONFIG_INVALID',
        message: `cache: expected 'file', 'memory', 'none' or a store with get/set/delete, got ${JSON.stringify(cacheOption)}`,
      });
    }
    this.cache = await SchemaCache.create(cacheOption, {
      ttlMs: readPositive(this.options.cacheTtlMs, DEFAULT_SCHEMA_CACHE_TTL_MS, 'cacheTtlMs'),
      directory: this.options.cacheDirectory,
      operationTimeoutMs: this.storeTimeoutMs,
      log: (level, message) => this.log(level, message),
    });
    for (const slot of this.slots.values()) {
      for (const warning of slot.configWarnings) {
        this.log('warn', `${warning.path}: ${warning.message}`, slot.name);
      }
    }
    for (const slot of this.slots.values()) slot.failForConfig();
    // A server whose configuration is invalid never starts, so it has no catalogue to cache.
    const slots = [...this.slots.values()].filter((slot) => !slot.configError);
    const entries = await Promise.all(slots.map((slot) => this.cache?.load(slot.definition)));
    // One catalogue rebuild for all cached servers, not one per server (quadratic in servers × tools).
    this.deferCatalogueRebuilds(() => {
      slots.forEach((slot, index) => {
        const entry = entries[index];
        if (entry) slot.adoptCache(entry);
      });
    });
    const enabled = slots.filter((slot) => slot.status !== 'disabled');
    if (this.loading === 'eager') {
      await Promise.allSettled(enabled.map((slot) => slot.connect()));
    } else {
      await Promise.allSettled(enabled.filter((slot) => !slot.cached).map((slot) => slot.connect()));
      for (const slot of enabled) {
        if (slot.cached && Date.now() - slot.cached.savedAt > this.revalidateAfterMs) {
          // Stale-while-revalidate: the cached tools stay listed while the server is asked again.
          slot.connect().catch(() => {});
        }
      }
    }
    await this.flushCacheWrites();
  }

  private async flushCacheWrites(): Promise<void> {
    while (this.cacheWrites.size > 0) await Promise.allSettled([...this.cacheWrites]);
  }

  /** Writes a server's live lists to the cache when they are new, drifted, or due for a refresh. */
  private handleListed(slot: ServerSlot, connection: ServerConnection): void {
    const cache = this.cache;
    if (!cache) return;
    const write = (async () => {
      // The cache holds what the server published, with any credential it repeated redacted.
      const { tools, prompts } = this.redactor.published({
        tools: connection.tools,
        prompts: connection.prompts,
      });
      const hash = await catalogueHash(tools, prompts);
      const previous = slot.cached;
      if (previous && previous.hash === hash && Date.now() - previous.savedAt < this.revalidateAfterMs)
        return;
      if (previous && previous.hash !== hash) {
        this.log(
          'info',
          `tools of server "${slot.name}" changed since they were cached; cache updated`,
          slot.name,
        );
      }
      const entry: CachedServerSchema = this.redactor.published({
        format: 1,
        savedAt: Date.now(),
        hash,
        tools,
        prompts,
        serverInfo: connection.serverVersion,
        capabilities: connection.capabilities,
        instructions: connection.instructions,
        protocolVersion: connection.protocolVersion,
        era: connection.era,
        discover: connection.discoverResult,
        connectedTransport: connection.transportKind,
      } satisfies CachedServerSchema);
      slot.cached = entry;
      await cache.save(slot.definition, entry);
    })().catch((error: unknown) => {
      this.log('debug', `schema cache update failed: ${String(error)}`, slot.name);
    });
    this.cacheWrites.add(write);
    void write.finally(() => this.cacheWrites.delete(write));
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
      logLevel: definition.logLevel ?? this.serverLogLevel,
      onLog: (message, call) => this.handleServerLog(slot, sessionKey, message, call),
      jsonSchemaValidator: this.outputValidator,
      onToolsChanged: (tools) => {
        if (connection) slot.handleToolsChanged(connection, tools);
      },
      onStderr: (line) => this.activityOf(slot.name).recordStderr(line),
      onUnexpectedClose: (error) => {
        if (connection) slot.handleUnexpectedClose(connection, error);
      },
    }).then((opened) => {
      connection = opened;
      return opened;
    });
  }

  /** A server's `notifications/message`: filtered by level, redacted and bounded, then emitted. */
  private handleServerLog(
    slot: ServerSlot,
    sessionKey: string | undefined,
    message: LoggingMessageNotificationParams,
    call: LogTarget | undefined,
  ): void {
    if (this.emitter.listenerCount('server:log') === 0 && !call?.onLog) return;
    const event = toServerLogEvent(
      message,
      {
        server: slot.name,
        sessionKey,
        tool: call?.tool,
        callId: call?.callId,
        minimum: slot.definition.logLevel ?? this.serverLogLevel,
      },
      this.redactor,
    );
    if (!event) return;
    this.emitter.emit('server:log', event, (error) =>
      this.logger.error(`a server:log listener threw: ${String(error)}`),
    );
    try {
      call?.onLog?.(event);
    } catch (error) {
      this.logger.error(`a call's onLog threw: ${String(error)}`);
    }
  }

  /**
   * The log level a 2026-07-28 call asks for: the configured one, else `'info'` while anyone
   * listens (such servers send nothing unless asked), else none.
   */
  private callLogLevel(slot: ServerSlot, options: CallToolOptions): ServerLogLevel | undefined {
    const configured = slot.definition.logLevel ?? this.serverLogLevel;
    if (configured) return configured;
    return options.onLog || this.emitter.listenerCount('server:log') > 0 ? 'info' : undefined;
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
    this.activityOf(slot.name).recordStatus({
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

  /** Runs `action`, folding the catalogue rebuilds it asks for into one at the end. */
  private deferCatalogueRebuilds(action: () => void): void {
    this.rebuildsDeferred = true;
    this.rebuildRequested = false;
    try {
      action();
    } finally {
      this.rebuildsDeferred = false;
      if (this.rebuildRequested) this.rebuildCatalogue();
    }
  }

  private rebuildCatalogue(): void {
    if (this.rebuildsDeferred) {
      this.rebuildRequested = true;
      return;
    }
    const enabledLists: NamingServer[] = [];
    const disabledLists: NamingServer[] = [];
    const filtered = new Map<ServerSlot, { enabled: Tool[]; disabled: Tool[] }>();
    for (const slot of this.slots.values()) {
      const { enabledTools, disabledTools } = slot.definition;
      const isEnabled = createNameFilter(enabledTools, disabledTools);
      const enabled: Tool[] = [];
      const disabled: Tool[] = [];
      for (const tool of slot.tools) (isEnabled(tool.name) ? enabled : disabled).push(tool);
      filtered.set(slot, { enabled, disabled });
      enabledLists.push({
        server: slot.name,
        toolPrefix: slot.definition.toolPrefix,
        tools: enabled.map((tool) => tool.name),
      });
      disabledLists.push({
        server: slot.name,
        toolPrefix: slot.definition.toolPrefix,
        tools: disabled.map((tool) => tool.name),
      });
    }
    const enabledNames = assignToolNames(enabledLists, this.naming);
    const reserved = new Set([...enabledNames.values()].flatMap((names) => [...names.values()]));
    const disabledNames = assignToolNames(disabledLists, this.naming, reserved);

    const previous = this.catalogue;
    const next = new Map<string, CatalogueEntry>();
    for (const [slot, { enabled, disabled }] of filtered) {
      for (const tool of enabled) {
        const name = enabledNames.get(slot.name)?.get(tool.name);
        if (name)
          next.set(name, {
            name,
            slot,
            tool,
            disabledReason: this.disabledByCall.has(catalogueIdentity(slot.name, tool.name))
              ? 'call'
              : undefined,
          });
      }
      for (const tool of disabled) {
        const name = disabledNames.get(slot.name)?.get(tool.name);
        if (name) next.set(name, { name, slot, tool, disabledReason: 'config' });
      }
    }
    this.catalogue = next;
    this.catalogueSearch.invalidate();

    const view = (catalogue: Map<string, CatalogueEntry>) =>
      new Map([...catalogue].map(([name, entry]) => [name, { server: entry.slot.name, tool: entry.tool }]));
    for (const [server, change] of diffCatalogue(view(previous), view(next))) {
      this.emitter.emit('tools:changed', { server, ...change });
    }
  }

  tools(filter: ToolsFilter = {}): ToolInfo[] {
    const result: ToolInfo[] = [];
    const keep = createNameFilter(filter.include, filter.exclude);
    for (const entry of this.catalogue.values()) {
      if (filter.server !== undefined && entry.slot.name !== filter.server) continue;
      if (!keep(entry.name)) continue;
      const info = this.describe(entry);
      if (!filter.includeDisabled && info.status === 'disabled') continue;
      result.push(info);
    }
    return result;
  }

  tool(name: string): ToolInfo | undefined {
    const entry = this.catalogue.get(name);
    return entry ? this.describe(entry) : undefined;
  }

  requireTool(name: string): ToolInfo {
    const info = this.tool(name);
    if (info && info.status !== 'disabled') return info;
    if (info) {
      throw new ToolwireError({
        code: 'TOOL_DISABLED',
        server: info.server,
        tool: name,
        message: `Tool "${name}" is disabled`,
      });
    }
    throw this.notFound(name);
  }

  search(query: string, options: SearchToolsOptions = {}): ToolSearchResult[] {
    return this.catalogueSearch.search(this.catalogue.values(), query, options, (entry) =>
      this.describe(entry),
    );
  }

  private describe(entry: CatalogueEntry): ToolInfo {
    return describeTool(entry, this.callStats.snapshot(entry.slot.name, entry.tool.name));
  }

  servers(): ServerInfo[] {
    return [...this.slots.values()].map((slot) => this.describeServer(slot));
  }

  server(name: string): ServerInfo | undefined {
    const slot = this.slots.get(name);
    return slot ? this.describeServer(slot) : undefined;
  }

  /**
   * A server's description, redacted: the error and the URL (a `${VAR}` host is a secret too) as
   * text, what the server published about itself with credentials replaced. Names (the server's,
   * its filtered tools', its config path) are identifiers and stay as they are.
   */
  private describeServer(slot: ServerSlot): ServerInfo {
    const info = describeServer(slot, this.entriesOf(slot));
    return {
      ...info,
      url: info.url === undefined ? undefined : this.redactor.text(info.url),
      error: this.redactor.value(info.error),
      serverVersion: this.redactor.published(info.serverVersion),
      capabilities: this.redactor.published(info.capabilities),
      instructions: this.redactor.published(info.instructions),
    };
  }

  serverDetails(name: string): ServerDetails | undefined {
    const slot = this.slots.get(name);
    if (!slot) return undefined;
    const activity = this.activityOf(name);
    return {
      name,
      statusHistory: activity.statusHistory.map((change) => ({
        ...change,
        error: this.redactor.value(change.error),
      })),
      stderrTail: activity.stderrTail.map((line) => this.redactor.text(line)),
      consecutiveFailures: slot.failures,
      nextRetryAt: slot.status === 'failed' && slot.retryAt > 0 ? slot.retryAt : undefined,
      auth: this.authState(slot),
    };
  }

  redact<T>(value: T): T {
    return this.redactor.value(value);
  }

  private activityOf(name: string): ServerActivity {
    let activity = this.activity.get(name);
    if (!activity) {
      activity = new ServerActivity();
      this.activity.set(name, activity);
    }
    return activity;
  }

  private authState(slot: ServerSlot): ServerAuthState {
    const { definition } = slot;
    if (definition.transport === 'stdio') return { kind: 'none', token: undefined };
    const auth = definition.auth;
    if (auth?.type === 'client_credentials') {
      return { kind: 'client_credentials', token: this.auth.forServer(definition)?.tokenLifetime?.() };
    }
    if (auth) return { kind: auth.type, token: undefined };
    return { kind: definition.headers === undefined ? 'none' : 'headers', token: undefined };
  }

  private entriesOf(slot: ServerSlot): CatalogueEntry[] {
    return [...this.catalogue.values()].filter((entry) => entry.slot === slot);
  }

  async callTool(
    name: string,
    args: Record<string, unknown> = {},
    options: CallToolOptions = {},
  ): Promise<ToolCallResult> {
    return (await this.invoke(name, args, options, false)) as ToolCallResult;
  }

  async startTask(
    name: string,
    args: Record<string, unknown> = {},
    options: StartTaskOptions = {},
  ): Promise<ToolCallResult | ToolTask> {
    const outcome = await this.invoke(name, args, options, true);
    if (!(outcome instanceof CreatedTask)) return outcome;
    return this.taskHandle(
      outcome.slot,
      { server: outcome.slot.name, taskId: outcome.task.taskId, tool: name },
      {
        sessionKey: options.sessionKey,
        serverToolName: outcome.serverToolName,
        initial: outcome.task,
      },
    );
  }

  async resumeTask(ref: TaskRef, options: ResumeTaskOptions = {}): Promise<ToolTask> {
    if (this.closed) {
      throw new ToolwireError({ code: 'REGISTRY_CLOSED', message: 'The registry is closed' });
    }
    const slot = this.requireSlot(ref.server);
    const entry = ref.tool === undefined ? undefined : this.catalogue.get(ref.tool);
    const handle = this.taskHandle(slot, ref, {
      sessionKey: options.sessionKey,
      serverToolName: entry?.tool.name,
      initial: undefined,
    });
    // The task must exist (TASK_NOT_FOUND otherwise) before the caller relies on the handle.
    await handle.get({ signal: options.signal });
    return handle;
  }

  /** A handle on a task of `slot`'s server; every operation leases a connection of its own. */
  private taskHandle(
    slot: ServerSlot,
    ref: TaskRef,
    context: {
      sessionKey: string | undefined;
      serverToolName: string | undefined;
      initial: ServerTask | undefined;
    },
  ): ToolTask {
    const scope = slot.scopeFor(context.sessionKey, { strict: true, tool: ref.tool });
    return createToolTask({
      ref,
      serverToolName: context.serverToolName,
      sessionKey: context.sessionKey,
      requestTimeoutMs: slot.definition.callTimeoutMs,
      handlers: this.serverRequests.handlersFor(context.sessionKey),
      handlerTimeoutMs: this.serverRequests.timeoutMs,
      initial: context.initial,
      lease: () => slot.lease(scope, context.sessionKey, ref.tool),
      onUpdate: (update) => this.emitter.emit('task:update', taskEvent(slot.name, ref.tool, update)),
      redactError: (error) =>
        this.redactor.error(
          ToolwireError.isInstance(error)
            ? error
            : new ToolwireError({
                code: 'INTERNAL',
                server: slot.name,
                tool: ref.tool,
                cause: error,
                message: String(error),
              }),
        ),
      normalize: (raw, durationMs) =>
        normalizeToolResult(raw, {
          tool: ref.tool ?? context.serverToolName ?? '',
          server: slot.name,
          serverToolName: context.serverToolName ?? ref.tool ?? '',
          durationMs,
        }),
    });
  }

  private async invoke(
    name: string,
    args: Record<string, unknown>,
    options: CallToolOptions,
    detach: boolean,
  ): Promise<ToolCallResult | CreatedTask> {
    if (this.closed) {
      throw new ToolwireError({ code: 'REGISTRY_CLOSED', tool: name, message: 'The registry is closed' });
    }
    const entry = this.catalogue.get(name);
    if (!entry) throw this.notFound(name);
    const { slot, tool } = entry;
    checkTimeoutOption(options.timeoutMs, { option: 'timeoutMs', server: slot.name, tool: name });
    if (entry.disabledReason || slot.status === 'disabled') {
      const why =
        entry.disabledReason === 'config'
          ? `by enabledTools/disabledTools at ${slot.definition.configPath}`
          : entry.disabledReason === 'call'
            ? 'by disableTool()'
            : `because server "${slot.name}" is disabled`;
      throw new ToolwireError({
        code: 'TOOL_DISABLED',
        server: slot.name,
        tool: name,
        message: `Tool "${name}" is disabled ${why}`,
      });
    }
    if (options.signal?.aborted) {
      throw new ToolwireError({
        code: 'CANCELLED',
        server: slot.name,
        tool: name,
        message: `Call to tool "${name}" was cancelled before it started`,
      });
    }
    const callId = ++this.callCounter;
    const base = { tool: name, server: slot.name, callId, sessionKey: options.sessionKey };
    this.emitter.emit('call:start', base);
    const started = performance.now();
    try {
      const identity = { tool: name, server: slot.name, serverToolName: tool.name };
      const outcome = await interceptCall(
        this.interceptors,
        identity,
        args,
        options,
        detach,
        async (sent) => {
          const raw = await this.callOnPool(name, slot, tool, sent, args, options, callId, detach);
          if (raw instanceof CreatedTask) return raw;
          return normalizeToolResult(raw, { ...identity, durationMs: performance.now() - started });
        },
      );
      const durationMs = performance.now() - started;
      if (outcome instanceof CreatedTask) {
        // startTask(): the call ended with a task the caller follows on its own.
        this.callStats.record(slot, tool.name, durationMs, undefined);
        this.emitter.emit('call:end', { ...base, durationMs, outcome: 'ok', error: undefined });
        return outcome;
      }
      const result = outcome;
      const toolError = result.isError
        ? {
            code: 'TOOL_ERROR' as const,
            message: this.redactor.text(result.text) || 'the tool reported an error',
          }
        : undefined;
      this.callStats.record(slot, tool.name, durationMs, toolError);
      this.emitter.emit('call:end', {
        ...base,
        durationMs,
        outcome: result.isError ? 'tool-error' : 'ok',
        error: undefined,
      });
      return result;
    } catch (error) {
      const durationMs = performance.now() - started;
      const failure = this.redactor.error(
        ToolwireError.isInstance(error)
          ? error
          : new ToolwireError({
              code: 'INTERNAL',
              server: slot.name,
              tool: name,
              cause: error,
              message: String(error),
            }),
      );
      this.callStats.record(slot, tool.name, durationMs, failure);
      this.emitter.emit('call:end', { ...base, durationMs, outcome: 'failed', error: failure });
      throw failure;
    }
  }

  private requireValidArguments(
    name: string,
    slot: ServerSlot,
    tool: Tool,
    args: unknown,
    options: CallToolOptions,
  ): asserts args is Record<string, unknown> {
    // Not an object is refused even with `validate: false`: nothing else can be sent as arguments.
    const outcome =
      options.validate === false && typeof args === 'object' && args !== null && !Array.isArray(args)
        ? { valid: true as const }
        : this.validation.validate(name, slot.name, tool, args);
    if (!outcome.valid) throw invalidArguments(name, slot.name, outcome);
  }

  checkArguments(name: string, args: unknown, options: { sessionKey?: string | undefined } = {}): void {
    const entry = this.catalogue.get(name);
    if (!entry) throw this.notFound(name);
    const { slot, tool } = entry;
    const outcome = this.validation.validate(name, slot.name, tool, args);
    if (outcome.valid) return;
    // Counted like a call that `callTool` refused for its arguments: one path for stats and events.
    const callId = ++this.callCounter;
    const base = { tool: name, server: slot.name, callId, sessionKey: options.sessionKey };
    const error = this.redactor.error(invalidArguments(name, slot.name, outcome));
    this.emitter.emit('call:start', base);
    this.callStats.record(slot, tool.name, 0, error);
    this.emitter.emit('call:end', { ...base, durationMs: 0, outcome: 'failed', error });
    throw error;
  }

  /**
   * Sends a call on the scope's connection (connecting just in time). A call that cannot have run
   * (expired HTTP session, server unreachable) is re-sent once on a fresh connection; one that may
   * have run is re-sent only for tools annotated idempotent or read-only.
   */
  private async callOnPool(
    name: string,
    slot: ServerSlot,
    listedTool: Tool,
    sent: InterceptedCall,
    callerArgs: Record<string, unknown>,
    options: CallToolOptions,
    callId: number,
    detach: boolean,
  ): Promise<CallToolResult | CreatedTask> {
    const args = sent.arguments;
    // Arguments a model got wrong count as failed calls in stats and events (invoke's catch).
    // Checked as sent, after interceptors: `validate: false` covers only the caller's own.
    this.requireValidArguments(name, slot, listedTool, args, args === callerArgs ? options : {});
    const scope = slot.scopeFor(options.sessionKey, { strict: true, tool: name });
    const handlers = this.serverRequests.forCall(
      options.sessionKey,
      { onElicitation: options.onElicitation, onSampling: options.onSampling },
      scope === SHARED_SCOPE,
    );
    const budgetMs = options.timeoutMs ?? slot.definition.callTimeoutMs;
    let deadline: Deadline | undefined;
    for (let attempt = 1; ; attempt++) {
      const lease: ConnectionLease = await slot.lease(scope, options.sessionKey, name);
      let tool = listedTool;
      // Once the server answered with a task the call has run: nothing after that is re-sent.
      let taskCreated = false;
      try {
        tool = this.confirmTool(name, slot, listedTool, args, options);
        // The first attempt starts the clock; a retry gets only what is left of it.
        deadline ??= new Deadline(budgetMs);
        const timeoutMs = deadline.remainingMs();
        if (timeoutMs === 0) throw callTimedOut(slot.name, name, budgetMs);
        try {
          return await lease.connection.callTool(
            tool.name,
            args,
            {
              signal: options.signal,
              sessionKey: options.sessionKey,
              timeoutMs,
              budgetMs,
              onProgress: options.onProgress,
              handlers,
              callId,
              onLog: options.onLog,
              logLevel: this.callLogLevel(slot, options),
              headers: sent.headers,
              meta: sent.meta,
            },
            name,
          );
        } catch (error) {
          const created = createdTaskOf(error);
          if (!created) throw error;
          taskCreated = true;
          const task = parseServerTask(created, { server: slot.name, tool: name });
          options.onTask?.({ server: slot.name, taskId: task.taskId, tool: name });
          this.emitter.emit('task:update', taskEvent(slot.name, name, task));
          if (detach) return new CreatedTask(slot, tool.name, task);
          // Each poll gets the call's timeout; the wait for the task itself has no deadline
          // beyond the caller's signal (a task is meant to outlive a call's budget).
          return await followTask(task, {
            connection: lease.connection,
            tool: name,
            signal: options.signal,
            requestTimeoutMs: slot.definition.callTimeoutMs,
            sessionKey: options.sessionKey,
            onProgress: options.onProgress,
            onUpdate: (update) => this.emitter.emit('task:update', taskEvent(slot.name, name, update)),
            handlers: this.serverRequests.handlersFor(options.sessionKey, {
              onElicitation: options.onElicitation,
              onSampling: options.onSampling,
            }),
            handlerTimeoutMs: this.serverRequests.timeoutMs,
          });
        }
      } catch (error) {
        if (taskCreated) throw error;
        const kind = classifyFailure(error);
        if (isConnectionBroken(kind)) void slot.pool.discard(lease.connection);
        if (attempt === 1 && mayRetry(kind, tool.annotations) && !options.signal?.aborted && !this.closed) {
          this.log('debug', `"${name}" failed (${kind}); sending it again on a new connection`, slot.name);
          continue;
        }
        throw error;
      } finally {
        lease.release();
      }
    }
  }

  /**
   * After a just-in-time connect the live tool list replaces the cached one: the tool must still
   * exist, and arguments checked against a cached schema are checked again against the live one.
   */
  private confirmTool(
    name: string,
    slot: ServerSlot,
    listedTool: Tool,
    args: Record<string, unknown>,
    options: CallToolOptions,
  ): Tool {
    const current = this.catalogue.get(name);
    if (current?.tool === listedTool) return listedTool;
    if (!current || current.slot !== slot || current.tool.name !== listedTool.name) {
      throw new ToolwireError({
        code: 'TOOL_NOT_FOUND',
        tool: name,
        server: slot.name,
        message: `Tool "${name}" is no longer offered by server "${slot.name}" (its tool list changed since it was cached)`,
      });
    }
    if (options.validate !== false) {
      const outcome = this.validation.validate(name, slot.name, current.tool, args);
      if (!outcome.valid) throw invalidArguments(name, slot.name, outcome);
    }
    return current.tool;
  }

  /**
   * The error for a name not in the catalogue. A server whose configuration is invalid has no
   * tools listed, so a call meant for it (its prefix, then the separator) gets its
   * `CONFIG_INVALID`, which says what to fix, rather than `TOOL_NOT_FOUND`.
   */
  private notFound(name: string): ConfigError | ToolNotFoundError {
    let owner: ServerSlot | undefined;
    let ownerPrefix = '';
    for (const slot of this.slots.values()) {
      if (!slot.configError || slot.status !== 'failed') continue;
      const { toolPrefix } = slot.definition;
      if (toolPrefix === false || (toolPrefix === undefined && this.naming.prefix !== 'always')) continue;
      const prefix = `${sanitize(toolPrefix ?? slot.name)}${this.naming.separator}`;
      if (name.startsWith(prefix) && prefix.length > ownerPrefix.length) {
        owner = slot;
        ownerPrefix = prefix;
      }
    }
    if (owner) return owner.configErrorFor(name);
    return new ToolNotFoundError({ tool: name, suggestions: closestMatches(name, this.callableNames()) });
  }

  private callableNames(): string[] {
    return [...this.catalogue.values()].filter((entry) => !entry.disabledReason).map((entry) => entry.name);
  }

  validateArguments(name: string, args: unknown): ValidationResult {
    const entry = this.catalogue.get(name);
    if (!entry) throw this.notFound(name);
    return this.validation.validate(name, entry.slot.name, entry.tool, args);
  }

  prompts(server?: string): PromptInfo[] {
    return listPrompts(this.slots.values(), this.naming.separator, server);
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

  private readAccess(): ReadAccess {
    return {
      slots: [...this.slots.values()],
      separator: this.naming.separator,
      requireSlot: (name) => this.requireSlot(name),
      withConnection: (slot, options, run) => this.withConnection(slot, options, run),
    };
  }

  /**
   * Runs a read-only request (prompts, resources) on a pooled connection: the conversation's one
   * for per-conversation servers given a `sessionKey`, else the shared one. Reads are safe to
   * repeat, so a broken connection is replaced and the request sent once more.
   */
  private async withConnection<T>(
    slot: ServerSlot,
    options: RequestScopeOptions,
    run: (
      connection: ServerConnection,
      attempt: RequestScopeOptions & { handlers?: ServerRequestHandlers | undefined },
    ) => Promise<T>,
  ): Promise<T> {
    const scope = slot.scopeFor(options.sessionKey, { strict: false });
    checkTimeoutOption(options.timeoutMs, { option: 'timeoutMs', server: slot.name });
    const handlers = this.serverRequests.forCall(
      options.sessionKey,
      { onElicitation: options.onElicitation, onSampling: options.onSampling },
      scope === SHARED_SCOPE,
    );
    const budgetMs = options.timeoutMs ?? slot.definition.callTimeoutMs;
    let deadline: Deadline | undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        const lease = await slot.lease(scope, options.sessionKey);
        try {
          // As for tool calls: the first attempt starts the clock, a retry gets what is left.
          deadline ??= new Deadline(budgetMs);
          const timeoutMs = deadline.remainingMs();
          if (timeoutMs === 0) {
            throw new ToolwireError({
              code: 'TIMEOUT',
              server: slot.name,
              message: `A request to server "${slot.name}" timed out after ${budgetMs} ms (the time ran out before it could be sent again)`,
            });
          }
          return await run(lease.connection, { ...options, timeoutMs, handlers });
        } catch (error) {
          const kind = classifyFailure(error);
          if (isConnectionBroken(kind)) void slot.pool.discard(lease.connection);
          if (attempt === 1 && isConnectionBroken(kind) && !options.signal?.aborted && !this.closed) continue;
          throw error;
        } finally {
          lease.release();
        }
      }
    } catch (error) {
      throw this.redactor.error(error);
    }
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
    await this.flushCacheWrites();
  }

  async prewarm(servers?: string | string[]): Promise<void> {
    const names = servers === undefined ? undefined : Array.isArray(servers) ? servers : [servers];
    const slots =
      names === undefined ? [...this.slots.values()] : names.map((name) => this.requireSlot(name));
    await Promise.allSettled(
      slots.filter((slot) => slot.status !== 'disabled' && !slot.connection).map((slot) => slot.connect()),
    );
    await this.flushCacheWrites();
  }

  disableTool(name: string): void {
    const entry = this.requireEntry(name);
    this.disabledByCall.add(catalogueIdentity(entry.slot.name, entry.tool.name));
    if (!entry.disabledReason) entry.disabledReason = 'call';
  }

  enableTool(name: string): void {
    const entry = this.requireEntry(name);
    this.disabledByCall.delete(catalogueIdentity(entry.slot.name, entry.tool.name));
    if (entry.disabledReason === 'call') entry.disabledReason = undefined;
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
        info: this.describe(entry),
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

  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      this.closing = (async () => {
        await Promise.allSettled([...this.slots.values()].map((slot) => slot.close()));
        await this.flushCacheWrites();
        await Promise.allSettled([this.cache?.close(), this.auth.close()]);
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

  private requireEntry(name: string): CatalogueEntry {
    const entry = this.catalogue.get(name);
    if (!entry)
      throw new ToolNotFoundError({ tool: name, suggestions: closestMatches(name, this.catalogue.keys()) });
    return entry;
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string, server?: string): void {
    this.logger[level](message, server === undefined ? undefined : { server });
    this.emitter.emit('log', { level, message, server });
  }
}

/** The retry of a call found its deadline already spent (reconnecting took the rest). */
function callTimedOut(server: string, tool: string, budgetMs: number): ToolwireError {
  return new ToolwireError({
    code: 'TIMEOUT',
    server,
    tool,
    message: `Tool "${tool}" timed out after ${budgetMs} ms (the time ran out before it could be sent again)`,
  });
}

function invalidArguments(
  tool: string,
  server: string,
  outcome: Extract<ValidationResult, { valid: false }>,
): InvalidArgumentsError {
  return new InvalidArgumentsError({ tool, server, issues: outcome.issues, issueCount: outcome.issueCount });
}

/** A call the server answered with a task, for `startTask()` to hand out. */
class CreatedTask {
  readonly slot: ServerSlot;
  readonly serverToolName: string;
  readonly task: ServerTask;
  // No parameter properties: core's sources also run type-stripped (Node's strip-only mode).
  constructor(slot: ServerSlot, serverToolName: string, task: ServerTask) {
    this.slot = slot;
    this.serverToolName = serverToolName;
    this.task = task;
  }
}

function taskEvent(
  server: string,
  tool: string | undefined,
  task: ServerTask,
): RegistryEvents['task:update'] {
  return {
    server,
    tool,
    taskId: task.taskId,
    status: task.status,
    statusMessage: task.statusMessage,
    progress: task.progress,
  };
}
