/**
 * `createRegistry()`: many MCP servers behind one catalogue of uniquely named tools. The catalogue
 * comes from the schema cache at once and from the servers as they connect: all in parallel at
 * start (`loading: 'eager'`), or each on its first call (`'lazy'`). A failing server is marked
 * `failed` and never blocks or fails the others. Calls are validated against the tool's own JSON
 * Schema, always bounded by a timeout, cancellable, retried only when that is safe, and counted.
 */
import type {
  CallToolResult,
  GetPromptResult,
  Implementation,
  ReadResourceResult,
  Tool,
} from '@modelcontextprotocol/client';
import { AuthLayer } from '../auth/server-auth.js';
import type { TokenStore } from '../auth/token-store.js';
import { type CachedServerSchema, catalogueHash } from '../cache/cached-server-schema.js';
import { SchemaCache, type SchemaCacheOption } from '../cache/schema-cache.js';
import { DEFAULT_SCHEMA_CACHE_TTL_MS } from '../cache/schema-cache-store.js';
import {
  type NamingOptions,
  type ParseConfigOptions,
  parseServersConfig,
  type ServersConfigInput,
} from '../config/parse-config.js';
import { prepareServersConfig } from '../config/prepare-config.js';
import { safeUrl } from '../connection/map-error.js';
import type { ElicitationHandler } from '../connection/server-connection.js';
import { ServerConnection } from '../connection/server-connection.js';
import { schemaText } from '../discovery/schema-text.js';
import { SearchIndex } from '../discovery/search-index.js';
import type { SearchToolsOptions, ToolSearchResult } from '../discovery/search-types.js';
import { InvalidArgumentsError } from '../errors/invalid-arguments-error.js';
import { ToolNotFoundError } from '../errors/tool-not-found-error.js';
import { ToolwireError } from '../errors/toolwire-error.js';
import { TypedEmitter } from '../events/event-emitter.js';
import type { RegistryEvents, ServerStatus, ToolStatus } from '../events/registry-events.js';
import { defaultLogger, type Logger } from '../logging/logger.js';
import type { ConnectionLease } from '../pool/connection-pool.js';
import { classifyFailure, isConnectionBroken, mayRetry } from '../pool/retry-policy.js';
import { normalizeToolResult, type ToolCallResult } from '../results/tool-call-result.js';
import {
  type CompiledSchema,
  JSONSchemaValidator,
  type ValidationResult,
} from '../schema/json-schema-validator.js';
import { closestMatches } from '../util/closest-matches.js';
import { compileGlobs } from '../util/glob.js';
import { LatencyWindow } from '../util/latency-window.js';
import { createNameFilter } from '../util/name-filter.js';
import { diffCatalogue } from './catalogue-diff.js';
import type {
  CallToolOptions,
  JSONSchemaObject,
  PromptInfo,
  RegistryStats,
  RequestScopeOptions,
  ResourceInfo,
  ServerInfo,
  ServerStats,
  ToolInfo,
  ToolsFilter,
} from './registry-types.js';
import { ServerSlot } from './server-slot.js';
import { assignToolNames, type NamingServer } from './tool-naming.js';
import { emptyToolStats, ToolStatsRecorder } from './tool-stats.js';

export const TOOLWIRE_VERSION = '0.0.0';

export interface RegistryOptions extends ServersConfigInput {
  /** Where log lines go. Default: warnings and errors to `console`. */
  logger?: Logger;
  /** How the registry introduces itself to servers. Default `{ name: 'toolwire', version }`. */
  clientInfo?: Implementation;
  /**
   * Answers servers' elicitation requests (form mode). When set, the client advertises the
   * elicitation capability; defaults in the requested schema fill fields the answer omits.
   */
  onElicitation?: ElicitationHandler;
  /** Replaces the global `fetch` for HTTP servers (proxies, tests). */
  fetch?: typeof fetch;
  /**
   * Where OAuth access tokens are cached. Default: in memory, per registry. Pass a shared store
   * (`createRedisTokenStore` from `@toolwire/core/redis`) so a fleet fetches one token per client.
   */
  tokenStore?: TokenStore;
  /**
   * Event listeners attached before any server connects, so start-up itself can be observed
   * (e.g. a progress display). Later listeners go through `registry.on()`.
   */
  listeners?: { [Name in keyof RegistryEvents]?: (event: RegistryEvents[Name]) => void };
  /**
   * Where tool catalogues are cached between runs, keyed by a fingerprint of each server's
   * identity (never a secret): `'file'` (default on Node: `$XDG_CACHE_HOME/toolwire` or
   * `~/.cache/toolwire`; memory on runtimes without a file system), `'memory'`, `'none'`, or a
   * store such as `createRedisSchemaCache()` from `@toolwire/core/redis`.
   */
  cache?: SchemaCacheOption;
  /** How long a cached catalogue lives (ms). Default 24 h. */
  cacheTtlMs?: number;
  /** Directory of the `'file'` cache. Default: the per-user cache directory. */
  cacheDirectory?: string;
  /**
   * `'eager'` (default): connect every server in parallel before `createRegistry` resolves.
   * `'lazy'`: list tools from the cache at once and connect a server only when one of its tools
   * is first called (servers missing from the cache are connected at start to learn their tools).
   */
  loading?: 'eager' | 'lazy';
  /**
   * A cached catalogue older than this (ms) is refreshed from its server in the background at a
   * lazy start, and rewritten on the next connect in any mode. Default 1 h.
   */
  revalidateAfterMs?: number;
  /** Connection pool limits per server. */
  pool?: PoolOptions;
}

/** Connection pool limits, per server. */
export interface PoolOptions {
  /** Most live connections per server (the shared one and one per conversation). Default 32. */
  maxConnectionsPerServer?: number;
  /** A per-conversation connection closes after this long unused (ms). Default 5 min. */
  idleTimeoutMs?: number;
}

const registryKeys = [
  'logger',
  'clientInfo',
  'onElicitation',
  'fetch',
  'listeners',
  'cache',
  'cacheTtlMs',
  'cacheDirectory',
  'loading',
  'revalidateAfterMs',
  'pool',
  'tokenStore',
] as const;

const DEFAULT_REVALIDATE_AFTER_MS = 60 * 60 * 1000;
const DEFAULT_MAX_CONNECTIONS_PER_SERVER = 32;
const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60 * 1000;
const CACHE_OPERATION_TIMEOUT_MS = 1_000;
const DEFAULT_SEARCH_LIMIT = 10;

/** The registry: one catalogue of tools from many MCP servers. */
export interface Registry extends AsyncDisposable {
  /** The catalogue (callable tools by default). Cheap: no I/O. */
  tools(filter?: ToolsFilter): ToolInfo[];
  /** One tool by its registry name, or `undefined`. */
  tool(name: string): ToolInfo | undefined;
  /**
   * One callable tool by its registry name; throws `ToolNotFoundError` (`TOOL_NOT_FOUND`, with the
   * closest names) or `TOOL_DISABLED`. For adapters that wrap a single tool.
   */
  requireTool(name: string): ToolInfo;
  /**
   * Finds tools by what they do: ranked free text over names, descriptions and input-schema text
   * (property names and descriptions), with synonyms and light stemming, plus filters by server
   * and name glob. Works on the catalogue as it is (from the schema cache with
   * `loading: 'lazy'`): it connects nothing and costs no I/O. A query that is a glob
   * (`github__*`) filters by name; an empty one lists every tool the filters keep.
   *
   * @example
   * ```ts
   * const [best] = registry.search('open a pull request', { limit: 3 });
   * await registry.callTool(best.tool.name, { title: 'Fix typo' });
   * ```
   */
  search(query: string, options?: SearchToolsOptions): ToolSearchResult[];
  servers(): ServerInfo[];
  server(name: string): ServerInfo | undefined;
  /**
   * Calls a tool by its registry name. Resolves with the normalized result, including tool-level
   * errors (`isError: true`); rejects with a `ToolwireError` when there is no result
   * (`TOOL_NOT_FOUND`, `INVALID_ARGUMENTS`, `TIMEOUT`, `CANCELLED`, `CONNECT_FAILED`, …).
   */
  callTool(name: string, args?: Record<string, unknown>, options?: CallToolOptions): Promise<ToolCallResult>;
  /**
   * Checks arguments against the tool's own JSON Schema (what `callTool` does first), so adapters
   * can validate without a lossy copy of the schema. Throws `TOOL_NOT_FOUND` for an unknown tool.
   */
  validateArguments(name: string, args: unknown): ValidationResult;
  /** Prompts of every active server (or one), with registry-unique names. Connects nothing. */
  prompts(server?: string): PromptInfo[];
  /** Renders a prompt by its registry name. */
  getPrompt(
    name: string,
    args?: Record<string, string>,
    options?: RequestScopeOptions,
  ): Promise<GetPromptResult>;
  /** Resources of every active server (or one), listed on demand. */
  listResources(server?: string, options?: RequestScopeOptions): Promise<ResourceInfo[]>;
  /** Reads one resource of a server by URI. */
  readResource(server: string, uri: string, options?: RequestScopeOptions): Promise<ReadResourceResult>;
  /** Reconnects failed servers and re-lists tools (all servers, or one). Never throws for a server failure. */
  refresh(server?: string): Promise<void>;
  /**
   * Connects servers now (all enabled ones, or those named) so their first call pays no start-up
   * cost; with `loading: 'lazy'` this turns the cached catalogue live. Never throws for a server
   * failure (see `servers()` for the outcome).
   */
  prewarm(servers?: string | string[]): Promise<void>;
  disableTool(name: string): void;
  enableTool(name: string): void;
  disableServer(name: string): Promise<void>;
  enableServer(name: string): void;
  stats(): RegistryStats;
  on<Name extends keyof RegistryEvents>(
    name: Name,
    listener: (event: RegistryEvents[Name]) => void,
  ): () => void;
  /** Closes every connection (HTTP sessions get a DELETE, stdio servers exit). Idempotent. */
  close(): Promise<void>;
}

interface CatalogueEntry {
  name: string;
  slot: ServerSlot;
  tool: Tool;
  disabledReason: 'config' | 'call' | undefined;
}

/**
 * Creates a registry. Lists cached catalogues at once, then (eager) connects every enabled server
 * in parallel or (lazy) only those missing from the cache. Resolves once each server it connects
 * is `active` or `failed`; it rejects only for invalid configuration (`ConfigError`), which
 * includes a `server.json` file that cannot be read and a provider resolver that fails.
 *
 * @example
 * ```ts
 * await using registry = await createRegistry({
 *   mcpServers: { everything: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything'] } },
 * });
 * const result = await registry.callTool('everything__echo', { message: 'hi' });
 * ```
 */
export async function createRegistry(
  options: RegistryOptions,
  parseOptions: ParseConfigOptions = {},
): Promise<Registry> {
  // Reading server.json files and running provider resolvers is asynchronous; the parse is not.
  const prepared = parseOptions.prepared ?? (await prepareServersConfig(options));
  const registry = new ToolRegistry(options, { ...parseOptions, prepared });
  await registry.start();
  return registry;
}

class ToolRegistry implements Registry {
  private readonly slots = new Map<string, ServerSlot>();
  private catalogue = new Map<string, CatalogueEntry>();
  private readonly naming: Required<NamingOptions>;
  private readonly logger: Logger;
  private readonly clientInfo: Implementation;
  private readonly emitter = new TypedEmitter<RegistryEvents>();
  private readonly validator = new JSONSchemaValidator();
  private readonly toolStats = new Map<string, ToolStatsRecorder>();
  private readonly disabledByCall = new Set<string>();
  private readonly allLatency = new LatencyWindow(2048);
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
  /** Built on the first search after the catalogue changes. */
  private searchIndex: { index: SearchIndex; entries: CatalogueEntry[] } | undefined;

  constructor(options: RegistryOptions, parseOptions: ParseConfigOptions) {
    const parsed = parseServersConfig(options, {
      ...parseOptions,
      extraKeys: [...registryKeys, ...(parseOptions.extraKeys ?? [])],
    });
    this.options = options;
    this.naming = parsed.naming;
    this.logger = options.logger ?? defaultLogger;
    this.auth = new AuthLayer({ tokenStore: options.tokenStore, fetch: options.fetch, logger: this.logger });
    this.clientInfo = options.clientInfo ?? { name: 'toolwire', version: TOOLWIRE_VERSION };
    for (const [name, listener] of Object.entries(options.listeners ?? {})) {
      if (listener) this.emitter.on(name as keyof RegistryEvents, listener as (event: unknown) => void);
    }
    this.loading = readChoice(options.loading, ['eager', 'lazy'], 'eager', 'loading');
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
      idleTimeoutMs: readPositive(options.pool?.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS, 'pool.idleTimeoutMs'),
    };
    for (const definition of parsed.servers) {
      this.slots.set(
        definition.name,
        new ServerSlot(
          definition,
          {
            open: (slot, sessionKey) => this.openConnection(slot, sessionKey),
            onStatus: (slot, previous) => this.handleStatus(slot, previous),
            onTools: () => this.rebuildCatalogue(),
            onListed: (slot, connection) => this.handleListed(slot, connection),
          },
          poolOptions,
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
      operationTimeoutMs: CACHE_OPERATION_TIMEOUT_MS,
      log: (level, message) => this.log(level, message),
    });
    const slots = [...this.slots.values()];
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
      const { tools, prompts } = connection;
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
      const entry: CachedServerSchema = {
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
      };
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
      fetch: auth
        ? auth.wrapFetch(this.options.fetch ?? ((url, init) => fetch(url, init)))
        : this.options.fetch,
      authProvider: auth?.authProvider,
      onElicitation: this.options.onElicitation,
      onToolsChanged: (tools) => {
        if (connection) slot.handleToolsChanged(connection, tools);
      },
      onUnexpectedClose: (error) => {
        if (connection) slot.handleUnexpectedClose(connection, error);
      },
    }).then((opened) => {
      connection = opened;
      return opened;
    });
  }

  private handleStatus(slot: ServerSlot, previous: ServerStatus): void {
    if (slot.error && slot.status === 'failed') {
      this.log('warn', `${slot.error.message}`, slot.name);
    }
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
            disabledReason: this.disabledByCall.has(identity(slot.name, tool.name)) ? 'call' : undefined,
          });
      }
      for (const tool of disabled) {
        const name = disabledNames.get(slot.name)?.get(tool.name);
        if (name) next.set(name, { name, slot, tool, disabledReason: 'config' });
      }
    }
    this.catalogue = next;
    this.searchIndex = undefined;

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
    throw new ToolNotFoundError({ tool: name, suggestions: closestMatches(name, this.callableNames()) });
  }

  search(query: string, options: SearchToolsOptions = {}): ToolSearchResult[] {
    if (typeof query !== 'string') {
      throw new ToolwireError({
        code: 'INVALID_ARGUMENTS',
        message: `search(): the query must be a string, got ${typeof query}`,
      });
    }
    const limit = options.limit ?? DEFAULT_SEARCH_LIMIT;
    if (!(limit === Number.POSITIVE_INFINITY || (Number.isInteger(limit) && limit > 0))) {
      throw new ToolwireError({
        code: 'INVALID_ARGUMENTS',
        message: `search(): limit must be a positive whole number or Infinity, got ${String(limit)}`,
      });
    }
    const trimmed = query.trim();
    const queryIsPattern = /[*?]/.test(trimmed) && !/\s/.test(trimmed);
    const patterns = [...toList(options.pattern), ...(queryIsPattern ? [trimmed] : [])];
    const nameMatches = patterns.length > 0 ? compileGlobs(patterns) : undefined;
    const servers = toList(options.server);
    const serverMatches = servers.length > 0 ? compileGlobs(servers) : undefined;
    const accept = (entry: CatalogueEntry): boolean => {
      if (serverMatches && !serverMatches(entry.slot.name)) return false;
      if (nameMatches && !nameMatches(entry.name) && !nameMatches(entry.tool.name)) return false;
      if (!options.includeDisabled && (entry.disabledReason || entry.slot.status === 'disabled'))
        return false;
      return true;
    };

    const text = queryIsPattern ? '' : trimmed;
    if (text === '') {
      const listed: ToolSearchResult[] = [];
      for (const entry of this.catalogue.values()) {
        if (listed.length >= limit) break;
        if (accept(entry)) listed.push({ tool: this.describe(entry), score: 0, matched: [] });
      }
      return listed;
    }
    const { index, entries } = this.searchIndexNow();
    return index
      .search(text, (position) => accept(entries[position]!))
      .slice(0, limit === Number.POSITIVE_INFINITY ? undefined : limit)
      .map((hit) => ({ tool: this.describe(entries[hit.index]!), score: hit.score, matched: hit.matched }));
  }

  private searchIndexNow(): { index: SearchIndex; entries: CatalogueEntry[] } {
    if (!this.searchIndex) {
      const entries = [...this.catalogue.values()];
      const index = new SearchIndex(
        entries.map((entry) => ({
          names: [entry.tool.name, entry.tool.title ?? entry.tool.annotations?.title ?? ''],
          aliases: [entry.name],
          server: entry.slot.name,
          description: [entry.tool.description ?? '', entry.slot.definition.description ?? ''].join('\n'),
          schema: schemaText(entry.tool.inputSchema),
        })),
      );
      this.searchIndex = { index, entries };
    }
    return this.searchIndex;
  }

  private describe(entry: CatalogueEntry): ToolInfo {
    const { tool, slot } = entry;
    const serverDisabled = slot.status === 'disabled';
    const disabledReason = entry.disabledReason ?? (serverDisabled ? 'server' : undefined);
    const status: ToolStatus = disabledReason ? 'disabled' : slot.status;
    return {
      name: entry.name,
      server: slot.name,
      serverToolName: tool.name,
      title: tool.title ?? tool.annotations?.title,
      description: tool.description ?? '',
      inputSchema: tool.inputSchema as JSONSchemaObject,
      outputSchema: tool.outputSchema as JSONSchemaObject | undefined,
      annotations: tool.annotations,
      meta: tool._meta as Record<string, unknown> | undefined,
      status,
      disabledReason,
      // A tool never called has no recorder: describing it must not create one (each holds a
      // latency ring, and listing a large catalogue would otherwise allocate one per tool).
      stats: this.toolStats.get(identity(slot.name, tool.name))?.snapshot() ?? emptyToolStats(),
    };
  }

  servers(): ServerInfo[] {
    return [...this.slots.values()].map((slot) => this.describeServer(slot));
  }

  server(name: string): ServerInfo | undefined {
    const slot = this.slots.get(name);
    return slot ? this.describeServer(slot) : undefined;
  }

  private describeServer(slot: ServerSlot): ServerInfo {
    const { definition, connection, cached } = slot;
    const entries = [...this.catalogue.values()].filter((entry) => entry.slot === slot);
    return {
      name: slot.name,
      transport: definition.transport,
      connectedTransport: connection?.transportKind,
      url: definition.transport === 'stdio' ? undefined : safeUrl(definition.url),
      command: definition.transport === 'stdio' ? definition.command : undefined,
      status: slot.status,
      error: slot.error ? { code: slot.error.code, message: slot.error.message } : undefined,
      connectLatencyMs: slot.connectLatencyMs,
      toolCount: entries.filter((entry) => !entry.disabledReason).length,
      filteredTools: entries
        .filter((entry) => entry.disabledReason === 'config')
        .map((entry) => entry.tool.name),
      session: definition.session,
      serverVersion: connection?.serverVersion ?? cached?.serverInfo,
      protocolVersion: connection?.protocolVersion ?? cached?.protocolVersion,
      capabilities: connection?.capabilities ?? cached?.capabilities,
      instructions: connection?.instructions ?? cached?.instructions,
      configPath: definition.configPath,
      toolsSource: slot.toolsSource,
      cachedAt: cached?.savedAt,
      connections: slot.pool.size,
    };
  }

  async callTool(
    name: string,
    args: Record<string, unknown> = {},
    options: CallToolOptions = {},
  ): Promise<ToolCallResult> {
    if (this.closed) {
      throw new ToolwireError({ code: 'REGISTRY_CLOSED', tool: name, message: 'The registry is closed' });
    }
    const entry = this.catalogue.get(name);
    if (!entry) {
      throw new ToolNotFoundError({ tool: name, suggestions: closestMatches(name, this.callableNames()) });
    }
    const { slot, tool } = entry;
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
      // Inside the try: arguments a model got wrong count as failed calls in stats and events.
      this.checkArguments(name, slot, tool, args, options);
      const scope = slot.scopeFor(options.sessionKey, { strict: true, tool: name });
      const raw = await this.callOnPool(name, slot, tool, args, scope, options);
      const durationMs = performance.now() - started;
      const result = normalizeToolResult(raw, {
        tool: name,
        server: slot.name,
        serverToolName: tool.name,
        durationMs,
      });
      const toolError = result.isError
        ? { code: 'TOOL_ERROR' as const, message: result.text || 'the tool reported an error' }
        : undefined;
      this.record(slot, tool.name, durationMs, toolError);
      this.emitter.emit('call:end', {
        ...base,
        durationMs,
        outcome: result.isError ? 'tool-error' : 'ok',
        error: undefined,
      });
      return result;
    } catch (error) {
      const durationMs = performance.now() - started;
      const failure = ToolwireError.isInstance(error)
        ? error
        : new ToolwireError({
            code: 'INTERNAL',
            server: slot.name,
            tool: name,
            cause: error,
            message: String(error),
          });
      this.record(slot, tool.name, durationMs, failure);
      this.emitter.emit('call:end', { ...base, durationMs, outcome: 'failed', error: failure });
      throw failure;
    }
  }

  private checkArguments(
    name: string,
    slot: ServerSlot,
    tool: Tool,
    args: unknown,
    options: CallToolOptions,
  ): asserts args is Record<string, unknown> {
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      throw new InvalidArgumentsError({
        tool: name,
        server: slot.name,
        issues: [{ path: [], pathText: '(arguments)', message: 'must be an object', keyword: 'type' }],
      });
    }
    if (options.validate === false) return;
    const outcome = this.compiledInput(tool).validate(args);
    if (!outcome.valid)
      throw new InvalidArgumentsError({ tool: name, server: slot.name, issues: outcome.issues });
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
    args: Record<string, unknown>,
    scope: string,
    options: CallToolOptions,
  ): Promise<CallToolResult> {
    const timeoutMs = options.timeoutMs ?? slot.definition.callTimeoutMs;
    for (let attempt = 1; ; attempt++) {
      const lease: ConnectionLease = await slot.lease(scope, options.sessionKey, name);
      let tool = listedTool;
      try {
        tool = this.confirmTool(name, slot, listedTool, args, options);
        return await lease.connection.callTool(
          tool.name,
          args,
          { signal: options.signal, timeoutMs, onProgress: options.onProgress },
          name,
        );
      } catch (error) {
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
      const outcome = this.compiledInput(current.tool).validate(args);
      if (!outcome.valid)
        throw new InvalidArgumentsError({ tool: name, server: slot.name, issues: outcome.issues });
    }
    return current.tool;
  }

  private compiledInput(tool: Tool): CompiledSchema {
    const compiled = this.validator.compile(tool.inputSchema as JSONSchemaObject);
    if (compiled.compileError) {
      this.logger.debug(
        `input schema of "${tool.name}" could not be compiled (${compiled.compileError}); the server validates`,
      );
    }
    return compiled;
  }

  private record(
    slot: ServerSlot,
    toolName: string,
    durationMs: number,
    error: { code: ToolwireError['code']; message: string } | undefined,
  ): void {
    this.statsFor(slot.name, toolName).record(
      durationMs,
      error ? { code: error.code, message: error.message } : undefined,
    );
    this.allLatency.record(durationMs);
    slot.calls++;
    if (error) slot.errors++;
  }

  private statsFor(server: string, toolName: string): ToolStatsRecorder {
    const key = identity(server, toolName);
    let recorder = this.toolStats.get(key);
    if (!recorder) {
      recorder = new ToolStatsRecorder();
      this.toolStats.set(key, recorder);
    }
    return recorder;
  }

  private callableNames(): string[] {
    return [...this.catalogue.values()].filter((entry) => !entry.disabledReason).map((entry) => entry.name);
  }

  validateArguments(name: string, args: unknown): ValidationResult {
    const entry = this.catalogue.get(name);
    if (!entry)
      throw new ToolNotFoundError({ tool: name, suggestions: closestMatches(name, this.callableNames()) });
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      return {
        valid: false,
        issues: [{ path: [], pathText: '(arguments)', message: 'must be an object', keyword: 'type' }],
      };
    }
    return this.compiledInput(entry.tool).validate(args);
  }

  prompts(server?: string): PromptInfo[] {
    const result: PromptInfo[] = [];
    for (const slot of this.slots.values()) {
      if (server !== undefined && slot.name !== server) continue;
      for (const prompt of slot.prompts) {
        result.push({
          name: `${slot.name}${this.naming.separator}${prompt.name}`,
          server: slot.name,
          serverPromptName: prompt.name,
          title: prompt.title,
          description: prompt.description ?? '',
          arguments: (prompt.arguments ?? []).map((argument) => ({
            name: argument.name,
            description: argument.description,
            required: argument.required === true,
          })),
        });
      }
    }
    return result;
  }

  async getPrompt(
    name: string,
    args: Record<string, string> = {},
    options: RequestScopeOptions = {},
  ): Promise<GetPromptResult> {
    const prompt = this.prompts().find((candidate) => candidate.name === name);
    if (!prompt) {
      throw new ToolwireError({
        code: 'TOOL_NOT_FOUND',
        tool: name,
        message: `No prompt named "${name}". Prompts: ${
          this.prompts()
            .map((candidate) => candidate.name)
            .join(', ') || '(none)'
        }`,
      });
    }
    const slot = this.requireSlot(prompt.server);
    return this.withConnection(slot, options, (connection) =>
      connection.request(
        'prompts/get',
        name,
        slot.definition.callTimeoutMs,
        options,
        (client, requestOptions) =>
          client.getPrompt({ name: prompt.serverPromptName, arguments: args }, requestOptions),
      ),
    );
  }

  async listResources(server?: string, options: RequestScopeOptions = {}): Promise<ResourceInfo[]> {
    const slots = [...this.slots.values()].filter(
      (slot) => (server === undefined || slot.name === server) && slot.status === 'active',
    );
    const lists = await Promise.all(
      slots.map(async (slot) => {
        const resources = await this.withConnection(slot, options, async (connection) => {
          if (!connection.capabilities?.resources) return [];
          const listed = await connection.request(
            'resources/list',
            slot.name,
            slot.definition.callTimeoutMs,
            options,
            (client, requestOptions) => client.listResources(undefined, requestOptions),
          );
          return listed.resources;
        });
        return resources.map((resource) => ({
          server: slot.name,
          uri: resource.uri,
          name: resource.name,
          title: resource.title,
          description: resource.description,
          mimeType: resource.mimeType,
        }));
      }),
    );
    return lists.flat();
  }

  async readResource(
    server: string,
    uri: string,
    options: RequestScopeOptions = {},
  ): Promise<ReadResourceResult> {
    const slot = this.requireSlot(server);
    return this.withConnection(slot, options, (connection) =>
      connection.request(
        'resources/read',
        uri,
        slot.definition.callTimeoutMs,
        options,
        (client, requestOptions) => client.readResource({ uri }, requestOptions),
      ),
    );
  }

  /**
   * Runs a read-only request (prompts, resources) on a pooled connection: the conversation's one
   * for per-conversation servers given a `sessionKey`, else the shared one. Reads are safe to
   * repeat, so a broken connection is replaced and the request sent once more.
   */
  private async withConnection<T>(
    slot: ServerSlot,
    options: RequestScopeOptions,
    run: (connection: ServerConnection) => Promise<T>,
  ): Promise<T> {
    const scope = slot.scopeFor(options.sessionKey, { strict: false });
    for (let attempt = 1; ; attempt++) {
      const lease = await slot.lease(scope, options.sessionKey);
      try {
        return await run(lease.connection);
      } catch (error) {
        const kind = classifyFailure(error);
        if (isConnectionBroken(kind)) void slot.pool.discard(lease.connection);
        if (attempt === 1 && isConnectionBroken(kind) && !options.signal?.aborted && !this.closed) continue;
        throw error;
      } finally {
        lease.release();
      }
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
    this.disabledByCall.add(identity(entry.slot.name, entry.tool.name));
    if (!entry.disabledReason) entry.disabledReason = 'call';
  }

  enableTool(name: string): void {
    const entry = this.requireEntry(name);
    this.disabledByCall.delete(identity(entry.slot.name, entry.tool.name));
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
    const serversByStatus = emptyStatusCounts();
    const toolsByStatus = emptyStatusCounts();
    const byServer: Record<string, ServerStats> = {};
    const byTool: RegistryStats['byTool'] = {};
    let calls = 0;
    let errors = 0;
    for (const slot of this.slots.values()) {
      serversByStatus[slot.status]++;
      calls += slot.calls;
      errors += slot.errors;
      byServer[slot.name] = {
        status: slot.status,
        tools: 0,
        calls: slot.calls,
        errors: slot.errors,
        connectLatencyMs: slot.connectLatencyMs,
        lastError: slot.error ? { code: slot.error.code, message: slot.error.message } : undefined,
        connections: slot.pool.size,
      };
    }
    let tools = 0;
    for (const entry of this.catalogue.values()) {
      const info = this.describe(entry);
      toolsByStatus[info.status]++;
      byTool[info.name] = info.stats;
      if (info.status !== 'disabled') {
        tools++;
        const serverStats = byServer[entry.slot.name];
        if (serverStats) serverStats.tools++;
      }
    }
    return {
      servers: this.slots.size,
      tools,
      calls,
      errors,
      serversByStatus,
      toolsByStatus,
      byServer,
      byTool,
      latency: this.allLatency.summary(),
    };
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
        await this.cache?.close();
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

function toList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

function identity(server: string, toolName: string): string {
  return `${server}\u0000${toolName}`;
}

function readPositive(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ToolwireError({
      code: 'CONFIG_INVALID',
      message: `${option}: expected a positive number, got ${JSON.stringify(value)}`,
    });
  }
  return value;
}

function readChoice<T extends string>(
  value: T | undefined,
  choices: readonly T[],
  fallback: T,
  option: string,
): T {
  if (value === undefined) return fallback;
  if (!choices.includes(value)) {
    throw new ToolwireError({
      code: 'CONFIG_INVALID',
      message: `${option}: expected ${choices.map((choice) => `'${choice}'`).join(' or ')}, got ${JSON.stringify(value)}`,
    });
  }
  return value;
}

function emptyStatusCounts(): Record<ServerStatus, number> {
  return { discovered: 0, loading: 0, active: 0, failed: 0, disabled: 0 };
}
