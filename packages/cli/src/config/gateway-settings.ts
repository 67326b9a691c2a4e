/**
 * The `gateway` section of a `toolwire gateway` config file: how the upstreams (the file's
 * `mcpServers` / `servers`, read by core's `loadConfig`) are served downstream. Checked here,
 * key by key, so a typo is an error naming `gateway.<key>` rather than a setting silently lost.
 */
import { ConfigError } from '@toolwire/core';
import type {
  GatewayExpose,
  GatewayMode,
  GatewayNaming,
  GatewayRateLimit,
  GatewayToolRules,
  ServiceUpstreamAuth,
  TokenExchangeUpstreamAuth,
  UpstreamSessions,
} from '@toolwire/gateway';
import type { PublisherAuthOptions } from '@toolwire/publisher';
import { checkStoreSetting, type StoreSetting } from './gateway-stores.js';

/** What the `gateway` section may hold. */
export interface GatewaySettings {
  name?: string;
  expose?: GatewayExpose;
  naming?: Exclude<GatewayNaming, (...args: never[]) => unknown>;
  mode?: GatewayMode;
  upstreamSessions?: UpstreamSessions;
  /** Downstream bearer-token auth, as the publisher's `http.auth` takes it. */
  auth?: PublisherAuthOptions;
  /** Host names clients may use besides the loopback ones (needed with a non-loopback `--host`). */
  allowedHosts?: string[];
  allowedOrigins?: string[];
  /** Longest a downstream call may run (ms). */
  callTimeoutMs?: number;
  /** Upstreams without which `GET /ready` answers 503 (the gateway's `requiredUpstreams`). */
  requiredUpstreams?: string[];
  /** The gateway's policy, as JSON: rules, the argument limit, and an audit line per call on stderr. */
  policy?: GatewayPolicySettings;
  /**
   * Auth per upstream server: `service`, `token-exchange`, or `per-user` with its credential
   * `store` (memory, from the file, or Redis). A whole `"${VAR}"` value, at any depth, is read
   * from the environment. Checked in full by `createGateway` (`CONFIG_INVALID` naming
   * `upstreamAuth.<server>.<key>`).
   */
  upstreamAuth?: Record<string, ServiceUpstreamAuth | TokenExchangeUpstreamAuth | PerUserUpstreamAuthSetting>;
}

/** A `per-user` entry as the file holds it: its credential store as a setting. */
export interface PerUserUpstreamAuthSetting {
  kind: 'per-user';
  store: StoreSetting;
}

/** The JSON part of `GatewayPolicy`; `audit: true` writes each audit record as a JSON line to stderr. */
export interface GatewayPolicySettings extends GatewayToolRules {
  byScope?: Record<string, GatewayToolRules>;
  byPrincipal?: Record<string, GatewayToolRules>;
  hideDeniedTools?: boolean;
  maxArgumentBytes?: number;
  maxResultBytes?: number;
  /** Counted in `rateLimitStore` (default: this process's memory). */
  rateLimits?: GatewayRateLimit[];
  /** Where rate limits are counted: `{ "type": "memory" }` or `{ "type": "redis", "url", "prefix" }` (shared by a fleet). */
  rateLimitStore?: StoreSetting;
  rateLimitStoreFailure?: 'closed' | 'open';
  audit?: boolean;
  auditArguments?: boolean;
}

const policyKeys = new Set([
  'allow',
  'deny',
  'byScope',
  'byPrincipal',
  'hideDeniedTools',
  'maxArgumentBytes',
  'maxResultBytes',
  'rateLimits',
  'rateLimitStore',
  'rateLimitStoreFailure',
  'audit',
  'auditArguments',
]);

const keys = new Set([
  'name',
  'expose',
  'naming',
  'mode',
  'upstreamSessions',
  'auth',
  'allowedHosts',
  'allowedOrigins',
  'callTimeoutMs',
  'policy',
  'requiredUpstreams',
  'upstreamAuth',
]);

/**
 * Reads the `gateway` section of the parsed file (`{}` when there is none); throws `ConfigError`
 * naming each problem. `env` fills `"${VAR}"` values of `upstreamAuth` (a client secret stays out
 * of the file).
 */
export function readGatewaySettings(
  file: unknown,
  source: string,
  env: Readonly<Record<string, string | undefined>> = {},
): GatewaySettings {
  const section = (file as Record<string, unknown> | null)?.gateway;
  if (section === undefined) return {};
  const issues: { path: string; message: string }[] = [];
  const problem = (key: string, message: string) => issues.push({ path: `gateway.${key}`, message });
  if (typeof section !== 'object' || section === null || Array.isArray(section)) {
    throw new ConfigError({ source, issues: [{ path: 'gateway', message: 'expected an object' }] });
  }
  const settings = section as Record<string, unknown>;
  for (const key of Object.keys(settings)) if (!keys.has(key)) problem(key, 'unknown key');
  const isStringList = (value: unknown) =>
    Array.isArray(value) && value.every((item) => typeof item === 'string');
  if (settings.name !== undefined && typeof settings.name !== 'string') problem('name', 'expected a string');
  const { expose, naming } = settings;
  if (
    expose !== undefined &&
    expose !== 'all' &&
    !(
      typeof expose === 'object' &&
      expose !== null &&
      Object.entries(expose).every(
        ([key, value]) => (key === 'include' || key === 'exclude') && isStringList(value),
      )
    )
  ) {
    problem('expose', 'expected "all" or { "include": [globs], "exclude": [globs] }');
  }
  if (
    naming !== undefined &&
    naming !== 'registry' &&
    naming !== 'original' &&
    !(
      typeof naming === 'object' &&
      naming !== null &&
      Object.keys(naming).join() === 'prefixes' &&
      typeof (naming as { prefixes: unknown }).prefixes === 'object' &&
      Object.values((naming as { prefixes: object }).prefixes ?? { x: 0 }).every(
        (value) => typeof value === 'string',
      )
    )
  ) {
    problem('naming', 'expected "registry", "original" or { "prefixes": { "<server>": "<prefix>" } }');
  }
  if (settings.mode !== undefined && settings.mode !== 'tools' && settings.mode !== 'search') {
    problem('mode', 'expected "tools" or "search"');
  }
  if (
    settings.upstreamSessions !== undefined &&
    settings.upstreamSessions !== 'per-principal' &&
    settings.upstreamSessions !== 'shared'
  ) {
    problem('upstreamSessions', 'expected "per-principal" or "shared"');
  }
  if (settings.auth !== undefined && (typeof settings.auth !== 'object' || settings.auth === null)) {
    problem(
      'auth',
      'expected an object ({ "jwt": { "jwksUrl", "issuer", "audience" }, "authorizationServers": [...] })',
    );
  }
  for (const key of ['allowedHosts', 'allowedOrigins']) {
    if (settings[key] !== undefined && !isStringList(settings[key]))
      problem(key, 'expected a list of host names');
  }
  if (settings.requiredUpstreams !== undefined && !isStringList(settings.requiredUpstreams)) {
    problem('requiredUpstreams', 'expected a list of upstream server names');
  }
  if (
    settings.callTimeoutMs !== undefined &&
    !(typeof settings.callTimeoutMs === 'number' && settings.callTimeoutMs > 0)
  ) {
    problem('callTimeoutMs', 'expected a positive number of milliseconds');
  }
  const { policy } = settings;
  if (policy !== undefined) {
    if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
      problem(
        'policy',
        'expected an object ({ "allow", "deny", "byScope", "byPrincipal", "maxArgumentBytes", "maxResultBytes", "rateLimits", "audit" })',
      );
    } else {
      // The values are checked by createGateway, which names `policy.<path>` for each.
      for (const key of Object.keys(policy))
        if (!policyKeys.has(key)) problem(`policy.${key}`, 'unknown key');
      const rules = policy as Record<string, unknown>;
      const audit = rules.audit;
      if (audit !== undefined && typeof audit !== 'boolean')
        problem('policy.audit', 'expected true or false');
      if (rules.rateLimitStore !== undefined) {
        rules.rateLimitStore = fromEnv(rules.rateLimitStore, 'policy.rateLimitStore', env, problem);
        checkStoreSetting(rules.rateLimitStore, 'policy.rateLimitStore', problem, false);
      }
      const failure = rules.rateLimitStoreFailure;
      if (failure !== undefined && failure !== 'closed' && failure !== 'open') {
        problem('policy.rateLimitStoreFailure', 'expected "closed" or "open"');
      }
    }
  }
  if (settings.upstreamAuth !== undefined) {
    settings.upstreamAuth = readUpstreamAuth(settings.upstreamAuth, env, problem);
  }
  if (issues.length > 0) throw new ConfigError({ source, issues });
  return settings as GatewaySettings;
}

/** `gateway.upstreamAuth`: an object per server; whole-string `"${VAR}"` values (at any depth) come from `env`. */
function readUpstreamAuth(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  problem: (key: string, message: string) => void,
): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problem('upstreamAuth', 'expected an object ({ "<server>": { "kind": "token-exchange", … } })');
    return value;
  }
  const result: Record<string, unknown> = {};
  for (const [server, entry] of Object.entries(value)) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problem(`upstreamAuth.${server}`, 'expected an object with a "kind"');
      continue;
    }
    const read = fromEnv(entry, `upstreamAuth.${server}`, env, problem) as Record<string, unknown>;
    if (read.kind === 'per-user') {
      if (read.store === undefined) {
        problem(
          `upstreamAuth.${server}.store`,
          '"per-user" needs a credential store: { "type": "memory", "credentials": { … } } or { "type": "redis", "url" }',
        );
        continue;
      }
      checkStoreSetting(read.store, `upstreamAuth.${server}.store`, problem, true);
    }
    result[server] = read;
  }
  return result;
}

/** `value` with every whole-string `"${VAR}"` (or `"${env:VAR}"`) replaced from `env`, at any depth. */
function fromEnv(
  value: unknown,
  path: string,
  env: Readonly<Record<string, string | undefined>>,
  problem: (key: string, message: string) => void,
): unknown {
  if (typeof value === 'string') {
    const variable = /^\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value);
    if (!variable) return value;
    const name = variable[1] as string;
    if (env[name] === undefined) problem(path, `environment variable ${name} is not set`);
    return env[name];
  }
  if (Array.isArray(value))
    return value.map((item, index) => fromEnv(item, `${path}[${index}]`, env, problem));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, fromEnv(item, `${path}.${key}`, env, problem)]),
    );
  }
  return value;
}
