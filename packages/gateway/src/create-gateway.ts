/**
 * `createGateway()`: a registry (many upstream MCP servers) re-published by a publisher as one
 * MCP server. The gateway keeps the publisher's tools in step with the registry's catalogue
 * (`tools:changed` → `addTools` / `removeTools`, which tell downstream clients `list_changed`),
 * and forwards each call in the caller's own upstream session. Protocol work stays in core and
 * the publisher; this file only wires them.
 */
import {
  createRegistry,
  type Registry,
  type RegistryOptions,
  type ToolInfo,
  type ToolsChangedEvent,
  ToolwireError,
} from '@toolwire/core';
import {
  createPublisher,
  defineTool,
  type ListeningPublisher,
  type ListenOptions,
  type NativeTool,
  type PublishedToolInfo,
  type Publisher,
  type StdioOptions,
} from '@toolwire/publisher';
import { forwardCall } from './forward-call.js';
import type { GatewayExpose, GatewayOptions, UpstreamSessions } from './gateway-options.js';
import { createPolicyGuard, readPolicy } from './gateway-policy.js';
import { gatewayPromptVisibility, gatewayResourceVisibility, gatewayToolVisibility } from './hidden-tools.js';
import { createLiveRegistry } from './live-registry.js';
import {
  createReloader,
  createSwappablePolicy,
  type ExposeFilter,
  type GatewayReloadOptions,
  type ReloadableState,
  type UpstreamAuthState,
} from './reload.js';
import { ReloadableCredentials } from './reloadable-credentials.js';
import { createSearchTools, refreshSearchTools } from './search-mode.js';
import { type GatewayStatus, gatewayStatus, readinessReport, readRequiredUpstreams } from './status.js';
import { createToolNamer } from './tool-naming.js';
import { withTypedFailure } from './typed-failure.js';
import { checkUpstreamAuthServers, readUpstreamAuth } from './upstream-auth/upstream-auth-options.js';
import { createUpstreamCredentials } from './upstream-auth/upstream-credentials.js';
import { forwardCompletions } from './upstream-completions.js';
import { createPromptSync, type PromptSync } from './upstream-prompts.js';
import { createResourceSync, type ResourceSync, type UpstreamResourceOwners } from './upstream-resources.js';
import { forwardListenSubscriptions, forwardSubscriptions } from './upstream-subscriptions.js';
import { UPSTREAM_TASK } from './upstream-task.js';

export interface Gateway extends AsyncDisposable {
  /** The registry whose tools are served (after a reload, the new one: this object follows it). */
  readonly registry: Registry;
  /** The publisher serving them (HTTP, stdio, `fetch`). */
  readonly publisher: Publisher;
  /** The tools served right now, as downstream clients see them. */
  tools(): Promise<PublishedToolInfo[]>;
  /** The registry name behind a served tool name, or `undefined`. */
  upstreamOf(publishedName: string): string | undefined;
  /** Web-standard handler for the MCP endpoint. */
  readonly fetch: (request: Request) => Promise<Response>;
  /** Serves Streamable HTTP on Node `http` (127.0.0.1 and a free port by default). */
  listen(options?: ListenOptions): Promise<ListeningPublisher>;
  /** Serves stdio (this process's stdin/stdout by default). */
  serveStdio(options?: StdioOptions): Promise<{ close(): Promise<void> }>;
  /** Every upstream's state and whether the gateway is ready (what `GET /ready` answers from). No I/O. */
  status(): GatewayStatus;
  /**
   * Applies a new configuration without dropping downstream sessions (see `GatewayReloadOptions`);
   * rejects with `CONFIG_INVALID` (the old configuration keeps serving) when it is bad.
   */
  reload(options: GatewayReloadOptions | RegistryOptions): Promise<void>;
  /** Stops serving (waiting for running calls), then closes the registry if the gateway created it. */
  close(): Promise<void>;
}

/**
 * Creates a gateway over a registry (`registry`) or over upstream servers (`upstreams`).
 * Rejects with `CONFIG_INVALID` for bad options; an upstream tool the publisher cannot serve (a
 * name collision, a schema clients would reject) is left out and reported to `onError`.
 *
 * @example
 * ```ts
 * const gateway = await createGateway({
 *   upstreams: { mcpServers: { everything: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything'] } } },
 *   publisher: { http: { auth: { jwt: { jwksUrl, issuer, audience }, authorizationServers: [issuer] } } },
 * });
 * const { url } = await gateway.listen({ port: 8080 });
 * ```
 */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  if (!options || (options.registry === undefined) === (options.upstreams === undefined)) {
    throw configError('createGateway needs either `registry` or `upstreams` (not both).');
  }
  const sessions: UpstreamSessions = options.upstreamSessions ?? 'per-principal';
  if (sessions !== 'per-principal' && sessions !== 'shared') {
    throw configError(
      `upstreamSessions must be 'per-principal' or 'shared', not ${JSON.stringify(sessions)}.`,
    );
  }
  const mode = options.mode ?? 'tools';
  if (mode !== 'tools' && mode !== 'search') {
    throw configError(`mode must be 'tools' or 'search', not ${JSON.stringify(mode)}.`);
  }
  const nameOf = createToolNamer(options.naming);
  readPolicy(options.policy);
  const readAuth = (upstreamAuth: unknown, upstreams: RegistryOptions | undefined): UpstreamAuthState => ({
    credentials: createUpstreamCredentials({ upstreamAuth, upstreams, upstreamSessions: sessions }),
    perCaller: new Set(readUpstreamAuth(upstreamAuth).keys()),
  });
  const initialAuth = readAuth(options.upstreamAuth, options.upstreams);
  // Every forwarding path asks this one object; a reload may route servers to new credentials.
  const credentials = new ReloadableCredentials();
  const publisherOptions = options.publisher ?? {};
  const onError =
    publisherOptions.onError ?? ((error: Error) => console.error(`[toolwire/gateway] ${error.message}`));

  const ownsRegistry = options.registry === undefined;
  // Per-caller upstream credentials (token exchange, per-user) go in as `headers` functions, on
  // every registry the gateway creates: the first and each reload's.
  const prepareUpstreams = (upstreams: RegistryOptions, auth: UpstreamAuthState) => {
    const scoped = withSessions(upstreams, sessions);
    return declaringServerRequests(auth.credentials ? auth.credentials.wrap(scoped) : scoped);
  };
  // Everything below holds the live registry, which a reload swaps (src/reload.ts).
  const live = createLiveRegistry(
    options.registry ??
      (await createRegistry(prepareUpstreams(options.upstreams as RegistryOptions, initialAuth))),
    ownsRegistry,
  );
  const registry = live.registry;
  credentials.route(
    registry.servers().map((server) => server.name),
    initialAuth.credentials,
    initialAuth.perCaller,
  );
  credentials.attach(registry);
  const state: ReloadableState = {
    upstreams: options.upstreams,
    upstreamAuth: options.upstreamAuth,
    auth: initialAuth,
    filter: readExpose(options.expose),
    required: new Set(),
    reloads: 0,
    policy: options.policy,
  };
  try {
    checkUpstreamAuthServers(options.upstreamAuth, (name) => registry.server(name) !== undefined);
    state.required = readRequiredUpstreams(options.requiredUpstreams, registry);
  } catch (error) {
    await live.close().catch(() => {});
    throw error;
  }
  const policy = createSwappablePolicy(
    options.policy ? createPolicyGuard(options.policy, registry, onError) : undefined,
  );
  let closed: Promise<void> | undefined;
  const status = () => gatewayStatus(registry, state.required, closed ? 'closing' : 'serving', state.reloads);
  const exposedNames = () => new Set(registry.tools(state.filter).map((tool) => tool.name));
  const isExposed = (tool: ToolInfo) => exposedNames().has(tool.name);

  const resourceOwners: UpstreamResourceOwners = { resources: new Map(), templates: new Map() };
  let prompts: PromptSync | undefined;
  let resources: ResourceSync | undefined;
  const completions = forwardCompletions(
    registry,
    sessions,
    { promptOf: (name) => prompts?.promptOf(name), resources: resourceOwners },
    credentials,
    policy,
  );
  const servesResources = options.resources !== false;
  const subscriptions = servesResources
    ? forwardSubscriptions(registry, sessions, resourceOwners, credentials, policy)
    : undefined;
  // Each upstream update is for the caller whose upstream session subscribed (the publisher exists below).
  let announce: (uri: string, principal: string) => void = () => {};
  const listenSubscriptions = forwardListenSubscriptions(
    registry,
    sessions,
    resourceOwners,
    (uri, principal) => announce(uri, principal),
    onError,
    credentials,
    policy,
  );
  /** Registry name → published name, for the tools served in `'tools'` mode. */
  const served = new Map<string, string>();
  /** Published name → registry name: the reverse of `served`, read per tool on every `tools/list`. */
  const upstreamNames = new Map<string, string>();
  const serve = (tool: ToolInfo) => {
    served.set(tool.name, nameOf(tool));
    upstreamNames.set(nameOf(tool), tool.name);
  };
  const upstreamOf = (publishedName: string): string | undefined => upstreamNames.get(publishedName);
  const toolVisibility = gatewayToolVisibility(policy, upstreamOf, publisherOptions.toolVisibility);
  const promptVisibility = gatewayPromptVisibility(
    policy,
    (name) => prompts?.promptOf(name)?.name,
    publisherOptions.promptVisibility,
  );
  const resourceVisibility = gatewayResourceVisibility(
    policy,
    resourceOwners,
    publisherOptions.resourceVisibility,
  );
  const publisher = createPublisher({
    ...publisherOptions,
    ...(toolVisibility ? { toolVisibility } : {}),
    ...(promptVisibility ? { promptVisibility } : {}),
    ...(resourceVisibility ? { resourceVisibility } : {}),
    extend: (server, context) => {
      completions(server, context);
      subscriptions?.(server, context);
      publisherOptions.extend?.(server, context);
    },
    onError,
    http: { readiness: () => readinessReport(status()), ...publisherOptions.http },
    name: options.name ?? 'toolwire-gateway',
    version: options.version ?? '0.0.0',
    tools: mode === 'search' ? createSearchTools(registry, isExposed, sessions, policy, credentials) : [],
    // Declared (even while empty) so sessions learn of prompts; filled below, one bad one not failing the rest.
    prompts: [],
    // 2026-07-28 downstream subscriptions: per caller, on its listen streams (upstream-subscriptions.ts).
    ...(servesResources ? { onResourceSubscribe: listenSubscriptions } : {}),
    // Declared (even while empty) so sessions learn of resources listed later; filled below.
    ...(servesResources ? { resources: [] } : {}),
  });

  announce = (uri, principal) => publisher.notifyResourceUpdated(uri, { principal });

  const upstreamTool = (tool: ToolInfo): NativeTool =>
    defineTool({
      name: nameOf(tool),
      title: tool.title,
      description: tool.description,
      inputSchema: tool.inputSchema,
      outputSchema: tool.outputSchema,
      annotations: tool.annotations,
      meta: tool.meta,
      task: UPSTREAM_TASK,
      execute: (args: Record<string, unknown>, context) =>
        withTypedFailure(context, () =>
          forwardCall(registry, tool.name, args, context, sessions, false, policy, credentials),
        ),
    }) as NativeTool;

  const publish = async (tools: ToolInfo[]): Promise<void> => {
    if (tools.length === 0) return;
    try {
      await publisher.addTools(tools.map(upstreamTool));
      for (const tool of tools) serve(tool);
      return;
    } catch {
      // One tool the publisher refuses must not take the others down: add them one by one.
    }
    for (const tool of tools) {
      try {
        await publisher.addTools([upstreamTool(tool)]);
        serve(tool);
      } catch (error) {
        onError(
          new ToolwireError({
            code: 'CONFIG_INVALID',
            server: tool.server,
            tool: tool.name,
            message: `Upstream tool "${tool.name}" is not served: ${(error as Error).message}`,
            cause: error,
          }),
        );
      }
    }
  };

  const unpublish = async (registryNames: readonly string[]): Promise<void> => {
    const names = registryNames.flatMap((name) => {
      const published = served.get(name);
      return published === undefined ? [] : [published];
    });
    for (const name of names) upstreamNames.delete(name);
    for (const name of registryNames) served.delete(name);
    if (names.length > 0) await publisher.removeTools(names);
  };

  /**
   * Brings the served tools in line with the registry's exposed catalogue: tools no longer there
   * (removed, or their server disabled) go, new ones come, and `redefined` ones are served anew.
   */
  const reconcile = async (redefined: readonly string[] = []): Promise<void> => {
    const wanted = new Map(registry.tools(state.filter).map((tool) => [tool.name, tool]));
    const redefinedSet = new Set(redefined);
    await unpublish([...served.keys()].filter((name) => !wanted.has(name) || redefinedSet.has(name)));
    await publish([...wanted.values()].filter((tool) => !served.has(tool.name)));
  };
  // Catalogue changes are applied one after another, in the order the registry reported them.
  let sync: Promise<void> = Promise.resolve();
  const enqueue = (redefined?: readonly string[]) => {
    sync = sync
      .then(() => reconcile(redefined))
      .catch((error: unknown) => onError(error instanceof Error ? error : new Error(String(error))));
  };

  /** Re-lists the served resources (of `server`, or all) after the changes queued before. */
  const enqueueResources = (server?: string) => {
    const served = resources;
    if (!served) return;
    sync = sync
      .then(() => served.sync(server))
      .catch((error: unknown) => onError(error instanceof Error ? error : new Error(String(error))));
  };

  /** Re-lists the served prompts (of `server`, or all) after the catalogue changes queued before. */
  const enqueuePrompts = (server?: string) => {
    const served = prompts;
    if (!served) return;
    sync = sync
      .then(() => served.sync(server))
      .catch((error: unknown) => onError(error instanceof Error ? error : new Error(String(error))));
  };

  let unsubscribe = () => {};
  try {
    if (mode === 'tools') {
      const offTools = registry.on('tools:changed', (event: ToolsChangedEvent) => enqueue(event.changed));
      // A server disabled or enabled again takes its tools along without a catalogue change.
      const offStatus = registry.on('server:status', () => enqueue());
      unsubscribe = () => {
        offTools();
        offStatus();
      };
      await publish(registry.tools(state.filter));
    }
    if (options.prompts !== false) {
      const served = createPromptSync(
        registry,
        publisher,
        options.naming,
        sessions,
        onError,
        credentials,
        policy,
      );
      prompts = served;
      const offPrompts = registry.on('prompts:changed', ({ server }) => enqueuePrompts(server));
      const offOthers = unsubscribe;
      unsubscribe = () => {
        offOthers();
        offPrompts();
      };
      await served.sync();
    }
    if (servesResources) {
      const served = createResourceSync(
        registry,
        publisher,
        sessions,
        onError,
        resourceOwners,
        credentials,
        policy,
      );
      resources = served;
      const offResources = registry.on('resources:changed', ({ server }) => enqueueResources(server));
      const offOthers = unsubscribe;
      unsubscribe = () => {
        offOthers();
        offResources();
      };
      await served.sync();
    }
    await publisher.ready();
  } catch (error) {
    unsubscribe();
    await publisher.close().catch(() => {});
    await live.close().catch(() => {});
    throw error;
  }

  const close = (): Promise<void> => {
    closed ??= (async () => {
      unsubscribe();
      await sync;
      await publisher.close();
      await live.close();
    })();
    return closed;
  };

  return {
    registry,
    publisher,
    tools: async () => (await publisher.ready()).filter((tool) => tool.enabled),
    upstreamOf,
    fetch: publisher.fetch,
    listen: async (listenOptions) => {
      const listening = await publisher.listen(listenOptions);
      return { ...listening, close: () => close() };
    },
    serveStdio: (stdioOptions) => publisher.serveStdio(stdioOptions),
    status,
    reload: createReloader({
      live,
      state,
      policy,
      onError,
      readExpose,
      prepareUpstreams,
      readAuth,
      credentials,
      closing: () => closed !== undefined,
      reconcile: async (redefined) => {
        // A new registry's redaction learns the credentials known so far.
        credentials.attach(registry);
        if (mode === 'tools') enqueue(redefined);
        else {
          const fresh = createSearchTools(registry, isExposed, sessions, policy, credentials);
          await refreshSearchTools(publisher, fresh);
        }
        // The new registry's prompts and resources.
        enqueuePrompts();
        enqueueResources();
        await sync;
      },
      visibilityChanged: () => publisher.visibilityChanged(),
    }),
    close,
    [Symbol.asyncDispose]: close,
  };
}

function readExpose(expose: GatewayExpose | undefined): ExposeFilter {
  if (expose === undefined || expose === 'all') return {};
  if (typeof expose !== 'object' || expose === null) {
    throw configError(`expose must be 'all' or { include, exclude }, not ${JSON.stringify(expose)}.`);
  }
  return {
    ...(expose.include !== undefined ? { include: expose.include } : {}),
    ...(expose.exclude !== undefined ? { exclude: expose.exclude } : {}),
  };
}

/** Named server entries without their own `session` get one session per conversation (per principal). */
function withSessions(upstreams: RegistryOptions, sessions: UpstreamSessions): RegistryOptions {
  if (sessions !== 'per-principal') return upstreams;
  type Entries = NonNullable<RegistryOptions['mcpServers']>;
  const scoped = (entries: Entries): Entries =>
    Object.fromEntries(
      Object.entries(entries).map(([name, entry]) => [
        name,
        typeof entry === 'object' && entry !== null && !('session' in entry)
          ? { ...entry, session: 'per-conversation' as const }
          : entry,
      ]),
    );
  const result: RegistryOptions = { ...upstreams };
  if (upstreams.mcpServers !== undefined) result.mcpServers = scoped(upstreams.mcpServers);
  if (upstreams.servers !== undefined && !Array.isArray(upstreams.servers)) {
    result.servers = scoped(upstreams.servers as Entries);
  }
  return result;
}

/**
 * Upstreams declare elicitation, sampling and roots from their first connection, so servers offer the
 * tools that ask (the questions are forwarded to the downstream client per call), unless the
 * options say what to declare.
 */
function declaringServerRequests(upstreams: RegistryOptions): RegistryOptions {
  if (upstreams.declareCapabilities !== undefined) return upstreams;
  return { ...upstreams, declareCapabilities: { elicitation: true, sampling: true, roots: true } };
}

function configError(message: string): ToolwireError {
  return new ToolwireError({ code: 'CONFIG_INVALID', message });
}
