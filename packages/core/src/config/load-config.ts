/**
 * `loadConfig(path)`: reads an MCP configuration file (the desktop clients' `mcpServers` JSON,
 * VS Code's `servers` JSONC, or ours), validates it, and returns options for `createRegistry`.
 * Node-only: the file system is imported on call, so the root entry stays runtime-neutral.
 */
import { ConfigError } from '../errors/config-error.js';
import { isPlainObject } from './expand-env.js';
import { stripJsonComments } from './json-comments.js';

export { stripJsonComments };

import { parseServersConfig, type ServersConfigInput } from './parse-config.js';
import { prepareServersConfig } from './prepare-config.js';

/** Keys we read from a config file; anything else (a desktop app's own settings) is ignored. */
const fileKeys = [
  'servers',
  'mcpServers',
  'serverJson',
  'naming',
  'connectTimeoutMs',
  'callTimeoutMs',
] as const;

export interface LoadConfigOptions {
  /** Variables for `${VAR}` expansion during validation. Default: `process.env`. */
  env?: ServersConfigInput['env'];
}

/**
 * Reads and validates a config file. Throws `ConfigError` (`CONFIG_INVALID`) naming the file and
 * the path of every problem.
 *
 * @example
 * ```ts
 * const registry = await createRegistry({ ...(await loadConfig('./mcp.json')), loading: 'eager' });
 * ```
 */
export async function loadConfig(path: string, options: LoadConfigOptions = {}): Promise<ServersConfigInput> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'file not found'
        : String((error as Error).message);
    throw new ConfigError({
      source: path,
      issues: [{ path: '', message: `cannot read config: ${reason}` }],
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(stripJsonComments(text));
  } catch (error) {
    throw new ConfigError({
      source: path,
      issues: [{ path: '', message: `not valid JSON: ${(error as Error).message}` }],
      cause: error,
    });
  }
  if (!isPlainObject(data)) {
    throw new ConfigError({ source: path, issues: [{ path: '', message: 'expected a JSON object' }] });
  }
  const config: Record<string, unknown> = {};
  for (const key of fileKeys) if (data[key] !== undefined) config[key] = data[key];
  if (config.servers === undefined && config.mcpServers === undefined && config.serverJson === undefined) {
    throw new ConfigError({
      source: path,
      issues: [{ path: '', message: 'no "mcpServers", "servers" or "serverJson" found' }],
    });
  }
  // server.json files named in the file are relative to it; hand them on as absolute paths.
  const { dirname, isAbsolute, resolve } = await import('node:path');
  const baseDirectory = dirname(resolve(path));
  const anchor = (file: unknown) =>
    typeof file === 'string' && !isAbsolute(file) ? resolve(baseDirectory, file) : file;
  if (config.serverJson !== undefined) {
    const anchorSource = (source: unknown) =>
      isPlainObject(source) && typeof source.path === 'string'
        ? { ...source, path: anchor(source.path) }
        : anchor(source);
    config.serverJson = Array.isArray(config.serverJson)
      ? config.serverJson.map(anchorSource)
      : anchorSource(config.serverJson);
  }
  // Validate now so the error names the file; createRegistry validates again (cheap) with its own
  // env, and runs the provider resolvers a file cannot hold.
  const input = { ...config, ...(options.env ? { env: options.env } : {}) };
  const prepared = await prepareServersConfig(input, { skipResolvers: true });
  parseServersConfig(input, { source: path, prepared, deferProviders: true });
  return config as ServersConfigInput;
}
