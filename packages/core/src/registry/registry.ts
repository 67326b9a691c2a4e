/**
 * The registry's public contract: the `Registry` interface and `createRegistry()`. Many MCP
 * servers behind one catalogue of uniquely named tools; the implementation is `ToolRegistry`
 * (`tool-registry.ts`), its options are in `registry-options.ts`.
 */

import type {
  CompleteRequest,
  CompleteResult,
  GetPromptResult,
  ReadResourceResult,
} from '@modelcontextprotocol/client';
import type { ParseConfigOptions } from '../config/parse-config.js';
import { prepareServersConfig } from '../config/prepare-config.js';
import type { ServerRequestHandlers } from '../connection/server-requests.js';
import type { SearchToolsOptions, ToolSearchResult } from '../discovery/search-types.js';
import type { RegistryEvents } from '../events/registry-events.js';
import type { ToolCallResult } from '../results/tool-call-result.js';
import type { ValidationResult } from '../schema/json-schema-validator.js';
import type { TaskRef, ToolTask } from '../tasks/tool-task.js';
import { loadPlatformFetch } from '../transports/platform-fetch.js';
import type { ReconfigureServersOptions, ServersUpdate } from './reconfigure-servers.js';
import type { RegistryOptions } from './registry-options.js';
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
import type { ResourceSubscription, SubscribeResourceOptions } from './resource-subscriptions.js';
import type { ServerDetails } from './server-details.js';
import { ToolRegistry } from './tool-registry.js';

export { TOOLWIRE_VERSION } from '../version.js';
export type { PoolOptions, RegistryOptions } from './registry-options.js';

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
   * What an operator needs beyond `server(name)`: recent status changes (the reconnect history),
   * the tail of the server's stderr, the retry schedule, and the auth kind with the current
   * token's lifetime. Secret-free like everything else the registry hands out. Connects nothing.
   */
  serverDetails(name: string): ServerDetails | undefined;
  /**
   * A copy of `value` with every secret the registry knows (configured credentials, headers,
   * stdio arguments and environment values, tokens it obtained) replaced by `[redacted]`, in any
   * encoding — the same redaction its own outputs get. Tool results are returned as the server
   * sent them; pass them through this before showing them to someone who must not see secrets.
   */
  redact<T>(value: T): T;
  /**
   * Makes `value` a secret of this registry's redaction (every output, in every encoding), for a
   * credential the registry never sends or obtains itself: a gateway's downstream token it
   * exchanges, a token a credential store hands out. Kept like the tokens the registry obtains
   * (the most recent ones); values too short to be secrets are ignored.
   */
  addSecret(value: string): void;
  /**
   * Calls a tool by its registry name. Resolves with the normalized result, including tool-level
   * errors (`isError: true`); rejects with a `ToolwireError` when there is no result
   * (`TOOL_NOT_FOUND`, `INVALID_ARGUMENTS`, `TIMEOUT`, `CANCELLED`, `CONNECT_FAILED`, …).
   */
  callTool(name: string, args?: Record<string, unknown>, options?: CallToolOptions): Promise<ToolCallResult>;
  /**
   * Calls a tool without waiting for a long-running one: when the server answers with a task
   * (MCP Tasks extension, 2026-07-28 servers that declare it, e.g. a `@toolwire/publisher` tool
   * with `task`), resolves at once with a {@link ToolTask} handle (`result()`, `get()`,
   * `cancel()`, and `ref` to resume it later); when the server answers with the result itself,
   * resolves with that result. Same validation, errors, stats and events as `callTool`.
   *
   * @example
   * ```ts
   * const started = await registry.startTask('research__deep_report', { topic: 'tides' });
   * if ('taskId' in started) {
   *   saveSomewhere(started.ref); // { server, taskId, tool }
   *   const result = await started.result({ onProgress: (p) => console.log(p.message) });
   * }
   * ```
   */
  startTask(
    name: string,
    args?: Record<string, unknown>,
    options?: StartTaskOptions,
  ): Promise<ToolCallResult | ToolTask>;
  /**
   * A handle on a task started earlier, by this process or another one (after a restart): from
   * the `ref` a `ToolTask` or `onTask` gave. Reads the task once; rejects with `TASK_NOT_FOUND`
   * when the server does not know it (never created, expired, or another caller's) and
   * `CONFIG_INVALID` for an unknown server.
   */
  resumeTask(ref: TaskRef, options?: ResumeTaskOptions): Promise<ToolTask>;
  /**
   * Checks arguments against the tool's own JSON Schema (what `callTool` does first), so adapters
   * can validate without a lossy copy of the schema. Throws `TOOL_NOT_FOUND` for an unknown tool.
   */
  validateArguments(name: string, args: unknown): ValidationResult;
  /**
   * The final check of an adapter that validates before calling: like `validateArguments`, but
   * arguments that fail count as a failed call, as in `callTool` (`call:start`, then `call:end`
   * with `outcome: 'failed'`, and the tool's `stats()`), and throw `InvalidArgumentsError`.
   * Throws `TOOL_NOT_FOUND` for an unknown tool (not counted).
   */
  checkArguments(name: string, args: unknown, options?: { sessionKey?: string | undefined }): void;
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
  /**
   * Follows one resource of a server (`resources/subscribe`, or a `subscriptions/listen` stream on
   * 2026-07-28) in the caller's upstream session: `onUpdated` runs for each update, until
   * `close()`. Rejects with `PROTOCOL_ERROR` when the server offers no subscriptions.
   */
  subscribeResource(
    server: string,
    uri: string,
    options: SubscribeResourceOptions,
  ): Promise<ResourceSubscription>;
  /** Resource templates of every active server (or one), listed on demand. */
  listResourceTemplates(server?: string, options?: RequestScopeOptions): Promise<ResourceTemplateInfo[]>;
  /**
   * Asks a server to complete an argument of one of its prompts (`ref/prompt`, the server's own
   * prompt name) or resource templates (`ref/resource`, the URI template): `completion/complete`.
   */
  complete(
    server: string,
    request: CompleteRequest['params'],
    options?: RequestScopeOptions,
  ): Promise<CompleteResult>;
  /** Reconnects failed servers and re-lists tools (all servers, or one). Never throws for a server failure. */
  refresh(server?: string): Promise<void>;
  /**
   * Connects servers now (all enabled ones, or those named) so their first call pays no start-up
   * cost; with `loading: 'lazy'` this turns the cached catalogue live. Never throws for a server
   * failure (see `servers()` for the outcome).
   */
  prewarm(servers?: string | string[]): Promise<void>;
  /**
   * Configures servers in the running registry: `servers` entries (the `mcpServers` shape) add
   * new servers or replace those of the same name, `remove` takes servers out. Servers not named
   * keep their connections, sessions and running calls. A replaced or removed server's running
   * calls finish on its old connections, closed once they end (at most `drainMs`, default 30 s);
   * new calls go to the new entry at once. Rejects with `CONFIG_INVALID`, changing nothing, when
   * an entry is invalid or a removed name unknown.
   *
   * @example
   * ```ts
   * await registry.reconfigureServers({ servers: { weather: { url: 'https://weather.example.com/mcp' } }, remove: ['old'] });
   * ```
   */
  reconfigureServers(update: ServersUpdate, options?: ReconfigureServersOptions): Promise<void>;
  disableTool(name: string): void;
  enableTool(name: string): void;
  disableServer(name: string): Promise<void>;
  enableServer(name: string): void;
  stats(): RegistryStats;
  /**
   * Handlers answering servers' elicitation, sampling and roots requests for one conversation:
   * used by its calls (`callTool(…, { sessionKey })`) unless a call brings its own, before the
   * registry's `onElicitation`/`onSampling`/`roots`. `undefined` clears them; the returned function does too. The
   * capability is declared by connections opened after a handler for it first exists (set
   * `declareCapabilities` to declare it from the start).
   *
   * @example
   * ```ts
   * const clear = registry.setSessionHandlers('thread-42', {
   *   onElicitation: async (request) => ({ action: 'accept', content: await askUser(request) }),
   * });
   * ```
   */
  setSessionHandlers(sessionKey: string, handlers: ServerRequestHandlers | undefined): () => void;
  on<Name extends keyof RegistryEvents>(
    name: Name,
    listener: (event: RegistryEvents[Name]) => void,
  ): () => void;
  /** Closes every connection (HTTP sessions get a DELETE, stdio servers exit). Idempotent. */
  close(): Promise<void>;
}

/**
 * Creates a registry. Lists cached catalogues at once, then (eager) connects every enabled server
 * in parallel or (lazy) only those missing from the cache. Resolves once each server it connects
 * is `active` or `failed`. A problem in one server's own configuration (an unset `${VAR}`, a bad
 * URL, a provider resolver that fails) makes that server `failed` with a `ConfigError`; it
 * rejects (`ConfigError`, every problem listed) only for a configuration invalid as a whole, or
 * for any problem with `strictConfig: true`.
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
  if (options.fetch === undefined) await loadPlatformFetch();
  const registry = new ToolRegistry(options, { ...parseOptions, prepared });
  try {
    await registry.start();
  } catch (error) {
    // Return what start-up took (store leases, connections) before reporting the failure.
    await registry.close().catch(() => {});
    throw error;
  }
  return registry;
}
