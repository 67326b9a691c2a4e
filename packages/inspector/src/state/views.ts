/**
 * What the page is sent, built only from the registry's public API: servers (with
 * `serverDetails()`), tools, stats and call results. Every view passes `registry.redact()` on its
 * way out — the registry's own outputs are redacted already, and this is the one place the page's
 * data is made safe, so a tool result that repeats a configured secret is covered too.
 */
import type {
  LatencySummary,
  Registry,
  RegistryStats,
  ServerInfo,
  ToolCallResult,
  ToolInfo,
  ToolStats,
  ToolwireError,
} from '@toolwire/core';

export interface ServerView {
  name: string;
  transport: string;
  connectedTransport: string | undefined;
  url: string | undefined;
  command: string | undefined;
  status: ServerInfo['status'];
  /** Why it failed; for `CONFIG_INVALID` (its own entry is invalid), each problem with its config path. */
  error:
    | { code: string; message: string; issues: { path: string; message: string }[] | undefined }
    | undefined;
  /** Unknown keys in its config entry, which were ignored. */
  configWarnings: { path: string; message: string }[];
  connectLatencyMs: number | undefined;
  toolCount: number;
  filteredTools: string[];
  session: string;
  serverVersion: { name: string; version: string } | undefined;
  protocolVersion: string | undefined;
  instructions: string | undefined;
  configPath: string;
  toolsSource: 'cache' | 'server' | undefined;
  cachedAt: number | undefined;
  connections: number;
  statusHistory: {
    status: string;
    previous: string;
    at: number;
    error: { code: string; message: string } | undefined;
  }[];
  stderrTail: string[];
  consecutiveFailures: number;
  nextRetryAt: number | undefined;
  auth: { kind: string; token: { obtainedAt: number; expiresAt: number | undefined } | undefined };
}

export interface ToolView {
  name: string;
  server: string;
  serverToolName: string;
  title: string | undefined;
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown> | undefined;
  annotations: Record<string, unknown> | undefined;
  status: ToolInfo['status'];
  disabledReason: ToolInfo['disabledReason'];
  stats: ToolStats;
}

export interface StatsView {
  calls: number;
  errors: number;
  latency: LatencySummary;
  byTool: Record<string, ToolStats>;
}

/** One call in the live log: started, then finished with an outcome. */
export interface CallLogEntry {
  callId: number;
  tool: string;
  server: string;
  sessionKey: string | undefined;
  startedAt: number;
  state: 'running' | 'ok' | 'tool-error' | 'failed';
  durationMs: number | undefined;
  error: { code: string; message: string } | undefined;
}

export interface CallResultView {
  isError: boolean;
  content: unknown[];
  structuredContent: Record<string, unknown> | undefined;
  durationMs: number;
}

export interface ErrorView {
  code: string;
  message: string;
  issues: { path: string; message: string }[] | undefined;
}

export function serverView(registry: Registry, server: ServerInfo): ServerView {
  const details = registry.serverDetails(server.name);
  return registry.redact({
    name: server.name,
    transport: server.transport,
    connectedTransport: server.connectedTransport,
    url: server.url,
    command: server.command,
    status: server.status,
    error: server.error
      ? {
          code: server.error.code,
          message: server.error.message,
          issues: server.error.issues?.map((issue) => ({ path: issue.path, message: issue.message })),
        }
      : undefined,
    configWarnings: server.configWarnings.map((issue) => ({ path: issue.path, message: issue.message })),
    connectLatencyMs: server.connectLatencyMs,
    toolCount: server.toolCount,
    filteredTools: server.filteredTools,
    session: server.session,
    serverVersion: server.serverVersion
      ? { name: server.serverVersion.name, version: server.serverVersion.version }
      : undefined,
    protocolVersion: server.protocolVersion,
    instructions: server.instructions,
    configPath: server.configPath,
    toolsSource: server.toolsSource,
    cachedAt: server.cachedAt,
    connections: server.connections,
    statusHistory: details?.statusHistory ?? [],
    stderrTail: details?.stderrTail ?? [],
    consecutiveFailures: details?.consecutiveFailures ?? 0,
    nextRetryAt: details?.nextRetryAt,
    auth: details?.auth ?? { kind: 'none', token: undefined },
  });
}

export function serverViews(registry: Registry): ServerView[] {
  return registry.servers().map((server) => serverView(registry, server));
}

export function toolView(registry: Registry, tool: ToolInfo): ToolView {
  return registry.redact({
    name: tool.name,
    server: tool.server,
    serverToolName: tool.serverToolName,
    title: tool.title,
    description: tool.description,
    inputSchema: tool.inputSchema,
    outputSchema: tool.outputSchema,
    annotations: tool.annotations as Record<string, unknown> | undefined,
    status: tool.status,
    disabledReason: tool.disabledReason,
    stats: tool.stats,
  });
}

export function toolViews(registry: Registry): ToolView[] {
  return registry.tools({ includeDisabled: true }).map((tool) => toolView(registry, tool));
}

export function statsView(registry: Registry): StatsView {
  const stats: RegistryStats = registry.stats();
  return registry.redact({
    calls: stats.calls,
    errors: stats.errors,
    latency: stats.latency,
    byTool: stats.byTool,
  });
}

export function callResultView(registry: Registry, result: ToolCallResult): CallResultView {
  return registry.redact({
    isError: result.isError,
    content: result.content as unknown[],
    structuredContent: result.structuredContent,
    durationMs: Math.round(result.durationMs * 100) / 100,
  });
}

/** A failure as the page shows it: the stable code, the (redacted) message, argument issues. */
export function errorView(registry: Registry, error: ToolwireError): ErrorView {
  const issues = (error as { issues?: { pathText?: unknown; message?: unknown }[] }).issues;
  return registry.redact({
    code: error.code,
    message: error.message,
    issues: Array.isArray(issues)
      ? issues.map((issue) => ({ path: String(issue.pathText ?? ''), message: String(issue.message ?? '') }))
      : undefined,
  });
}
