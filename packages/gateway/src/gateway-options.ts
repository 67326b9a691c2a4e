/** The options of `createGateway()`: where the upstream tools come from, which are served, and how. */
import type { Registry, RegistryOptions, ToolInfo } from '@toolwire/core';
import type { PublisherOptions } from '@toolwire/publisher';
import type { GatewayPolicy } from './gateway-policy.js';
import type { UpstreamAuthMap } from './upstream-auth/upstream-auth-options.js';

/**
 * The published name of each upstream tool:
 * - `'registry'` (default): the registry's unique name (`<server>__<tool>`);
 * - `'original'`: the tool's own name on its server (two servers offering the same name is a
 *   `CONFIG_INVALID` error naming both);
 * - `{ prefixes }`: a prefix per server (`{ github: 'gh_' }`), `<server>_` for servers not named;
 * - a function of the registry's tool description.
 */
export type GatewayNaming =
  | 'registry'
  | 'original'
  | { prefixes: Readonly<Record<string, string>> }
  | ((tool: ToolInfo) => string);

/** Which registry tools are served: `'all'`, or registry names and globs (`github__*`) to include / exclude. */
export type GatewayExpose =
  | 'all'
  | { include?: readonly string[] | undefined; exclude?: readonly string[] | undefined };

/**
 * How the catalogue is served: `'tools'` (default) publishes every exposed tool; `'search'`
 * publishes only `search_tools` (the registry's own search) and `call_tool` (calls a tool found),
 * for catalogues too big for a client's context.
 */
export type GatewayMode = 'tools' | 'search';

/**
 * Whose upstream sessions a call runs in. `'per-principal'` (default): each downstream caller
 * (the verified token's principal; without auth, the downstream MCP session) has its own
 * upstream sessions on servers configured `session: 'per-conversation'`, which `upstreams` given
 * to the gateway are by default. `'shared'`: every caller shares the registry's connections, so
 * an upstream's session state is every caller's (what it remembers, the roots it asked for once),
 * and a question it asks outside any call reaches whichever caller's call runs alone then: for
 * stateless upstreams or a single-user gateway.
 */
export type UpstreamSessions = 'per-principal' | 'shared';

/** The publisher settings a gateway passes through (its tools are the registry's). */
export type GatewayPublisherOptions = Omit<
  PublisherOptions,
  'name' | 'version' | 'tools' | 'include' | 'exclude' | 'rename' | 'scopes' | 'prompts' | 'resources'
>;

export interface GatewayOptions {
  /** Server name sent to downstream clients in `initialize`. Default `toolwire-gateway`. */
  name?: string | undefined;
  /** Default `0.0.0`. */
  version?: string | undefined;
  /**
   * The registry to re-publish; the gateway does not close it. Give either `registry` or
   * `upstreams`, not both. Elicitation, sampling and roots are forwarded per call; give the registry
   * `declareCapabilities: { elicitation: true, sampling: true, roots: true }` so its servers know
   * from the start.
   */
  registry?: Registry | undefined;
  /**
   * Upstream servers and registry options, as `createRegistry` takes them (`servers` or
   * `mcpServers`, cache, loading, logger…): the gateway creates the registry and closes it with
   * itself. With `upstreamSessions: 'per-principal'`, each named server entry without its own
   * `session` gets `session: 'per-conversation'`. Unless `declareCapabilities` is given, the
   * upstreams are told the client supports elicitation, sampling and roots: what they ask during a call
   * is forwarded to the downstream client (declined or refused when it lacks the capability).
   */
  upstreams?: RegistryOptions | undefined;
  expose?: GatewayExpose | undefined;
  naming?: GatewayNaming | undefined;
  mode?: GatewayMode | undefined;
  /**
   * Serve the upstreams' prompts too (named like the tools; a naming function leaves the
   * registry's name), read when the gateway starts. Default `true`.
   */
  prompts?: boolean | undefined;
  /**
   * Serve the upstreams' resources and resource templates too (under their own URIs; read in the
   * caller's upstream session), listed when the gateway starts, again when an upstream announces
   * `resources/list_changed` and on reload.
   * Default `true`. 2025-era clients may subscribe to a served resource (subscribed upstream in
   * their upstream session; updates reach the subscribing session only).
   */
  resources?: boolean | undefined;
  upstreamSessions?: UpstreamSessions | undefined;
  /**
   * How each upstream server is authenticated for a caller, by server name: `{ kind: 'service' }`
   * (default: the server's own `headers` / `auth`, one identity for all), `{ kind:
   * 'token-exchange', tokenEndpoint, clientId, clientSecret, audience?, resource?, scope? }` (the
   * caller's token exchanged, RFC 8693, for one for the upstream), or `{ kind: 'per-user', store }`.
   * Token pass-through is refused (`CONFIG_INVALID`): the MCP spec forbids it.
   */
  upstreamAuth?: UpstreamAuthMap | undefined;
  /**
   * Who may call which tool (allow/deny, per scope, per subject; each caller lists only what it
   * may call; prompts and resources too), the largest arguments and results, rate limits (in
   * memory or Redis), and an audit record per call, prompt get and resource read or subscribe; checked when the gateway starts (`CONFIG_INVALID` naming the bad
   * path). A refused call is an error result: `POLICY_DENIED`, `RESULT_TOO_LARGE`, `RATE_LIMITED`.
   */
  policy?: GatewayPolicy | undefined;
  /**
   * Upstreams the gateway cannot do without: it is ready (`gateway.status().ready`, `GET /ready`
   * 200) only while each is `active` or `discovered` (connected on the first call). Others may
   * fail without taking the gateway out of a load balancer's rotation. Default: none.
   */
  requiredUpstreams?: readonly string[] | undefined;
  /** Downstream settings: HTTP (auth, sessions, stores), timeouts, `onError`, tasks… */
  publisher?: GatewayPublisherOptions | undefined;
}
