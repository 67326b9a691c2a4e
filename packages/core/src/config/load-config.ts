/**
 * `loadConfig(path)`: reads an MCP configuration file (the desktop clients' `mcpServers` JSON,
 * VS Code's `servers` JSONC, or ours), validates it, and returns options for `createRegistry`.
 * Node-only: the file system is imported on call, so the root entry stays runtime-neutral.
 */
import { ConfigError } from '../errors/config-error.js';
import { isPlainObject } from './expand-env.js';
import { parseServersConfig, type ServersConfigInput } from './parse-config.js';
import { parseJSONC, syntaxIssues } from './parse-jsonc.js';
import { prepareServersConfig } from './prepare-config.js';
import { didYouMean, findUnknownKeys, unknownKeyError } from './unknown-keys.js';

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
  /**
   * `false` (default): throw only for problems that concern the whole file (unreadable, not
   * JSONC, not an object, no servers, a top-level option wrong); a problem in one server's entry
   * is left to `createRegistry`, which fails just that server. `true`: throw for every problem,
   * all listed at once (to check a file before deploying it).
   */
  strict?: boolean;
}

/**
 * Reads and validates a config file. Throws `ConfigError` (`CONFIG_INVALID`) naming the file and
 * the path (and for syntax errors the line and column) of every problem; see `strict` for which.
 *
 * @example
 * ```ts
 * const registry = await createRegistry({ ...(await loadConfig('./mcp.json')), loading: 'eager' });
 * ```
 */
export async function loadConfig(path: string, options: LoadConfigOptions = {}): Promise<ServersConfigInput> {
  const { readFile } = await import('#node-files');
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
  const parsed = parseJSONC(text);
  if (parsed.errors.length > 0) {
    throw new ConfigError({ source: path, issues: syntaxIssues(parsed.errors, path) });
  }
  const data = parsed.value;
  if (!isPlainObject(data)) {
    throw new ConfigError({ source: path, issues: [{ path: '', message: 'expected a JSON object' }] });
  }
  const config: Record<string, unknown> = {};
  for (const key of fileKeys) if (data[key] !== undefined) config[key] = data[key];
  // Other keys are the desktop app's own settings, ignored; but one of ours spelt another way
  // (`mcpservers`, `callTimeoutMS`) is a mistake, not an app setting.
  const unknown = findUnknownKeys(data, fileKeys, []);
  const respelt = unknown.filter((key) => key.respelt).map((key) => unknownKeyError(key));
  if (respelt.length > 0) throw new ConfigError({ source: path, issues: respelt });
  if (config.servers === undefined && config.mcpServers === undefined && config.serverJson === undefined) {
    const near = unknown.find((key) => key.suggestions.length > 0);
    const hint = near ? `; found "${near.key}":${didYouMean(near.suggestions)}` : '';
    throw new ConfigError({
      source: path,
      issues: [{ path: '', message: `no "mcpServers", "servers" or "serverJson" found${hint}` }],
    });
  }
  // server.json files named in the file are relative to it; hand them on as absolute paths.
  const { dirname, isAbsolute, resolve } = await import('#node-files');
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
  parseServersConfig(input, {
    source: path,
    prepared,
    deferProviders: true,
    strict: options.strict ?? false,
  });
  return config as ServersConfigInput;
}
