/**
 * Graceful reload: a new configuration (upstreams, exposure, policy, required upstreams) applied
 * to a running gateway without dropping a downstream session. The publisher stays. When only
 * server entries differ, the registry stays too and only the upstreams whose entries changed are
 * reconfigured in it (`registry.reconfigureServers`: the others keep their connections, upstream
 * sessions and running calls); otherwise a new registry is built beside the old one and swapped
 * in (new calls go to it, calls already running finish on the old one, which is closed once they
 * end or `drainMs` passes). The published tools are reconciled (clients hear `list_changed`).
 * Everything is checked before anything changes: a bad configuration rejects with
 * `CONFIG_INVALID` and the old one keeps serving.
 */
import {
  createRegistry,
  type Registry,
  type RegistryOptions,
  type ServerConfigInput,
  type ToolInfo,
  ToolwireError,
} from '@toolwire/core';
import type { GatewayExpose } from './gateway-options.js';
import { createPolicyGuard, type GatewayPolicy, type PolicyGuard } from './gateway-policy.js';
import type { LiveRegistry } from './live-registry.js';
import type { ReloadableCredentials } from './reloadable-credentials.js';
import { readRequiredUpstreams } from './status.js';
import type { UpstreamAuthMap } from './upstream-auth/upstream-auth-options.js';
import type { UpstreamCredentials } from './upstream-auth/upstream-credentials.js';

/** What `gateway.reload()` takes: the new configuration; what it omits takes its default, as in `createGateway`. */
export interface GatewayReloadOptions {
  /** New upstream servers and registry options (as in `createGateway`). Give this or `registry`. */
  upstreams?: RegistryOptions | undefined;
  /** A registry to serve from now on; the gateway does not close it. */
  registry?: Registry | undefined;
  expose?: GatewayExpose | undefined;
  policy?: GatewayPolicy | undefined;
  requiredUpstreams?: readonly string[] | undefined;
  /**
   * Per-caller upstream auth from now on (as in `createGateway`): the upstreams whose entry here
   * differs are reconnected with it. Omitted: the current one stays (`{}` drops it).
   */
  upstreamAuth?: UpstreamAuthMap | undefined;
  /** How long calls running on the old registry may take before it is closed. Default 30 s. */
  drainMs?: number | undefined;
}

/** The per-caller upstream auth of one configuration: its credentials and the servers they serve. */
export interface UpstreamAuthState {
  credentials: UpstreamCredentials | undefined;
  perCaller: ReadonlySet<string>;
}

/** The filter `registry.tools()` takes for the exposed tools. */
export type ExposeFilter = { include?: readonly string[]; exclude?: readonly string[] };

/** The gateway's settings a reload replaces, shared by reference with `createGateway`. */
export interface ReloadableState {
  /** The upstreams options the current registry was made from (`undefined` for a registry given). */
  upstreams: RegistryOptions | undefined;
  /** The `upstreamAuth` option in force, and what it was read into. */
  upstreamAuth: unknown;
  auth: UpstreamAuthState;
  filter: ExposeFilter;
  required: ReadonlySet<string>;
  reloads: number;
  /** The policy option in force (compared with a reload's, to tell callers whose lists it changes). */
  policy: GatewayPolicy | undefined;
}

/** What the reload needs from the gateway it reloads. */
export interface ReloadContext {
  live: LiveRegistry;
  state: ReloadableState;
  policy: SwappablePolicy;
  onError: (error: Error) => void;
  readExpose: (expose: GatewayExpose | undefined) => ExposeFilter;
  /** Prepares upstreams as `createGateway` does (per-principal sessions, declared capabilities, `auth`'s headers). */
  prepareUpstreams: (upstreams: RegistryOptions, auth: UpstreamAuthState) => RegistryOptions;
  /** Reads an `upstreamAuth` option (`CONFIG_INVALID` naming the bad path). */
  readAuth: (upstreamAuth: unknown, upstreams: RegistryOptions | undefined) => UpstreamAuthState;
  /** What every forwarding path asks for per-caller credentials: routed anew after a reload. */
  credentials: ReloadableCredentials;
  /** Whether `close()` has begun: a reload then changes nothing. */
  closing: () => boolean;
  /** Reconciles the published tools with the current registry, serving `redefined` anew; resolves when done. */
  reconcile: (redefined: readonly string[]) => Promise<void>;
  /** The policy changed: callers whose visible lists it changed are told (`publisher.visibilityChanged`). */
  visibilityChanged: () => void;
}

/** The policy guard every forwarded call goes through; `set` swaps the policy behind it. */
export interface SwappablePolicy extends PolicyGuard {
  set(guard: PolicyGuard | undefined): void;
}

export function createSwappablePolicy(initial: PolicyGuard | undefined): SwappablePolicy {
  let guard = initial;
  return {
    set: (next) => {
      guard = next;
    },
    run: (tool, args, context, call) => (guard ? guard.run(tool, args, context, call) : call()),
    allows: (tool, authInfo) => (guard ? guard.allows(tool, authInfo) : true),
    allowsPrompt: (prompt, authInfo) => (guard ? guard.allowsPrompt(prompt, authInfo) : true),
    allowsResource: (server, uri, authInfo) => (guard ? guard.allowsResource(server, uri, authInfo) : true),
    runRequest: (request, context, run) => (guard ? guard.runRequest(request, context, run) : run()),
    get hidesTools() {
      return guard?.hidesTools ?? false;
    },
  };
}

const DEFAULT_DRAIN_MS = 30_000;

/** `gateway.reload`: one reload at a time, each checked in full before it changes anything. */
export function createReloader(
  context: ReloadContext,
): (next: GatewayReloadOptions | RegistryOptions) => Promise<void> {
  let queue: Promise<void> = Promise.resolve();
  return (next) => {
    const run = queue.then(() => reload(context, next));
    queue = run.catch(() => {});
    return run;
  };
}

async function reload(context: ReloadContext, input: GatewayReloadOptions | RegistryOptions): Promise<void> {
  const closed = () =>
    new ToolwireError({ code: 'SERVER_CLOSED', message: 'The gateway is closing: reload refused.' });
  if (context.closing()) throw closed();
  const next = asReloadOptions(input);
  if ((next.registry === undefined) === (next.upstreams === undefined)) {
    throw configError('reload needs either `registry` or `upstreams` (not both).');
  }
  const drainMs = next.drainMs ?? DEFAULT_DRAIN_MS;
  if (!(typeof drainMs === 'number' && drainMs >= 0)) {
    throw configError(`drainMs must be a number of milliseconds, not ${JSON.stringify(next.drainMs)}.`);
  }
  const filter = context.readExpose(next.expose);
  const { live } = context;
  // Checked against a throwaway registry view first: a bad policy must not cost a reconnect.
  createPolicyGuard(next.policy, live.registry, context.onError);

  // A new upstreamAuth changes the servers whose entry in it differs.
  const authGiven = next.upstreamAuth !== undefined;
  const auth = authGiven ? context.readAuth(next.upstreamAuth, next.upstreams) : context.state.auth;
  const authChanged = authGiven ? changedKeys(context.state.upstreamAuth, next.upstreamAuth) : [];
  // Upstreams as they were: the registry stays, with its connections and upstream sessions.
  const kept =
    next.upstreams !== undefined &&
    context.state.upstreams !== undefined &&
    sameOptions(context.state.upstreams, next.upstreams) &&
    authChanged.length === 0;
  // Only server entries (or their upstreamAuth) differ: the registry stays and reconfigures those servers alone.
  const changes =
    !kept && next.upstreams !== undefined && context.state.upstreams !== undefined
      ? serverChanges(context.state.upstreams, next.upstreams, authChanged)
      : undefined;
  if (changes) {
    const current = live.current();
    const servers = new Set(current.servers().map((server) => server.name));
    for (const name of changes.remove) servers.delete(name);
    for (const name of changes.set) servers.add(name);
    const required = readRequiredUpstreams(next.requiredUpstreams, {
      servers: () => [...servers].map((name) => ({ name })),
    });
    const prepared = entriesOf(context.prepareUpstreams(next.upstreams as RegistryOptions, auth)) ?? {};
    const before = signatures(live.registry.tools(context.state.filter));
    await current.reconfigureServers(
      {
        servers: Object.fromEntries(changes.set.map((name) => [name, prepared[name] as ServerConfigInput])),
        remove: changes.remove,
      },
      { drainMs },
    );
    context.state.upstreams = next.upstreams;
    context.credentials.route(changes.set, auth.credentials, auth.perCaller);
    context.credentials.route(changes.remove, undefined, auth.perCaller);
    adoptAuth(context, next, auth);
    return apply(context, next, filter, required, before, current);
  }
  const previousServers = live
    .current()
    .servers()
    .map((server) => server.name);
  const owned = next.registry === undefined;
  const registry = kept
    ? live.current()
    : (next.registry ??
      (await createRegistry(
        // A reload is an operator's deliberate change: one bad server entry rejects it (the old
        // configuration keeps serving) rather than starting that server as `failed`.
        context.prepareUpstreams({ strictConfig: true, ...(next.upstreams as RegistryOptions) }, auth),
      )));
  let required: ReadonlySet<string>;
  try {
    // Closed while the new registry connected: it must not outlive the gateway.
    if (context.closing()) throw closed();
    required = readRequiredUpstreams(next.requiredUpstreams, registry);
  } catch (error) {
    if (owned && !kept) await registry.close().catch(() => {});
    throw error;
  }

  const before = signatures(live.registry.tools(context.state.filter));
  if (!kept) {
    // The registry's tools are served from here on by the new registry; calls running keep theirs.
    const retired = live.swap(registry, owned, drainMs);
    retired.catch(context.onError);
    context.state.upstreams = next.upstreams;
    const names = new Set(registry.servers().map((server) => server.name));
    context.credentials.route(names, auth.credentials, auth.perCaller);
    context.credentials.route(
      previousServers.filter((name) => !names.has(name)),
      undefined,
      auth.perCaller,
    );
    adoptAuth(context, next, auth);
  }
  return apply(context, next, filter, required, before, registry);
}

/** Applies the checked settings that do not live in the registry, and reconciles what is served. */
async function apply(
  context: ReloadContext,
  next: GatewayReloadOptions,
  filter: ExposeFilter,
  required: ReadonlySet<string>,
  before: Map<string, string>,
  registry: Registry,
): Promise<void> {
  const { live } = context;
  context.policy.set(
    next.policy ? createPolicyGuard(next.policy, live.registry, context.onError) : undefined,
  );
  context.state.filter = filter;
  context.state.required = required;
  context.state.reloads += 1;
  const policyChanged = !sameOptions(context.state.policy, next.policy);
  context.state.policy = next.policy;
  const redefined = [...signatures(registry.tools(filter))]
    .filter(([name, signature]) => before.has(name) && before.get(name) !== signature)
    .map(([name]) => name);
  await context.reconcile(redefined);
  // After the catalogue settled: a caller already told of a catalogue change is not told twice.
  if (policyChanged) context.visibilityChanged();
}

/**
 * Whether two upstreams options configure the same thing: plain data compared by value, anything
 * else (a logger, a cache store, a function) by identity.
 */
function sameOptions(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const plain = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' &&
    value !== null &&
    (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype);
  if (!plain(a) || !plain(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (!sameOptions(a[key], b[key])) return false;
  return true;
}

type ServerEntries = Record<string, unknown>;

/** The server entries of an upstreams configuration, when they are one object by name. */
function entriesOf(upstreams: RegistryOptions): ServerEntries | undefined {
  if (upstreams.mcpServers !== undefined && upstreams.servers !== undefined) return undefined;
  const entries = upstreams.mcpServers ?? upstreams.servers;
  return typeof entries === 'object' && entries !== null && !Array.isArray(entries)
    ? (entries as ServerEntries)
    : undefined;
}

/**
 * The servers to configure anew and to remove when two upstreams configurations differ in their
 * server entries only (same key, `mcpServers` or `servers` as an object; every other option the
 * same); `undefined` when anything else differs (the registry is then built afresh).
 */
function serverChanges(
  previous: RegistryOptions,
  next: RegistryOptions,
  /** Servers whose `upstreamAuth` changed: configured anew too. */
  authChanged: readonly string[],
): { set: string[]; remove: string[] } | undefined {
  const before = entriesOf(previous);
  const after = entriesOf(next);
  if (!before || !after) return undefined;
  const key = previous.mcpServers !== undefined ? 'mcpServers' : 'servers';
  if ((next.mcpServers !== undefined ? 'mcpServers' : 'servers') !== key) return undefined;
  const rest = (options: RegistryOptions) => {
    const { mcpServers: _mcpServers, servers: _servers, ...others } = options;
    return others;
  };
  if (!sameOptions(rest(previous), rest(next))) return undefined;
  return {
    set: Object.keys(after).filter(
      (name) =>
        !Object.hasOwn(before, name) || !sameOptions(before[name], after[name]) || authChanged.includes(name),
    ),
    remove: Object.keys(before).filter((name) => !Object.hasOwn(after, name)),
  };
}

/** The keys whose values differ between two `upstreamAuth` options. */
function changedKeys(previous: unknown, next: unknown): string[] {
  const a = (previous ?? {}) as Record<string, unknown>;
  const b = (next ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => !sameOptions(a[key], b[key]));
}

/** Remembers the `upstreamAuth` now in force (a reload that omits it keeps the one before). */
function adoptAuth(context: ReloadContext, next: GatewayReloadOptions, auth: UpstreamAuthState): void {
  if (next.upstreamAuth === undefined) return;
  context.state.upstreamAuth = next.upstreamAuth;
  context.state.auth = auth;
}

/** A bare registry configuration (`{ mcpServers }`, `{ servers }`) is the new upstreams. */
function asReloadOptions(input: GatewayReloadOptions | RegistryOptions): GatewayReloadOptions {
  if (typeof input !== 'object' || input === null) {
    throw configError('reload takes { upstreams } or { registry } (or an mcpServers configuration).');
  }
  if ('upstreams' in input || 'registry' in input) return input as GatewayReloadOptions;
  if ('mcpServers' in input || 'servers' in input) return { upstreams: input as RegistryOptions };
  return input as GatewayReloadOptions;
}

/** What downstream clients see of each tool: when it differs, the tool is served anew. */
function signatures(tools: readonly ToolInfo[]): Map<string, string> {
  return new Map(
    tools.map((tool) => [
      tool.name,
      JSON.stringify([
        tool.title,
        tool.description,
        tool.inputSchema,
        tool.outputSchema,
        tool.annotations,
        tool.meta,
      ]),
    ]),
  );
}

function configError(message: string): ToolwireError {
  return new ToolwireError({ code: 'CONFIG_INVALID', message });
}
