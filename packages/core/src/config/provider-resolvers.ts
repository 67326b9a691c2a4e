/**
 * Hosted providers: a server entry of a provider-specific type (the seed's
 * `{ customType: 'composio', config: { profile_id } }`, or any type you name) is turned into a
 * connection (URL, headers, auth, or a command) by a resolver you register:
 * `createRegistry({ resolvers: { composio: async (entry) => ({ url, headers }) } })`.
 *
 * Resolvers run once at start, in parallel, each bounded by the connect timeout. What a resolver
 * returns is validated like any server entry, and every problem (a resolver that throws, times
 * out, or returns a bad connection) is a config issue naming the entry's path.
 */
import type { ConfigIssue } from '../errors/config-error.js';
import { ToolwireError } from '../errors/toolwire-error.js';
import { formatPath } from '../util/format-path.js';
import type { ServerEntryInput } from './config-schema.js';
import { type EnvSource, expandEnv, isPlainObject } from './expand-env.js';

/** `customType`s that are transports, not providers. */
export const BUILT_IN_CUSTOM_TYPES = ['sse', 'http', 'json'] as const;

/** A provider-specific server entry, as a resolver receives it (`${VAR}`s already expanded). */
export interface ProviderEntry {
  /** The server's name in the registry. */
  name: string;
  /** The provider type (`customType`), e.g. `'composio'`. */
  type: string;
  /** The entry's `config` object, e.g. `{ profile_id: 'prof_123' }`. */
  config: Record<string, unknown>;
  /** Where the entry is in the configuration, e.g. `servers[2]`. */
  path: string;
}

/** What a resolver receives besides the entry. */
export interface ProviderResolverContext {
  /** Aborted when the resolver runs past the connect timeout (or the start is abandoned). */
  signal: AbortSignal;
  /** The variables `${VAR}` expansion uses. */
  env: EnvSource;
}

/**
 * How to reach the server: a server entry (`url` with `headers`/`auth`, or `command`/`args`),
 * plus any per-server option (`callTimeoutMs`, `session`, …).
 */
export type ResolvedConnection = ServerEntryInput;

/** Turns a provider entry into a connection. Throw (ideally a `ToolwireError`) when it cannot. */
export type ProviderResolver = (
  entry: ProviderEntry,
  context: ProviderResolverContext,
) => ResolvedConnection | Promise<ResolvedConnection>;

/** What resolving produced for one entry, keyed by its config path. */
export type ResolvedEntries = Map<string, { type: string; connection: unknown }>;

/** A provider entry found in the configuration. */
interface FoundEntry {
  name: string;
  type: string;
  config: Record<string, unknown>;
  path: (string | number)[];
}

/** How to register a resolver, for messages about an unknown type. */
export function registerHint(type: string): string {
  return `register a resolver for it: createRegistry({ resolvers: { ${JSON.stringify(type)}: async (entry) => ({ url, headers }) } })`;
}

/** Checks the `resolvers` option: an object of functions, none named like a built-in type. */
export function checkResolvers(value: unknown, issues: ConfigIssue[]): Record<string, ProviderResolver> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    issues.push({ path: 'resolvers', message: 'expected an object of resolver functions by provider type' });
    return {};
  }
  const resolvers: Record<string, ProviderResolver> = {};
  for (const [type, resolver] of Object.entries(value)) {
    if (typeof resolver !== 'function') {
      issues.push({
        path: formatPath(['resolvers', type]),
        message: 'expected a function (entry, context) => connection',
      });
    } else if ((BUILT_IN_CUSTOM_TYPES as readonly string[]).includes(type)) {
      issues.push({
        path: formatPath(['resolvers', type]),
        message: `"${type}" is a built-in customType and cannot be replaced`,
      });
    } else {
      resolvers[type] = resolver as ProviderResolver;
    }
  }
  return resolvers;
}

/** Provider entries in `servers` (list items and entries by name) and `mcpServers` (by name). */
function findProviderEntries(input: Record<string, unknown>, env: EnvSource): FoundEntry[] {
  const found: FoundEntry[] = [];
  const consider = (item: unknown, name: unknown, path: (string | number)[]) => {
    if (!isPlainObject(item) || typeof item.customType !== 'string') return;
    if ((BUILT_IN_CUSTOM_TYPES as readonly string[]).includes(item.customType)) return;
    const scratch: ConfigIssue[] = [];
    const expanded = expandEnv(item, env, scratch, path) as Record<string, unknown>;
    // Entries with problems of their own are reported by the parser; resolvers never see them.
    if (scratch.length > 0 || typeof name !== 'string' || name === '') return;
    if (expanded.config !== undefined && !isPlainObject(expanded.config)) return;
    found.push({
      name,
      type: item.customType,
      config: (expanded.config as Record<string, unknown> | undefined) ?? {},
      path,
    });
  };
  for (const key of ['servers', 'mcpServers'] as const) {
    const raw = input[key];
    if (Array.isArray(raw) && key === 'servers') {
      raw.forEach((item, index) => {
        consider(item, isPlainObject(item) ? item.name : undefined, [key, index]);
      });
    } else if (isPlainObject(raw)) {
      for (const [name, item] of Object.entries(raw)) consider(item, name, [key, name]);
    }
  }
  return found;
}

/**
 * Runs the registered resolvers for every provider entry, in parallel, each within `timeoutMs`.
 * Entries without a resolver are left for the parser to report.
 */
export async function resolveProviderEntries(
  input: Record<string, unknown>,
  resolvers: Record<string, ProviderResolver>,
  options: { env: EnvSource; timeoutMs: number },
  issues: ConfigIssue[],
): Promise<ResolvedEntries> {
  const resolved: ResolvedEntries = new Map();
  const entries = findProviderEntries(input, options.env).filter((entry) => resolvers[entry.type]);
  await Promise.all(
    entries.map(async (entry) => {
      const path = formatPath(entry.path);
      const resolver = resolvers[entry.type]!;
      const controller = new AbortController();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(
            new ToolwireError({
              code: 'TIMEOUT',
              server: entry.name,
              message: `did not answer within ${options.timeoutMs} ms`,
            }),
          );
        }, options.timeoutMs);
      });
      try {
        const connection = await Promise.race([
          Promise.resolve().then(() =>
            resolver(
              { name: entry.name, type: entry.type, config: entry.config, path },
              { signal: controller.signal, env: options.env },
            ),
          ),
          deadline,
        ]);
        if (!isPlainObject(connection)) {
          issues.push({
            path,
            message: `the "${entry.type}" resolver returned ${connection === null ? 'null' : typeof connection}; expected a connection such as { url, headers }`,
          });
          return;
        }
        resolved.set(path, { type: entry.type, connection });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        issues.push({ path, message: `the "${entry.type}" resolver failed: ${reason}` });
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return resolved;
}
