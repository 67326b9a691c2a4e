/** The events a registry emits. Payloads never contain secrets (no headers, tokens or env values). */
import type { ToolwireError } from '../errors/toolwire-error.js';

/** MCP's log severities (RFC 5424), least severe first. */
export type ServerLogLevel =
  | 'debug'
  | 'info'
  | 'notice'
  | 'warning'
  | 'error'
  | 'critical'
  | 'alert'
  | 'emergency';

export type ServerStatus = 'discovered' | 'loading' | 'active' | 'failed' | 'disabled';
export type ToolStatus = ServerStatus;

export interface ServerStatusEvent {
  server: string;
  status: ServerStatus;
  previous: ServerStatus;
  error: ToolwireError | undefined;
}

/** The catalogue changed for one server (after `tools/list_changed`, a reconnect or a refresh). */
export interface ToolsChangedEvent {
  server: string;
  /** Registry names of tools that are new. */
  added: string[];
  /** Registry names of tools whose definition (description, schemas, annotations…) changed. */
  changed: string[];
  /** Registry names of tools that are gone. */
  removed: string[];
}

/** A server announced `prompts/list_changed`: its prompts (`registry.prompts(server)`) are the new list. */
export interface PromptsChangedEvent {
  server: string;
}

/**
 * A server announced `resources/list_changed`: `registry.listResources(server)` and
 * `listResourceTemplates(server)` answer with the new lists (the registry keeps none).
 */
export interface ResourcesChangedEvent {
  server: string;
}

export interface CallStartEvent {
  tool: string;
  server: string;
  callId: number;
  sessionKey: string | undefined;
}

export interface CallEndEvent extends CallStartEvent {
  durationMs: number;
  /** `'ok'`, `'tool-error'` (the tool returned `isError`) or `'failed'` (no result: timeout, transport…). */
  outcome: 'ok' | 'tool-error' | 'failed';
  error: ToolwireError | undefined;
}

export interface LogEvent {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  server: string | undefined;
}

/**
 * A log message a consumed server sent (`notifications/message`). `data` is what the server
 * sent, with every secret the registry knows redacted; when its JSON is longer than 16,000
 * characters it is replaced by a cut excerpt of that JSON (a string) and `truncated` is `true`.
 */
export interface ServerLogEvent {
  server: string;
  /** The conversation of the connection it arrived on (`undefined` for a shared connection). */
  sessionKey: string | undefined;
  /**
   * The call it was sent during (registry tool name and `callId` of `call:start`), when exactly
   * one call was running on that connection: MCP does not tie log messages to requests.
   */
  tool: string | undefined;
  callId: number | undefined;
  level: ServerLogLevel;
  /** The server's name for the part of it that logged, when it gave one. */
  logger: string | undefined;
  data: unknown;
  truncated: boolean;
}

/** A task (MCP Tasks extension) a call turned into changed, as the registry last saw it. */
export interface TaskUpdateEvent {
  server: string;
  /** The registry tool name, when known. */
  tool: string | undefined;
  taskId: string;
  status: 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';
  statusMessage: string | undefined;
  progress: { progress: number; total?: number | undefined; message?: string | undefined } | undefined;
}

export interface RegistryEvents {
  'server:status': ServerStatusEvent;
  'tools:changed': ToolsChangedEvent;
  'prompts:changed': PromptsChangedEvent;
  'resources:changed': ResourcesChangedEvent;
  'call:start': CallStartEvent;
  'call:end': CallEndEvent;
  log: LogEvent;
  'server:log': ServerLogEvent;
  /** Each state of a task seen while a call waits for it (or a `ToolTask` is read). */
  'task:update': TaskUpdateEvent;
}
