/**
 * The public descriptions of what the registry holds: `ToolInfo` for a catalogue entry and
 * `ServerInfo` for a server. They show no secret: URLs lose their query and credentials, stdio
 * servers show the command but not their arguments or environment.
 */

import { ConfigError } from '../errors/config-error.js';
import type { ToolStatus } from '../events/registry-events.js';
import { safeUrl } from '../redaction/safe-url.js';
import type { CatalogueEntry } from './catalogue-entry.js';
import type { JSONSchemaObject, ServerInfo, ToolInfo } from './registry-types.js';
import type { ServerSlot } from './server-slot.js';
import type { ToolStats } from './tool-stats.js';

export function describeTool(entry: CatalogueEntry, stats: ToolStats): ToolInfo {
  const { tool, slot } = entry;
  const disabledReason = entry.disabledReason ?? (slot.status === 'disabled' ? 'server' : undefined);
  const status: ToolStatus = disabledReason ? 'disabled' : slot.status;
  return {
    name: entry.name,
    server: slot.name,
    serverToolName: tool.name,
    title: tool.title ?? tool.annotations?.title,
    description: tool.description ?? '',
    inputSchema: tool.inputSchema as JSONSchemaObject,
    outputSchema: tool.outputSchema as JSONSchemaObject | undefined,
    annotations: tool.annotations,
    meta: tool._meta as Record<string, unknown> | undefined,
    status,
    disabledReason,
    stats,
  };
}

/** `entries`: the catalogue entries of this server. */
export function describeServer(slot: ServerSlot, entries: readonly CatalogueEntry[]): ServerInfo {
  const { definition, connection, cached } = slot;
  return {
    name: slot.name,
    transport: definition.transport,
    connectedTransport: connection?.transportKind,
    // A server whose entry could not be read has no URL (see `slot.configError`).
    url: definition.transport === 'stdio' || definition.url === '' ? undefined : safeUrl(definition.url),
    command: definition.transport === 'stdio' ? definition.command : undefined,
    status: slot.status,
    error: slot.error
      ? {
          code: slot.error.code,
          message: slot.error.message,
          ...(ConfigError.isInstance(slot.error)
            ? { issues: slot.error.issues.map((issue) => ({ ...issue })) }
            : {}),
        }
      : undefined,
    configWarnings: slot.configWarnings.map((warning) => ({ ...warning })),
    connectLatencyMs: slot.connectLatencyMs,
    toolCount: entries.filter((entry) => !entry.disabledReason).length,
    filteredTools: entries
      .filter((entry) => entry.disabledReason === 'config')
      .map((entry) => entry.tool.name),
    session: definition.session,
    serverVersion: connection?.serverVersion ?? cached?.serverInfo,
    protocolVersion: connection?.protocolVersion ?? cached?.protocolVersion,
    capabilities: connection?.capabilities ?? cached?.capabilities,
    instructions: connection?.instructions ?? cached?.instructions,
    configPath: definition.configPath,
    toolsSource: slot.toolsSource,
    cachedAt: cached?.savedAt,
    connections: slot.pool.size,
  };
}
