/**
 * `loadConfig(path)`: reads an MCP configuration file (the desktop clients' `mcpServers` JSON,
 * VS Code's `servers` JSONC, or ours), validates it, and returns options for `createRegistry`.
 * Node-only: the file system is imported on call, so the root entry stays runtime-neutral.
 */
import { ConfigError } from '../errors/config-error.js';
import { isPlainObject } from './expand-env.js';
import { parseServersConfig, type ServersConfigInput } from './parse-config.js';

/** Keys we read from a config file; anything else (a desktop app's own settings) is ignored. */
const fileKeys = ['servers', 'mcpServers', 'naming', 'connectTimeoutMs', 'callTimeoutMs'] as const;

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
  if (config.servers === undefined && config.mcpServers === undefined) {
    throw new ConfigError({
      source: path,
      issues: [{ path: '', message: 'no "mcpServers" or "servers" object found' }],
    });
  }
  // Validate now so the error names the file; createRegistry validates again (cheap) with its own env.
  parseServersConfig({ ...config, ...(options.env ? { env: options.env } : {}) }, { source: path });
  return config as ServersConfigInput;
}

/** Removes `//` and `/* *\/` comments and trailing commas outside strings (VS Code's JSONC). */
export function stripJsonComments(text: string): string {
  let result = '';
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    const next = text[index + 1];
    if (inString) {
      result += char;
      if (char === '\\') {
        result += next ?? '';
        index++;
      } else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      result += char;
    } else if (char === '/' && next === '/') {
      while (index < text.length && text[index] !== '\n') index++;
      result += '\n';
    } else if (char === '/' && next === '*') {
      index += 2;
      while (index < text.length && !(text[index] === '*' && text[index + 1] === '/')) index++;
      index++;
    } else if (char === ',' && /^\s*[}\]]/.test(text.slice(index + 1, index + 200))) {
      // Trailing comma: JSON.parse rejects it, JSONC allows it.
    } else {
      result += char;
    }
  }
  return result;
}
