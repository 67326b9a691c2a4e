/**
 * Everything the registry knows about one configured server: its status, its last known tool
 * list, its live connection, and the retry schedule after a failure. Connecting is single-flight:
 * fifty concurrent first calls open one connection.
 */
import type { Prompt, Tool } from '@modelcontextprotocol/client';
import type { ServerDefinition } from '../config/server-config.js';
import type { ServerConnection } from '../connection/server-connection.js';
import { ToolwireError } from '../errors/toolwire-error.js';
import type { ServerStatus } from '../events/registry-events.js';

export interface ServerSlotHooks {
  open(slot: ServerSlot, sessionKey: string | undefined): Promise<ServerConnection>;
  onStatus(slot: ServerSlot, previous: ServerStatus): void;
  onTools(slot: ServerSlot): void;
}

/** Retry schedule after failures: 1 s, 2 s, 4 s … capped at 60 s, with ±20 % jitter. */
export function backoffMs(attempt: number): number {
  const base = Math.min(60_000, 1_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export class ServerSlot {
  readonly definition: ServerDefinition;
  status: ServerStatus;
  error: ToolwireError | undefined;
  tools: Tool[] = [];
  prompts: Prompt[] = [];
  connection: ServerConnection | undefined;
  connectLatencyMs: number | undefined;
  /** Consecutive failed connects. */
  failures = 0;
  retryAt = 0;
  calls = 0;
  errors = 0;
  private connecting: Promise<ServerConnection> | undefined;
  private closed = false;
  private readonly hooks: ServerSlotHooks;

  constructor(definition: ServerDefinition, hooks: ServerSlotHooks) {
    this.definition = definition;
    this.hooks = hooks;
    this.status = definition.disabled ? 'disabled' : 'discovered';
  }

  get name(): string {
    return this.definition.name;
  }

  /** A live connection, connecting just in time. Throws when the server is disabled, closed or backing off. */
  async acquire(toolName?: string): Promise<ServerConnection> {
    if (this.connection?.isOpen) return this.connection;
    if (this.connecting) return this.connecting;
    if (this.status === 'disabled') {
      throw new ToolwireError({
        code: 'TOOL_DISABLED',
        server: this.name,
        tool: toolName,
        message: `Server "${this.name}" is disabled`,
      });
    }
    if (this.status === 'failed' && Date.now() < this.retryAt) {
      const seconds = Math.ceil((this.retryAt - Date.now()) / 1000);
      throw new ToolwireError({
        code: 'CONNECT_FAILED',
        server: this.name,
        tool: toolName,
        cause: this.error,
        message: `Server "${this.name}" is unavailable (next retry in ${seconds} s): ${this.error?.message ?? 'unknown error'}`,
      });
    }
    return this.connect();
  }

  /** Connects now (single-flight), updating status and tools. */
  connect(): Promise<ServerConnection> {
    if (this.connecting) return this.connecting;
    const attempt = this.openOnce().finally(() => {
      this.connecting = undefined;
    });
    this.connecting = attempt;
    return attempt;
  }

  private async openOnce(): Promise<ServerConnection> {
    this.setStatus('loading', undefined);
    const started = performance.now();
    try {
      const connection = await this.hooks.open(this, undefined);
      if (this.closed) {
        await connection.close();
        throw new ToolwireError({
          code: 'REGISTRY_CLOSED',
          server: this.name,
          message: 'The registry was closed',
        });
      }
      this.connectLatencyMs = Math.round(performance.now() - started);
      this.connection = connection;
      this.failures = 0;
      this.tools = connection.tools;
      this.prompts = connection.prompts;
      this.hooks.onTools(this);
      this.setStatus('active', undefined);
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
      if (!this.closed) {
        this.failures++;
        this.retryAt = Date.now() + backoffMs(this.failures);
        this.setStatus('failed', failure);
      }
      throw failure;
    }
  }

  /** The live connection ended on its own (crash, network): fail fast now, reconnect on the next call. */
  handleUnexpectedClose(connection: ServerConnection, error: ToolwireError): void {
    if (this.connection !== connection || this.closed) return;
    this.connection = undefined;
    this.retryAt = 0;
    this.setStatus('failed', error);
  }

  handleToolsChanged(connection: ServerConnection, tools: Tool[]): void {
    if (this.connection !== connection) return;
    this.tools = tools;
    this.hooks.onTools(this);
  }

  setDisabled(disabled: boolean): void {
    if (disabled) this.setStatus('disabled', undefined);
    else if (this.status === 'disabled')
      this.setStatus(this.connection?.isOpen ? 'active' : 'discovered', undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close();
  }

  private setStatus(status: ServerStatus, error: ToolwireError | undefined): void {
    const previous = this.status;
    this.error = error;
    if (previous === 'disabled' && status !== 'discovered' && status !== 'active') {
      // A disabled server stays disabled until re-enabled, whatever its connection does.
      return;
    }
    this.status = status;
    if (previous !== status || error) this.hooks.onStatus(this, previous);
  }
}
