/**
 * `createPublisher()`: selected local tools (LangChain, AI SDK, `defineTool`) as one MCP server,
 * served over Streamable HTTP (`fetch` for web runtimes, `listen()` for Node) and stdio.
 * Schemas are converted once, on first use (or `ready()`), and shared by every session.
 */

import { type ServerJSON, ToolwireError } from '@toolwire/core';
import type { OnResourceSubscribe } from './http/caller-resource-updates.js';
import {
  createHTTPHandler,
  DEFAULT_MAX_BODY_BYTES,
  type HTTPHandler,
  type HTTPOptions,
} from './http/http-handler.js';
import { checkKeepAlive } from './http/keep-alive.js';
import { isLoopback } from './http/security.js';
import { createRequestStateSealer, type RequestStateSecret } from './input/request-state.js';
import type { InputSchemaDialect } from './schema/draft-07.js';
import { buildServer, type ExtendServer, type ServerBlueprint } from './server/build-server.js';
import { CallTracker } from './server/call-tracker.js';
import { Catalogue } from './server/catalogue.js';
import type { PromptDefinition, ResourceDefinition } from './server/define-prompt.js';
import { ResourceUpdates } from './server/resource-updates.js';
import type { StdioOptions } from './server/serve-stdio.js';
import type { PromptVisibility, ResourceVisibility, ToolVisibility } from './server/tool-visibility.js';
import { VisibilityRechecks } from './server/visibility-rechecks.js';
import { buildServerJson, type ServerJSONOptions } from './server-json.js';
import { createTaskManager, type TaskOptions } from './tasks/task-options-publisher.js';
import type { PublisherTelemetry } from './telemetry/publisher-telemetry.js';
import {
  isPositiveMilliseconds,
  normalizeTools,
  type ToolSelection,
  type ToolsInput,
} from './tools/normalize-tools.js';
import { toPublishedToolInfo } from './tools/published-tool.js';

export interface PublisherOptions extends ToolSelection {
  /** Server name sent to clients in `initialize`. */
  name: string;
  version: string;
  /** Instructions for the client's model, sent in `initialize`. */
  instructions?: string | undefined;
  /** LangChain tools, AI SDK tool sets (`{ name: tool }`) and `defineTool` tools, in any mix. */
  tools: ToolsInput;
  prompts?: readonly PromptDefinition[] | undefined;
  /**
   * Resources and resource templates to serve; more can be added and removed while running
   * (`addResources`, `removeResources`). Given (even empty), servers declare the resources capability.
   */
  resources?: readonly ResourceDefinition[] | undefined;
  /**
   * Serve 2026-07-28 resource subscriptions: declare `resources.subscribe` and honor the
   * `resourceSubscriptions` filter of `subscriptions/listen` streams, with updates from
   * `notifyResourceUpdated`. Default `true` (when `resources` are served); `false` for a server
   * that never announces updates, so clients are not told they can follow resources.
   */
  resourceSubscriptions?: boolean | undefined;
  /**
   * Hears of each 2026-07-28 `subscriptions/listen` stream whose `resourceSubscriptions` filter
   * names resources, with its caller, before it is acknowledged; what it returns is called when
   * that stream ends. For servers whose updates are per caller (a gateway subscribing upstream in
   * each caller's own session), announced with `notifyResourceUpdated(uri, { principal })`.
   */
  onResourceSubscribe?: OnResourceSubscribe | undefined;
  /** Called with every SDK server instance, to register what the publisher does not wrap. */
  extend?: ExtendServer | undefined;
  /**
   * How long one tool call may run, in milliseconds (a `defineTool`'s own `timeoutMs` wins). At
   * the deadline the client gets an `isError` result at once, the tool's `context.signal` is
   * aborted, and `onError` receives a `TIMEOUT` error. Default: no deadline.
   */
  callTimeoutMs?: number | undefined;
  /**
   * Runs every tool call inside the caller's trace: `createPublisherOpenTelemetry()` from
   * `@toolwire/publisher/otel`. See docs/observability.md.
   */
  telemetry?: PublisherTelemetry | undefined;
  /**
   * The secret that seals the `requestState` of 2026-07-28 input rounds (the answers of earlier
   * rounds, handed to the client and echoed back): AES-256-GCM, bound to the caller, the tool or
   * prompt and its arguments, expiring after `requestStateTtlMs`. At least 32 bytes. Default: a
   * random secret per publisher, which only works while one process serves every round of a call:
   * instances behind a load balancer must share one. A list seals with the first and opens with
   * any (rotation).
   */
  requestStateSecret?: RequestStateSecret | readonly RequestStateSecret[] | undefined;
  /** How long a `requestState` may be echoed back, in milliseconds. Default 10 minutes. */
  requestStateTtlMs?: number | undefined;
  /**
   * The JSON Schema dialect of the input schemas in `tools/list`. Default `'2020-12'`, MCP's
   * default dialect. `'draft-07'` is for clients whose validators know only draft-07: each input
   * schema is rewritten to its draft-07 equivalent (`$defs` → `definitions`, `prefixItems` →
   * array `items`, …) and declares `"$schema": "http://json-schema.org/draft-07/schema#"`; a
   * schema draft-07 cannot express fails `ready()` with `CONFIG_INVALID`. Arguments are still
   * validated against the tool's own schema; output schemas are not rewritten.
   */
  inputSchemaDialect?: InputSchemaDialect | undefined;
  /**
   * Where and how long tasks are kept (tools declared with `defineTool({ task })`, MCP Tasks
   * extension). Default: in memory, kept an hour after their last change.
   */
  tasks?: TaskOptions | undefined;
  /**
   * Which tools each caller sees in `tools/list`, decided per request: `(tool, caller) => boolean`,
   * where `caller` holds the verified token (`authInfo`, HTTP with `http.auth`) and the MCP
   * session, and is `undefined` over stdio. It only shapes the list: calling a hidden tool is up to
   * the tool's own checks. `list_changed` then goes only to the callers whose list changed, and
   * `visibilityChanged()` rechecks after the rules change. Default: every enabled tool is listed
   * to everyone.
   *
   * @example
   * ```ts
   * toolVisibility: (tool, caller) => !tool.name.startsWith('admin_') || (caller?.authInfo?.scopes.includes('admin') ?? false),
   * ```
   */
  toolVisibility?: ToolVisibility | undefined;
  /** Which prompts each caller sees in `prompts/list` (as `toolVisibility`); the list only. */
  promptVisibility?: PromptVisibility | undefined;
  /**
   * Which resources and resource templates each caller sees in `resources/list` and
   * `resources/templates/list` (as `toolVisibility`); the lists only.
   */
  resourceVisibility?: ResourceVisibility | undefined;
  /** Streamable HTTP settings (used by `fetch` and `listen`). */
  http?: HTTPOptions | undefined;
  /**
   * Receives what the operator should know and the client must not see: transport and handler
   * errors, results that cannot be serialized, calls past their deadline (never a tool's thrown
   * errors: those go to the client as `isError` results). Default: stderr.
   */
  onError?: ((error: Error) => void) | undefined;
}

/** A published tool as clients see it. */
export interface PublishedToolInfo {
  name: string;
  /** The tool's name in code, before renaming. */
  sourceName: string;
  origin: 'native' | 'langchain' | 'ai-sdk';
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown> | undefined;
  scopes: string[];
  /** False while the tool is disabled (`setToolsEnabled`): clients neither see nor call it. */
  enabled: boolean;
}

export interface ListenOptions {
  /** Default `127.0.0.1`. Any other interface needs `http.allowedHosts`. */
  host?: string | undefined;
  /** Default 0 (a free port). */
  port?: number | undefined;
  /**
   * How long an idle keep-alive connection stays open, in ms. Default 65 s: longer than the idle
   * timeouts of common load balancers (60 s on AWS ALB; HAProxy keeps idle server connections to
   * reuse), so the balancer closes an idle connection first and never sends a request on one the
   * publisher is closing at that moment. Node's own default (5 s) races them: resets and 502s.
   */
  keepAliveTimeoutMs?: number | undefined;
}

export interface ListeningPublisher {
  /** The MCP endpoint, e.g. `http://127.0.0.1:39115/mcp`. */
  url: string;
  host: string;
  port: number;
  /** Same as `publisher.close()`. */
  close(options?: CloseOptions): Promise<void>;
}

export interface CloseOptions {
  /** How long running tool calls may take to finish before they are aborted. Default 10 s. */
  drainMs?: number | undefined;
}

export interface Publisher {
  readonly name: string;
  readonly version: string;
  /** Converts the schemas (once) and returns the published tools; rejects with `CONFIG_INVALID`. */
  ready(): Promise<PublishedToolInfo[]>;
  /**
   * Publishes more tools while running (the same selection applies: include / exclude / rename /
   * scopes) and tells connected clients (`notifications/tools/list_changed` on 2025 sessions, stdio
   * and 2026-07-28 subscription streams). Resolves with the tools added; rejects with
   * `CONFIG_INVALID` (a name already published, a schema that cannot be published), adding none.
   */
  addTools(tools: ToolsInput): Promise<PublishedToolInfo[]>;
  /** Stops publishing tools (by published name) and tells clients; `TOOL_NOT_FOUND` for an unknown name. */
  removeTools(names: readonly string[]): Promise<void>;
  /**
   * Hides (`false`) or shows again (`true`) published tools without forgetting them, and tells
   * clients; a disabled tool is unknown to `tools/list` and `tools/call`.
   */
  setToolsEnabled(names: readonly string[], enabled: boolean): Promise<void>;
  /** Publishes more prompts while running and tells clients (`notifications/prompts/list_changed`). */
  addPrompts(prompts: readonly PromptDefinition[]): Promise<void>;
  /** Stops publishing prompts (by name) and tells clients. */
  removePrompts(names: readonly string[]): Promise<void>;
  /**
   * Publishes more resources or resource templates while running and tells clients
   * (`notifications/resources/list_changed`); rejects with `CONFIG_INVALID` (a URI already
   * published, a bad definition), adding none.
   */
  addResources(resources: readonly ResourceDefinition[]): Promise<void>;
  /** Stops publishing resources (by URI, or URI template) and tells clients; `CONFIG_INVALID` for an unknown one. */
  removeResources(uris: readonly string[]): Promise<void>;
  /** Hides or shows again published prompts, and tells clients. */
  setPromptsEnabled(names: readonly string[], enabled: boolean): Promise<void>;
  /**
   * Tells 2026-07-28 clients that the resource at `uri` changed: a
   * `notifications/resources/updated` goes out on every open `subscriptions/listen` stream whose
   * `resourceSubscriptions` filter names `uri` (each stream is its own caller's; no other stream
   * hears of it). On a fleet with `createRedisStore`, streams held by every instance hear of it.
   * 2025 sessions subscribe through `extend` and are told there (`server.sendResourceUpdated`).
   * With `principal` (a caller's `principalKey`, as `onResourceSubscribe` hears it), only that
   * caller's streams hear of it. Throws `CONFIG_INVALID` when `uri` is not a non-empty string.
   */
  notifyResourceUpdated(uri: string, options?: { principal?: string | undefined }): void;
  /**
   * Says that the rules behind `toolVisibility`, `promptVisibility` or `resourceVisibility` changed
   * (a new policy, a role granted): each open session and `subscriptions/listen` stream compares its
   * caller's lists with what it saw and gets `notifications/tools/list_changed` (prompts,
   * resources) only when its own list changed. Does nothing without visibility functions.
   */
  visibilityChanged(): void;
  /** Web-standard handler (Hono, Next.js route handlers, Bun, Deno, edge). Bound: pass it around freely. */
  readonly fetch: (request: Request) => Promise<Response>;
  /** Serves Streamable HTTP on Node `http`. */
  listen(options?: ListenOptions): Promise<ListeningPublisher>;
  /** Serves stdio (this process's stdin/stdout by default). */
  serveStdio(options?: StdioOptions): Promise<{ close(): Promise<void> }>;
  /**
   * This server as an MCP Registry `server.json` document: publish it to a registry, or share it
   * with a team whose `createRegistry({ serverJson })` loads it. Say where it runs (`remotes`,
   * e.g. `listening.url` or your public URL) and/or how to run it (`packages`). A publisher that
   * requires bearer tokens declares the `Authorization` header. Throws `CONFIG_INVALID`.
   *
   * @example
   * ```ts
   * const document = publisher.serverJson({
   *   name: 'io.github.acme/finance-tools',
   *   description: 'Invoice and weather tools',
   *   remotes: ['https://tools.acme.example/mcp'],
   * });
   * ```
   */
  serverJson(options?: ServerJSONOptions): ServerJSON;
  /** Stops accepting requests, waits for running tool calls, closes sessions and listeners. */
  close(options?: CloseOptions): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const DEFAULT_DRAIN_MS = 10_000;

/**
 * Creates a publisher.
 *
 * @example
 * ```ts
 * const publisher = createPublisher({ name: 'tools', version: '1.0.0', tools: [add], include: ['add'] });
 * const { url } = await publisher.listen(); // http://127.0.0.1:<port>/mcp
 * ```
 */
export function createPublisher(options: PublisherOptions): Publisher {
  if (!options || typeof options.name !== 'string' || typeof options.version !== 'string') {
    throw new ToolwireError({
      code: 'CONFIG_INVALID',
      message: 'createPublisher needs `name` and `version`.',
    });
  }
  if (options.callTimeoutMs !== undefined && !isPositiveMilliseconds(options.callTimeoutMs)) {
    throw new ToolwireError({
      code: 'CONFIG_INVALID',
      message: `callTimeoutMs must be a positive number of milliseconds, not ${String(options.callTimeoutMs)}.`,
    });
  }
  if (
    options.inputSchemaDialect !== undefined &&
    options.inputSchemaDialect !== '2020-12' &&
    options.inputSchemaDialect !== 'draft-07'
  ) {
    throw new ToolwireError({
      code: 'CONFIG_INVALID',
      message: `inputSchemaDialect must be '2020-12' or 'draft-07', not ${JSON.stringify(options.inputSchemaDialect)}.`,
    });
  }
  if (options.toolVisibility !== undefined && typeof options.toolVisibility !== 'function') {
    throw new ToolwireError({
      code: 'CONFIG_INVALID',
      message: 'toolVisibility must be a function (tool, caller) => boolean.',
    });
  }
  const onError =
    options.onError ?? ((error: Error) => console.error(`[toolwire/publisher] ${error.message}`));
  const requestState = createRequestStateSealer({
    secret: options.requestStateSecret,
    ttlMs: options.requestStateTtlMs,
  });
  const calls = new CallTracker();
  const tasks = createTaskManager(options.tasks, onError);
  const resourceUpdates = new ResourceUpdates(onError);
  const rechecks = new VisibilityRechecks(onError);
  let blueprint: Promise<ServerBlueprint> | undefined;
  let handler: Promise<HTTPHandler> | undefined;
  const listeners = new Set<{ close(afterDrain: () => Promise<void>): Promise<void> }>();
  const stdioHandles = new Set<{ close(): Promise<void> }>();
  let closed: Promise<void> | undefined;

  const getBlueprint = (): Promise<ServerBlueprint> => {
    blueprint ??= normalizeTools(options.tools, options, {
      inputSchemaDialect: options.inputSchemaDialect,
    }).then((tools) => ({
      name: options.name,
      version: options.version,
      instructions: options.instructions,
      catalogue: new Catalogue(
        tools,
        options.prompts ?? [],
        options.prompts !== undefined,
        options.resources ?? [],
        options.resources !== undefined,
      ),
      resourceUpdates,
      resourceSubscriptions: options.resourceSubscriptions !== false,
      onResourceSubscribe: options.onResourceSubscribe,
      extend: options.extend,
      enforceScopes: options.http?.auth !== undefined,
      toolVisibility: options.toolVisibility,
      promptVisibility: options.promptVisibility,
      resourceVisibility: options.resourceVisibility,
      rechecks,
      calls,
      callTimeoutMs: options.callTimeoutMs,
      telemetry: options.telemetry,
      requestState,
      tasks,
      onError,
    }));
    return blueprint;
  };
  const getCatalogue = async (): Promise<Catalogue> => (await getBlueprint()).catalogue;
  const getHandler = (): Promise<HTTPHandler> => {
    handler ??= getBlueprint().then((built) => {
      // Fail at start-up, not per request, when the schemas or the SDK reject the definition.
      buildServer(built, 'legacy');
      return createHTTPHandler(built, options.http ?? {}, onError);
    });
    return handler;
  };

  const fetch = async (request: Request): Promise<Response> => {
    const ready = await getHandler();
    return ready.fetch(request);
  };

  const close = async (closeOptions: CloseOptions = {}): Promise<void> => {
    closed ??= (async () => {
      const drainMs = closeOptions.drainMs ?? DEFAULT_DRAIN_MS;
      const drainHTTP = async () => {
        // A publisher whose start-up failed (CONFIG_INVALID) has nothing to drain.
        const started = handler ? await handler.catch(() => undefined) : undefined;
        if (started) await started.close(drainMs);
        else await calls.drain(drainMs);
      };
      if (listeners.size > 0) {
        let drained: Promise<void> | undefined;
        const drainOnce = () => {
          drained ??= drainHTTP();
          return drained;
        };
        await Promise.all([...listeners].map((listener) => listener.close(drainOnce)));
      } else {
        await drainHTTP();
      }
      await Promise.allSettled([...stdioHandles].map((handle) => handle.close()));
    })();
    return closed;
  };

  return {
    name: options.name,
    version: options.version,
    async ready() {
      const catalogue = await getCatalogue();
      return catalogue.allTools().map(({ tool, enabled }) => toPublishedToolInfo(tool, enabled));
    },
    async addTools(tools) {
      const catalogue = await getCatalogue();
      const added = await normalizeTools(tools, options, {
        checkScopes: false,
        inputSchemaDialect: options.inputSchemaDialect,
      });
      catalogue.addTools(added);
      return added.map((tool) => toPublishedToolInfo(tool, true));
    },
    async removeTools(names) {
      (await getCatalogue()).remove('tools', names);
    },
    async setToolsEnabled(names, enabled) {
      (await getCatalogue()).setEnabled('tools', names, enabled);
    },
    async addPrompts(prompts) {
      (await getCatalogue()).addPrompts(prompts);
    },
    async removePrompts(names) {
      (await getCatalogue()).remove('prompts', names);
    },
    async addResources(resources) {
      (await getCatalogue()).addResources(resources);
    },
    async removeResources(uris) {
      (await getCatalogue()).remove('resources', uris);
    },
    visibilityChanged() {
      rechecks.recheck();
    },
    notifyResourceUpdated(uri, notifyOptions) {
      if (typeof uri !== 'string' || uri === '') {
        throw new ToolwireError({
          code: 'CONFIG_INVALID',
          message: `notifyResourceUpdated needs the resource's URI (a non-empty string), not ${JSON.stringify(uri)}.`,
        });
      }
      resourceUpdates.notify(uri, notifyOptions?.principal);
    },
    async setPromptsEnabled(names, enabled) {
      (await getCatalogue()).setEnabled('prompts', names, enabled);
    },
    fetch,
    async listen(listenOptions = {}) {
      const host = listenOptions.host ?? '127.0.0.1';
      if (!isLoopback(host) && options.http?.allowedHosts === undefined) {
        throw new ToolwireError({
          code: 'CONFIG_INVALID',
          message: `Listening on ${host} needs http.allowedHosts (the hostnames clients use to reach it), to keep DNS-rebinding protection on.`,
        });
      }
      // Made once per publisher: every request is served by this same handler.
      const ready = await getHandler();
      const { listenNode } = await import('#node-listen');
      const serve = (request: Request, body?: string) => ready.serve(request, body);
      const listener = await listenNode(serve, {
        host,
        port: listenOptions.port ?? 0,
        maxBodyBytes: options.http?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        keepAliveTimeoutMs: checkKeepAlive(listenOptions.keepAliveTimeoutMs),
        onError,
      });
      listeners.add(listener);
      const urlHost = host.includes(':') ? `[${host}]` : host;
      return {
        url: `http://${urlHost}:${listener.port}${options.http?.path ?? '/mcp'}`,
        host,
        port: listener.port,
        close,
      };
    },
    async serveStdio(stdioOptions = {}) {
      const built = await getBlueprint();
      const { startStdio } = await import('#serve-stdio');
      const handle = startStdio(built, stdioOptions, onError);
      stdioHandles.add(handle);
      return handle;
    },
    serverJson(serverJsonOptions) {
      return buildServerJson(
        {
          name: options.name,
          version: options.version,
          requiresBearerToken: options.http?.auth !== undefined,
        },
        serverJsonOptions,
      );
    },
    close,
    [Symbol.asyncDispose]: () => close(),
  };
}
