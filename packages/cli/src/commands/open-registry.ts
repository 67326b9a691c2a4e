/**
 * Shared by the commands: find and load the config, then create the registry with the live
 * progress display attached from the first event.
 */
import { ConfigError, createRegistry, loadConfig, type Registry, silentLogger } from '@toolwire/core';
import { defaultConfigFiles, findConfig } from '../config/find-config.js';
import { ProgressDisplay } from '../output/progress-display.js';
import { printServerLog } from '../output/server-log-lines.js';
import type { CliIO, Style } from '../output/terminal.js';
import { UsageError } from './usage-error.js';

export interface OpenRegistryOptions {
  config: string | undefined;
  /** Show connection progress on stderr. */
  progress: boolean;
  /** Print every log message servers send (from `debug` up) on stderr. */
  verbose?: boolean | undefined;
}

export async function openRegistry(io: CliIO, style: Style, options: OpenRegistryOptions): Promise<Registry> {
  const path = await findConfig(options.config, io.cwd);
  if (!path) {
    throw new UsageError(
      `No MCP configuration found. Pass --config <file>, or create one of: ${defaultConfigFiles.join(', ')}.\n` +
        `Example: { "mcpServers": { "everything": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-everything"] } } }`,
    );
  }
  const config = await loadConfig(path, { env: io.env });
  const names = [...Object.keys(config.mcpServers ?? {}), ...serverNamesOf(config.servers)];
  const display = options.progress ? new ProgressDisplay(io, style, names) : undefined;
  try {
    return await createRegistry(
      {
        ...config,
        env: io.env,
        logger: silentLogger,
        ...(options.verbose ? { serverLogLevel: 'debug' as const } : {}),
        listeners: {
          ...(display ? { 'server:status': (event) => display.update(event) } : {}),
          ...(options.verbose ? { 'server:log': (event) => printServerLog(io, style, event) } : {}),
        },
      },
      { source: path },
    );
  } finally {
    display?.stop();
  }
}

function serverNamesOf(servers: unknown): string[] {
  if (!servers) return [];
  if (Array.isArray(servers)) {
    return servers.map((item, index) => {
      const entry = item as { name?: unknown; toolId?: unknown };
      return typeof entry.name === 'string'
        ? entry.name
        : typeof entry.toolId === 'string'
          ? entry.toolId
          : `servers[${index}]`;
    });
  }
  return Object.keys(servers as Record<string, unknown>);
}

export function isConfigError(error: unknown): error is ConfigError {
  return ConfigError.isInstance(error);
}
