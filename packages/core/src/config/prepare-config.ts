/**
 * The asynchronous half of reading a configuration, done before the (synchronous) parse:
 * `server.json` files named in `serverJson` are read, and provider entries are resolved by their
 * registered resolvers. Its problems go to the parser, which gives each to the server entry at
 * its path (that server fails) or, when no entry claims it, to the whole configuration.
 */
import type { ConfigIssue } from '../errors/config-error.js';
import { defaultEnv, type EnvSource, isPlainObject } from './expand-env.js';
import { readServerJsonFile } from './load-server-json.js';
import { checkResolvers, type ResolvedEntries, resolveProviderEntries } from './provider-resolvers.js';

/** What `prepareServersConfig` read and resolved, for `parseServersConfig`. */
export interface PreparedServersConfig {
  /** `server.json` files read, by their position in `serverJson`. */
  serverJsonFiles: Map<number, { value: unknown; origin: string }>;
  /** Provider entries resolved, by config path. */
  resolved: ResolvedEntries;
  /** Problems found while reading and resolving. */
  issues: ConfigIssue[];
}

export interface PrepareServersConfigOptions {
  /** Relative `serverJson` file paths are read from here. Default: the working directory. */
  baseDirectory?: string | undefined;
  /** Skip the resolvers (a config file cannot hold functions; `createRegistry` runs them). */
  skipResolvers?: boolean | undefined;
  /** Bound on each resolver (ms). Default: the config's `connectTimeoutMs`, else 30 s. */
  resolverTimeoutMs?: number | undefined;
}

const DEFAULT_RESOLVER_TIMEOUT_MS = 30_000;

/** Reads `serverJson` files and runs provider resolvers; never throws for the config's problems. */
export async function prepareServersConfig(
  input: unknown,
  options: PrepareServersConfigOptions = {},
): Promise<PreparedServersConfig> {
  const prepared: PreparedServersConfig = { serverJsonFiles: new Map(), resolved: new Map(), issues: [] };
  if (!isPlainObject(input)) return prepared;
  const env = (input.env as EnvSource | undefined) ?? defaultEnv();

  const sources =
    input.serverJson === undefined
      ? []
      : Array.isArray(input.serverJson)
        ? input.serverJson
        : [input.serverJson];
  const single = !Array.isArray(input.serverJson);
  const reads = sources.map(async (source, index) => {
    const file =
      typeof source === 'string'
        ? source
        : isPlainObject(source) && typeof source.path === 'string'
          ? source.path
          : undefined;
    if (file === undefined) return;
    const path = single ? ['serverJson'] : ['serverJson', index];
    const location = await absolute(file, options.baseDirectory);
    const value = await readServerJsonFile(
      location,
      typeof source === 'string' ? path : [...path, 'path'],
      prepared.issues,
    );
    if (value !== undefined) prepared.serverJsonFiles.set(index, { value, origin: file });
  });

  const scratch: ConfigIssue[] = [];
  const resolvers = options.skipResolvers ? {} : checkResolvers(input.resolvers, scratch);
  const timeoutMs =
    options.resolverTimeoutMs ??
    (typeof input.connectTimeoutMs === 'number' && input.connectTimeoutMs > 0
      ? input.connectTimeoutMs
      : DEFAULT_RESOLVER_TIMEOUT_MS);
  const resolving = resolveProviderEntries(input, resolvers, { env, timeoutMs }, prepared.issues);

  await Promise.all(reads);
  prepared.resolved = await resolving;
  return prepared;
}

async function absolute(file: string, baseDirectory: string | undefined): Promise<string> {
  const { isAbsolute, resolve } = await import('#node-files');
  if (isAbsolute(file)) return file;
  return baseDirectory === undefined ? resolve(file) : resolve(baseDirectory, file);
}
