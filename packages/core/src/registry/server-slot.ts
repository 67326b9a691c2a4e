/**
 * Everything the registry knows about one configured server: its status, its last known tool
 * list (live, or from the schema cache until the server is first connected), its pool of live
 * connections (one per session scope), and the retry schedule after a failure. A server whose
 * own configuration is invalid has a slot too: `failed` for good, never connected, and every
 * request to it fails at once with its `ConfigError`.
 */
import type { Prompt, Tool } from '@modelcontextprotocol/client';
import type { CachedServerSchema } from '../cache/cached-server-schema.js';
import type { ServerDefinition } from '../config/server-config.js';
import type { ServerConnection } from '../connection/server-connection.js';
import { ConfigError, type ConfigIssue } from '../errors/config-error.js';
import { ToolwireError } from '../errors/toolwire-error.js';
import type { ServerStatus } from '../events/registry-events.js';
import {
  type ConnectionLease,
  ConnectionPool,
  type ConnectionPoolOptions,
  conversationScope,
  SHARED_SCOPE,
} from '../pool/connection-pool.js';

export interface ServerSlotHooks {
  open(slot: ServerSlot, sessionKey: string | undefined): Promise<ServerConnection>;
  onStatus(slot: ServerSlot, previous: ServerStatus): void;
  /** The slot's tool list changed (connect, `list_changed`, cache): rebuild the catalogue. */
  onTools(slot: ServerSlot): void;
  /** A live connection produced a tool list (connect or `list_changed`): refresh the cache. */
  onListed(slot: ServerSlot, connection: ServerConnection): void;
  /** The slot's prompt list changed after `prompts/list_changed`. */
  onPrompts(slot: ServerSlot): void;
  /** What a server published (tools, prompts) before it enters the catalogue: secrets redacted. */
  redact<T>(value: T): T;
}

/** Retry schedule after failures: 1 s, 2 s, 4 s … capped at 60 s, with ±20 % jitter. */
export function backoffMs(attempt: number): number {
  const base = Math.min(60_000, 1_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export class ServerSlot {
  readonly definition: ServerDefinition;
  /** Why this server can never start: problems in its own configuration. */
  readonly configError: ConfigError | undefined;
  /** Unknown keys in its entry, ignored (each with a suggestion when one is close). */
  readonly configWarnings: readonly ConfigIssue[];
  readonly pool: ConnectionPool;
  status: ServerStatus;
  error: ToolwireError | undefined;
  tools: Tool[] = [];
  prompts: Prompt[] = [];
  /** Where `tools` came from: the schema cache (not yet confirmed by the server) or the server. */
  toolsSource: 'cache' | 'server' | undefined;
  /** The schema cache entry last read or written for this server. */
  cached: CachedServerSchema | undefined;
  connectLatencyMs: number | undefined;
  /** Consecutive failed connects. */
  failures = 0;
  retryAt = 0;
  calls = 0;
  errors = 0;
  private readonly hooks: ServerSlotHooks;

  constructor(
    definition: ServerDefinition,
    hooks: ServerSlotHooks,
    poolOptions: ConnectionPoolOptions,
    config: { error?: ConfigError | undefined; warnings?: readonly ConfigIssue[] } = {},
  ) {
    this.definition = definition;
    this.configError = config.error;
    this.configWarnings = config.warnings ?? [];
    this.hooks = hooks;
    this.status = definition.disabled ? 'disabled' : 'discovered';
    // The shared connection belongs to no caller: whoever happens to open it must not lend it
    // their session key (a `headers` function gets each request's own caller instead).
    this.pool = new ConnectionPool(definition.name, poolOptions, (scope, sessionKey) =>
      this.openConnection(scope === SHARED_SCOPE ? undefined : sessionKey),
    );
  }

  get name(): string {
    return this.definition.name;
  }

  /** The open shared connection (or any open one), for describing the server. Never connects. */
  get connection(): ServerConnection | undefined {
    return this.pool.current(SHARED_SCOPE) ?? this.pool.connections().find((connection) => connection.isOpen);
  }

  /**
   * The pool scope of a request. Per-conversation servers give each `sessionKey` its own
   * connection; a tool call without one is refused (`SESSION_REQUIRED`) rather than silently
   * sharing one session among conversations. Other requests (`strict: false`) use the shared one.
   */
  scopeFor(sessionKey: string | undefined, options: { strict: boolean; tool?: string | undefined }): string {
    if (this.definition.session !== 'per-conversation') {
      const hasKey = sessionKey !== undefined && sessionKey !== '';
      return hasKey && this.headersFixedPerConnection() ? conversationScope(sessionKey) : SHARED_SCOPE;
    }
    if (sessionKey !== undefined && sessionKey !== '') return conversationScope(sessionKey);
    if (!options.strict) return SHARED_SCOPE;
    throw new ToolwireError({
      code: 'SESSION_REQUIRED',
      server: this.name,
      tool: options.tool,
      message: `Server "${this.name}" keeps one session per conversation (session: 'per-conversation' at ${this.definition.configPath}); pass { sessionKey } to callTool`,
    });
  }

  /**
   * `lease()` without waiting, when the scope's connection is open and nothing stands in its way;
   * `undefined` otherwise (then `lease()` refuses, connects or picks another scope).
   */
  leaseOpen(scope: string, sessionKey: string | undefined): ConnectionLease | undefined {
    if (this.status === 'disabled' || this.configError) return undefined;
    const keyed = sessionKey !== undefined && sessionKey !== '';
    if (scope === SHARED_SCOPE && keyed && this.headersFixedPerConnection()) return undefined;
    return this.pool.leaseOpen(scope);
  }

  /**
   * Borrows a live connection for `scope`, connecting just in time. Throws when disabled, when its
   * configuration is invalid, or while backing off.
   */
  async lease(scope: string, sessionKey: string | undefined, toolName?: string): Promise<ConnectionLease> {
    if (this.status === 'disabled') {
      throw new ToolwireError({
        code: 'TOOL_DISABLED',
        server: this.name,
        tool: toolName,
        message: `Server "${this.name}" is disabled`,
      });
    }
    if (this.configError) throw this.configErrorFor(toolName);
    if (this.status === 'failed' && Date.now() < this.retryAt && !this.pool.current(scope)) {
      const seconds = Math.ceil((this.retryAt - Date.now()) / 1000);
      throw new ToolwireError({
        code: 'CONNECT_FAILED',
        server: this.name,
        tool: toolName,
        cause: this.error,
        message: `Server "${this.name}" is unavailable (next retry in ${seconds} s): ${this.error?.message ?? 'unknown error'}`,
      });
    }
    const lease = await this.pool.lease(scope, sessionKey, toolName);
    if (
      scope === SHARED_SCOPE &&
      sessionKey !== undefined &&
      sessionKey !== '' &&
      this.headersFixedPerConnection(lease.connection)
    ) {
      // An `auto` URL turned out to speak legacy SSE: this caller needs a connection of its own.
      lease.release();
      return this.pool.lease(conversationScope(sessionKey), sessionKey, toolName);
    }
    return lease;
  }

  /**
   * Legacy SSE sends every request of a connection with the headers it opened with (its POSTs
   * take no per-request headers), so where `headers` is a function — its values may depend on the
   * caller — each conversation gets its own connection. Streamable HTTP needs none: its headers
   * are computed per request.
   */
  private headersFixedPerConnection(connection?: ServerConnection): boolean {
    const { definition } = this;
    if (definition.transport === 'stdio' || typeof definition.headers !== 'function') return false;
    if (definition.transport === 'sse') return true;
    if (definition.transport !== 'auto') return false;
    const settled =
      connection?.transportKind ?? this.connection?.transportKind ?? this.cached?.connectedTransport;
    return settled === 'sse';
  }

  /** Connects the shared scope now (single-flight), updating status and tools. */
  async connect(): Promise<void> {
    if (this.configError) throw this.configErrorFor(undefined);
    const lease = await this.pool.lease(SHARED_SCOPE, undefined);
    lease.release();
  }

  /** Lists tools from the schema cache until the server is connected. */
  adoptCache(entry: CachedServerSchema): void {
    this.cached = entry;
    if (this.toolsSource === 'server') return;
    this.tools = this.hooks.redact(entry.tools);
    this.prompts = this.hooks.redact(entry.prompts);
    this.toolsSource = 'cache';
    this.hooks.onTools(this);
  }

  private async openConnection(sessionKey: string | undefined): Promise<ServerConnection> {
    if (this.status !== 'active') this.setStatus('loading', undefined);
    const started = performance.now();
    try {
      const connection = await this.hooks.open(this, sessionKey);
      this.connectLatencyMs = Math.round(performance.now() - started);
      this.failures = 0;
      this.tools = this.hooks.redact(connection.tools);
      this.prompts = this.hooks.redact(connection.prompts);
      this.toolsSource = 'server';
      this.hooks.onTools(this);
      this.setStatus('active', undefined);
      this.hooks.onListed(this, connection);
      return connection;
    } catch (error) {
      const failure = ToolwireError.isInstance(error)
        ? error
        : new ToolwireError({
            code: 'CONNECT_FAILED',
            server: this.name,
            cause: error,
            message: String(error),
          });
      if (failure.code !== 'REGISTRY_CLOSED') {
        this.failures++;
        this.retryAt = Date.now() + backoffMs(this.failures);
        this.setStatus('failed', failure);
      }
      throw failure;
    }
  }

  /** A live connection ended on its own (crash, network): its calls fail now; the next call reconnects. */
  handleUnexpectedClose(connection: ServerConnection, error: ToolwireError): void {
    if (!this.pool.remove(connection)) return;
    if (this.connection) return;
    this.retryAt = 0;
    this.setStatus('failed', error);
  }

  handleToolsChanged(connection: ServerConnection, tools: Tool[]): void {
    if (!this.pool.connections().includes(connection)) return;
    this.tools = this.hooks.redact(tools);
    this.toolsSource = 'server';
    this.hooks.onTools(this);
    this.hooks.onListed(this, connection);
  }

  /** A pooled connection announced new prompts: they replace the slot's (and the cache's). */
  handlePromptsChanged(connection: ServerConnection, prompts: Prompt[]): void {
    if (!this.pool.connections().includes(connection)) return;
    const redacted = this.hooks.redact(prompts);
    if (JSON.stringify(redacted) === JSON.stringify(this.prompts)) return;
    this.prompts = redacted;
    this.hooks.onListed(this, connection);
    this.hooks.onPrompts(this);
  }

  /** The configuration problems, as the error of a request (for `tool`, when it is a call). */
  configErrorFor(tool: string | undefined): ConfigError {
    const error = this.configError as ConfigError;
    if (tool === undefined) return error;
    return new ConfigError({ issues: error.issues, source: error.source, server: this.name, tool });
  }

  /** At start: a server whose configuration is invalid goes from `discovered` to `failed` (once). */
  failForConfig(): void {
    if (this.configError && this.status === 'discovered') this.setStatus('failed', this.configError);
  }

  setDisabled(disabled: boolean): void {
    if (disabled) this.setStatus('disabled', undefined);
    else if (this.status === 'disabled' && this.configError) this.applyStatus('failed', this.configError);
    else if (this.status === 'disabled') this.setStatus(this.connection ? 'active' : 'discovered', undefined);
  }

  async close(): Promise<void> {
    await this.pool.closeAll();
  }

  private setStatus(status: ServerStatus, error: ToolwireError | undefined): void {
    if (this.status === 'disabled' && status !== 'discovered' && status !== 'active') {
      // A disabled server stays disabled until re-enabled, whatever its connection does.
      return;
    }
    this.applyStatus(status, error);
  }

  private applyStatus(status: ServerStatus, error: ToolwireError | undefined): void {
    const previous = this.status;
    this.error = error;
    this.status = status;
    if (previous !== status || error) this.hooks.onStatus(this, previous);
  }
}
