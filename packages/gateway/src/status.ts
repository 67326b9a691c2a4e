/**
 * The gateway's status and readiness: every upstream's state as the registry sees it (status,
 * tools, connections, calls, the last error), and whether a load balancer should send this
 * instance traffic. Built from `registry.servers()` and `registry.stats()` (no I/O), passed
 * through the registry's redaction, so a status page or a `/ready` answer never shows a secret.
 */
import type { Registry, ServerStatus, ToolwireErrorCode } from '@toolwire/core';
import { ToolwireError } from '@toolwire/core';

/** One upstream server as the gateway sees it. */
export interface UpstreamStatus {
  name: string;
  /** `discovered` (known from the schema cache, connects on first call), `loading`, `active`, `failed` or `disabled`. */
  status: ServerStatus;
  /** Whether the gateway is ready only while this upstream is usable (`requiredUpstreams`). */
  required: boolean;
  /** HTTP upstreams: the URL without credentials or query. */
  url: string | undefined;
  /** Stdio upstreams: the command (never its arguments or environment). */
  command: string | undefined;
  toolCount: number;
  /** Live pooled connections (the shared one and one per principal). */
  connections: number;
  calls: number;
  errors: number;
  /** Milliseconds the last successful connect took. */
  connectLatencyMs: number | undefined;
  /** Why it is `failed`, or the last error it had (redacted). */
  lastError: { code: ToolwireErrorCode; message: string } | undefined;
}

/** What `gateway.status()` returns. */
export interface GatewayStatus {
  /** `serving`, or `closing` once `close()` began. */
  state: 'serving' | 'closing';
  /** Serving, and every required upstream usable (`active`, or `discovered` and connected on first call). */
  ready: boolean;
  /** Upstreams that are not usable now (`failed`, `disabled`, or still `loading`), by name. */
  failing: string[];
  upstreams: UpstreamStatus[];
  /** How many times the configuration was reloaded since start. */
  reloads: number;
}

/** Statuses a call can be served in: connected, or known and connected just in time. */
const usable = new Set<ServerStatus>(['active', 'discovered']);

/** Checks `requiredUpstreams` against the registry's servers (`CONFIG_INVALID` naming the unknown ones). */
export function readRequiredUpstreams(
  required: readonly string[] | undefined,
  registry: { servers(): readonly { name: string }[] },
): ReadonlySet<string> {
  if (required === undefined) return new Set();
  if (!Array.isArray(required) || !required.every((name) => typeof name === 'string')) {
    throw new ToolwireError({
      code: 'CONFIG_INVALID',
      message: 'requiredUpstreams must be a list of upstream server names.',
    });
  }
  const known = new Set(registry.servers().map((server) => server.name));
  const unknown = required.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new ToolwireError({
      code: 'CONFIG_INVALID',
      message: `requiredUpstreams names ${unknown.map((name) => `"${name}"`).join(', ')}, not among the upstreams (${[...known].join(', ') || 'none'}).`,
    });
  }
  return new Set(required);
}

/** The status of the gateway over `registry` right now. */
export function gatewayStatus(
  registry: Registry,
  required: ReadonlySet<string>,
  state: GatewayStatus['state'],
  reloads: number,
): GatewayStatus {
  const stats = registry.stats();
  const upstreams = registry.servers().map((server): UpstreamStatus => {
    const counts = stats.byServer[server.name];
    return {
      name: server.name,
      status: server.status,
      required: required.has(server.name),
      url: server.url,
      command: server.command,
      toolCount: server.toolCount,
      connections: server.connections,
      calls: counts?.calls ?? 0,
      errors: counts?.errors ?? 0,
      connectLatencyMs: server.connectLatencyMs,
      lastError: server.error
        ? { code: server.error.code, message: server.error.message }
        : counts?.lastError,
    };
  });
  const failing = upstreams
    .filter((upstream) => !usable.has(upstream.status))
    .map((upstream) => upstream.name);
  const ready =
    state === 'serving' && upstreams.every((upstream) => !upstream.required || usable.has(upstream.status));
  return registry.redact({ state, ready, failing, upstreams, reloads });
}

/** The `/ready` answer: ready or not, and (when something is wrong) which upstreams and why. */
export function readinessReport(status: GatewayStatus): { ready: boolean; body: Record<string, unknown> } {
  const failing = status.upstreams
    .filter((upstream) => status.failing.includes(upstream.name))
    .map((upstream) => ({
      name: upstream.name,
      status: upstream.status,
      required: upstream.required,
      ...(upstream.lastError ? { error: upstream.lastError } : {}),
    }));
  return {
    ready: status.ready,
    body: {
      upstreams: status.upstreams.length,
      ...(failing.length > 0 ? { failing } : {}),
    },
  };
}
