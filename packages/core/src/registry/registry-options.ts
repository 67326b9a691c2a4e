/**
 * Everything `createRegistry` accepts beyond the servers themselves (logging, auth stores, the
 * schema cache, loading mode, pool limits, listeners), with their defaults and readers.
 */

import type { Implementation } from '@modelcontextprotocol/client';
import type { AuthDiscoveryOptions } from '../auth/discovery-policy.js';
import type { DPoPOptions } from '../auth/dpop.js';
import type { TokenStore } from '../auth/token-store.js';
import type { SchemaCacheOption } from '../cache/schema-cache.js';
import { isPlainObject } from '../config/expand-env.js';
import type { ServersConfigInput } from '../config/parse-config.js';
import { findUnknownKeys, unknownKeyError } from '../config/unknown-keys.js';
import type { ElicitationHandler, SamplingHandler } from '../connection/server-requests.js';
import { ConfigError } from '../errors/config-error.js';
import type { RegistryEvents, ServerLogLevel } from '../events/registry-events.js';
import type { ToolCallInterceptor } from '../interceptors/interceptor-types.js';
import type { Logger } from '../logging/logger.js';
import {
  DEFAULT_STORE_FIRST_PAUSE_MS,
  DEFAULT_STORE_MAX_PAUSE_MS,
  type StoreRetryOptions,
} from '../stores/store-health.js';
import type { RegistryTelemetry } from '../telemetry/registry-telemetry.js';
import { timeoutProblem } from '../util/deadline.js';
import type { ValidationOptions } from './argument-validation.js';
import type { RootsOption } from './registry-roots.js';

export interface RegistryOptions extends ServersConfigInput {
  /** Where log lines go. Default: warnings and errors to `console`. */
  logger?: Logger;
  /** How the registry introduces itself to servers. Default `{ name: 'toolwire', version }`. */
  clientInfo?: Implementation;
  /**
   * Answers servers' elicitation requests (form mode) for every conversation and call that has
   * no handler of its own (`setSessionHandlers`, `callTool`'s `onElicitation`). When set, the
   * client declares the elicitation capability; defaults in the requested schema fill fields the
   * answer omits. Without any handler an elicitation is declined.
   */
  onElicitation?: ElicitationHandler;
  /**
   * Answers servers' sampling requests (`sampling/createMessage`) with a model's reply, for every
   * conversation and call without a handler of its own. When set, the client declares the
   * sampling capability. `@toolwire/langchain` and `@toolwire/ai-sdk` build one from your model.
   */
  onSampling?: SamplingHandler;
  /**
   * The directories servers may work in, answered to their `roots/list` requests (2025) and
   * `roots/list` input requests (2026-07-28): a fixed list `[{ uri: 'file:///…', name? }]` or a
   * handler `({ server, sessionKey, signal }) => roots`. When set, the client declares the roots
   * capability. A conversation (`setSessionHandlers`) or call may bring its own `onRoots`.
   */
  roots?: RootsOption;
  /**
   * Declares elicitation, sampling and/or roots on every connection although no registry-wide handler is
   * set, for handlers you give per conversation (`setSessionHandlers`) or per call. (Connections
   * opened after such a handler was first given declare it anyway.) Requests nobody answers are
   * declined (elicitation) or refused (sampling).
   */
  declareCapabilities?: { elicitation?: boolean; sampling?: boolean; roots?: boolean };
  /** Longest an elicitation or sampling handler may take before the server is told it failed (ms). Default 5 min. */
  serverRequestTimeoutMs?: number;
  /**
   * The least severe log message servers should send (`'debug'` … `'emergency'`): asked of
   * servers that declare logging (`logging/setLevel` on 2025 servers, with each call on
   * 2026-07-28) and applied to what arrives. A server's own `logLevel` overrides it. Default:
   * 2025 servers are not asked (they choose) and everything they send becomes a `server:log`
   * event; 2026-07-28 servers, which send nothing unless asked, are asked for `'info'` while a
   * `server:log` listener or a call's `onLog` is there.
   */
  serverLogLevel?: ServerLogLevel;
  /**
   * Replaces the `fetch` used for HTTP servers and token requests (proxies, tests). Default: on
   * Node, MCP requests go over `node:http`/`node:https` (cheaper per call) and everything else
   * through the global `fetch`; `fetch: globalThis.fetch` sends every request through undici.
   */
  fetch?: typeof fetch;
  /**
   * Where OAuth access tokens are cached. Default: in memory, per registry. Pass a shared store
   * (`createRedisTokenStore` from `@toolwire/core/redis`) so a fleet fetches one token per client.
   */
  tokenStore?: TokenStore;
  /**
   * Longest wait for one call to the token store or the schema cache store (ms). A store that
   * fails or takes longer is skipped until it answers again (tokens are fetched directly, the
   * catalogue is kept in memory), with one warning per outage. Default 1 s.
   */
  storeTimeoutMs?: number;
  /**
   * How long a failed token store or schema cache store is skipped before it is tried again:
   * `firstPauseMs` (default 1 s), doubling with each further failure up to `maxPauseMs`
   * (default 30 s). The first call that succeeds ends the outage.
   */
  storeRetry?: StoreRetryOptions;
  /**
   * Where OAuth discovery may fetch a server's protected-resource metadata from when its 401
   * points there: any https origin by default (the spec's rule), or only the server's own origin
   * and a list (`allowedOrigins`). See docs/auth.md, "Discovery policy".
   */
  authDiscovery?: AuthDiscoveryOptions;
  /**
   * The key DPoP-bound tokens are tied to, for servers with `auth: { type: 'oauth', dpop: true }`
   * (RFC 9449). Default: one key pair per registry, generated on first use. See docs/auth.md,
   * "DPoP".
   */
  dpop?: DPoPOptions;
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
  /**
   * `false` (default): a problem in one server's configuration (an unset `${VAR}` in its
   * headers, a bad URL, a provider resolver that fails) marks just that server `failed` with a
   * `ConfigError` naming the path; the others start. `true`: any configuration problem rejects
   * `createRegistry` with one `ConfigError` listing them all, and nothing starts.
   */
  strictConfig?: boolean;
  /**
   * How arguments are checked against each tool's JSON Schema before a call: the engine
   * (`'auto'` default: compiled where code generation is allowed, else interpreted), the size of
   * the compiled-schema cache, or your own `validator`.
   */
  validation?: ValidationOptions;
  /**
   * Tool-call interceptors for every call, outermost first; they run outside a call's own
   * (`callTool`'s `interceptors`). See `ToolCallInterceptor` and docs/observability.md.
   */
  interceptors?: readonly ToolCallInterceptor[];
  /**
   * Telemetry for connects and tool calls: `createOpenTelemetry()` from `@toolwire/core/otel`.
   * Its interceptor runs outside `interceptors`. See docs/observability.md.
   */
  telemetry?: RegistryTelemetry;
}

/** Connection pool limits, per server. */
export interface PoolOptions {
  /** Most live connections per server (the shared one and one per conversation). Default 32. */
  maxConnectionsPerServer?: number;
  /** A per-conversation connection closes after this long unused (ms). Default 5 min. */
  idleTimeoutMs?: number;
}

/** Top-level option keys the registry reads itself (the config parser rejects other unknown keys). */
export const registryKeys = [
  'logger',
  'clientInfo',
  'onElicitation',
  'onSampling',
  'roots',
  'declareCapabilities',
  'serverRequestTimeoutMs',
  'serverLogLevel',
  'fetch',
  'listeners',
  'cache',
  'cacheTtlMs',
  'cacheDirectory',
  'loading',
  'revalidateAfterMs',
  'pool',
  'tokenStore',
  'strictConfig',
  'storeTimeoutMs',
  'storeRetry',
  'authDiscovery',
  'dpop',
  'validation',
  'interceptors',
  'telemetry',
] as const;

export const DEFAULT_REVALIDATE_AFTER_MS = 60 * 60 * 1000;
export const DEFAULT_MAX_CONNECTIONS_PER_SERVER = 32;
export const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60 * 1000;

/** Event names `listeners` may name (the keys of `RegistryEvents`). */
const eventNames = [
  'server:status',
  'tools:changed',
  'prompts:changed',
  'resources:changed',
  'call:start',
  'call:end',
  'log',
  'server:log',
] as const satisfies readonly (keyof RegistryEvents)[];

const poolKeys = [
  'maxConnectionsPerServer',
  'idleTimeoutMs',
] as const satisfies readonly (keyof PoolOptions)[];

const authDiscoveryKeys = ['allowedOrigins'] as const satisfies readonly (keyof AuthDiscoveryOptions)[];

const storeRetryKeys = ['firstPauseMs', 'maxPauseMs'] as const satisfies readonly (keyof StoreRetryOptions)[];

/**
 * Unknown keys in the registry's own option objects (`pool`, `listeners`, `authDiscovery`), with
 * the key probably meant: a misspelt pool limit, event name or allow-list would otherwise be
 * silently ignored.
 */
export function checkRegistryOptionKeys(options: RegistryOptions): void {
  const groups = [
    { value: options.pool, known: poolKeys, path: 'pool' },
    { value: options.listeners, known: eventNames, path: 'listeners' },
    { value: options.authDiscovery, known: authDiscoveryKeys, path: 'authDiscovery' },
    { value: options.storeRetry, known: storeRetryKeys, path: 'storeRetry' },
  ];
  const issues = groups.flatMap(({ value, known, path }) =>
    isPlainObject(value)
      ? findUnknownKeys(value, known, [path]).map((key) => unknownKeyError(key, known))
      : [],
  );
  if (issues.length > 0) throw new ConfigError({ issues });
}

/** A positive number option, or its default; anything else is a `ConfigError` naming the option. */
export function readPositive(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError({
      issues: [{ path: option, message: `expected a positive number, got ${JSON.stringify(value)}` }],
    });
  }
  return value;
}

/** The `storeRetry` option with its defaults filled in; a bad value is a `ConfigError` naming it. */
export function readStoreRetry(value: StoreRetryOptions | undefined): Required<StoreRetryOptions> {
  if (value !== undefined && !isPlainObject(value)) {
    throw new ConfigError({
      issues: [
        {
          path: 'storeRetry',
          message: `expected { firstPauseMs?, maxPauseMs }, got ${JSON.stringify(value)}`,
        },
      ],
    });
  }
  const retry = value as StoreRetryOptions | undefined;
  return {
    firstPauseMs: readTimeoutMs(retry?.firstPauseMs, DEFAULT_STORE_FIRST_PAUSE_MS, 'storeRetry.firstPauseMs'),
    maxPauseMs: readTimeoutMs(retry?.maxPauseMs, DEFAULT_STORE_MAX_PAUSE_MS, 'storeRetry.maxPauseMs'),
  };
}

/** A timer option (ms), or its default: a whole number in 1..2^31-1, else a `ConfigError` naming it. */
export function readTimeoutMs(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  const problem = timeoutProblem(value);
  if (problem !== undefined) throw new ConfigError({ issues: [{ path: option, message: problem }] });
  return value;
}

/** One of a fixed set of strings, or the default; anything else is a `ConfigError` naming the option. */
export function readChoice<T extends string>(
  value: T | undefined,
  choices: readonly T[],
  fallback: T,
  option: string,
): T {
  if (value === undefined) return fallback;
  if (!choices.includes(value)) {
    throw new ConfigError({
      issues: [
        {
          path: option,
          message: `expected ${choices.map((choice) => `'${choice}'`).join(' or ')}, got ${JSON.stringify(value)}`,
        },
      ],
    });
  }
  return value;
}
