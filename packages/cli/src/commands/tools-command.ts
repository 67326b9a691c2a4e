/**
 * `toolwire tools`: connect every configured server in parallel (live progress on stderr), then
 * print the servers (status, latency, tool count, error) and their tools; `--json` for scripts.
 * Exit code 0 when every enabled server is active, 1 when one failed.
 */
import type { ServerInfo, ToolInfo } from '@toolwire/core';
import { statusText } from '../output/status-text.js';
import { type CliIO, renderTable, type Style } from '../output/terminal.js';
import { openRegistry } from './open-registry.js';

export interface ToolsCommandOptions {
  config: string | undefined;
  json: boolean;
  server: string | undefined;
  /** Also list tools disabled by config or whose server is disabled. */
  all: boolean;
  /** Print the servers' log messages on stderr. */
  verbose?: boolean | undefined;
}

export async function toolsCommand(io: CliIO, style: Style, options: ToolsCommandOptions): Promise<number> {
  const registry = await openRegistry(io, style, {
    config: options.config,
    progress: !options.json,
    verbose: options.verbose,
  });
  try {
    const servers = registry
      .servers()
      .filter((server) => options.server === undefined || server.name === options.server);
    const tools = registry.tools({
      includeDisabled: options.all,
      ...(options.server === undefined ? {} : { server: options.server }),
    });
    if (options.json) {
      io.stdout.write(
        `${JSON.stringify({ servers: servers.map(serverJson), tools: tools.map(toolJson) }, null, 2)}\n`,
      );
    } else {
      io.stdout.write(`${renderServers(servers, style)}\n\n${renderTools(tools, style)}\n`);
    }
    return servers.some((server) => server.status === 'failed') ? 1 : 0;
  } finally {
    await registry.close();
  }
}

export function renderServers(servers: ServerInfo[], style: Style): string {
  const rows = servers.map((server) => [
    server.name,
    server.connectedTransport ?? server.transport,
    statusText(server.status, style),
    server.connectLatencyMs === undefined ? '-' : `${server.connectLatencyMs} ms`,
    String(server.toolCount),
    server.error ? style.red(errorText(server.error)) : '',
  ]);
  return renderTable(['SERVER', 'TRANSPORT', 'STATUS', 'LATENCY', 'TOOLS', 'ERROR'], rows, style, 100);
}

function renderTools(tools: ToolInfo[], style: Style): string {
  if (tools.length === 0) return style.dim('No tools.');
  const rows = tools.map((tool) => [tool.name, tool.server, firstLine(tool.description)]);
  return renderTable(['TOOL', 'SERVER', 'DESCRIPTION'], rows, style, 70);
}

function serverJson(server: ServerInfo) {
  return {
    name: server.name,
    transport: server.connectedTransport ?? server.transport,
    status: server.status,
    connectLatencyMs: server.connectLatencyMs ?? null,
    toolCount: server.toolCount,
    error: server.error ?? null,
    serverVersion: server.serverVersion ?? null,
    protocolVersion: server.protocolVersion ?? null,
  };
}

function toolJson(tool: ToolInfo) {
  return {
    name: tool.name,
    server: tool.server,
    serverToolName: tool.serverToolName,
    status: tool.status,
    description: tool.description,
    inputSchema: tool.inputSchema,
    ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
    ...(tool.annotations ? { annotations: tool.annotations } : {}),
  };
}

/** A configuration problem shows its path and what is wrong (the row names the server already). */
function errorText(error: NonNullable<ServerInfo['error']>): string {
  const [first, ...rest] = error.issues ?? [];
  if (!first) return firstLine(error.message);
  return `${first.path}: ${first.message}${rest.length > 0 ? ` (+${rest.length} more)` : ''}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
