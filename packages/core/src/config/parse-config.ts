/**
 * Turns any accepted configuration shape into validated `ServerDefinition`s, collecting every
 * problem (with its exact path) instead of failing on the first.
 *
 * Problems are of two kinds. A problem inside one server's entry (an unset `${VAR}` in its
 * headers, a bad URL, a resolver that failed, a misspelt key) is that server's: with
 * `strict: false` the server is returned as failed, with a `ConfigError` of its own, and the
 * others are unaffected. A problem of the whole configuration (not an object, an unknown or
 * invalid top-level option, `naming`, `resolvers`, two servers with one name, an entry whose
 * name cannot be known) is fatal: one `ConfigError` lists it with every other problem.
 */
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors/config-error.js';
import { timeoutProblem } from '../util/deadline.js';
import { formatPath } from '../util/format-path.js';
import {
  namingSchema,
  type ServerEntryInput,
  type seedListEntrySchema,
  type seedToolEntrySchema,
} from './config-schema.js';
import { defaultEnv, type EnvSource, expandEnv, isPlainObject } from './expand-env.js';
import {
  type EntryDefaults,
  type EntryProblems,
  emptyProblems,
  listItemName,
  parseEntry,
  parseListItem,
  parseSeedListEntry,
  pushZodIssues,
} from './parse-server-entry.js';
import { parseServerJsonSources } from './parse-server-json-sources.js';
import type { PreparedServersConfig } from './prepare-config.js';
import { checkResolvers, type ProviderResolver } from './provider-resolvers.js';
import type { ServerDefinition } from './server-config.js';
import type { ServerJSONSource } from './server-json.js';
import { findUnknownKeys, unknownKeyError } from './unknown-keys.js';

export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
export const DEFAULT_CALL_TIMEOUT_MS = 60_000;
/** Default largest inbound message (bytes): 10 MiB, the MCP SDK's own stdio default. */
export const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/** How exposed tool names are formed: `<prefix><separator><tool>`. */
export interface NamingOptions {
  /**
   * `'always'` (default): every tool is prefixed with its server name; `'on-collision'`: only
   * tools whose name is taken by another server; `'never'`: no prefix, collisions get a suffix.
   */
  prefix?: 'always' | 'on-collision' | 'never';
  /** Between prefix and tool name. Default `__`. */
  separator?: string;
}

/** A server written in code or JSON: the `mcpServers` entry shape plus toolwire's options. */
export type ServerConfigInput = ServerEntryInput;

/** The seed shapes, accepted in a `servers` list. */
export type SeedListServerInput = z.input<typeof seedListEntrySchema>;
export type SeedToolServerInput = z.input<typeof seedToolEntrySchema>;
export type NamedServerConfigInput = ServerConfigInput & { name: string };
/** A provider entry by name: `{ customType: 'composio', config: { profile_id } }`, resolved by `resolvers`. */
export type ProviderServerInput = Omit<SeedListServerInput, 'name'>;
export type ServerListItemInput = SeedListServerInput | SeedToolServerInput | NamedServerConfigInput;

/** The server-related part of `createRegistry`'s options. */
export interface ServersConfigInput {
  /** Servers by name, or a list in one of the seed shapes (or `{ name, ...entry }`). */
  servers?: Record<string, ServerConfigInput | ProviderServerInput> | ServerListItemInput[];
  /** The desktop-client shape: `{ "mcpServers": { "name": { "command": … } } }`. */
  mcpServers?: Record<string, ServerConfigInput | ProviderServerInput>;
  naming?: NamingOptions;
  /** Default time allowed to connect to one server (ms). Default 30 s. */
  connectTimeoutMs?: number;
  /** Default time allowed for one tool call (ms). Default 60 s: no call can hang forever. */
  callTimeoutMs?: number;
  /**
   * Default largest message accepted from a server (bytes). Default 10 MiB. A bigger reply fails
   * its call with `RESULT_TOO_LARGE`; set it per server (`maxMessageBytes`) where results are big.
   */
  maxMessageBytes?: number;
  /** Variables for `${VAR}` expansion. Default: `process.env` where there is one. */
  env?: EnvSource;
  /**
   * Servers described by MCP Registry `server.json` documents: objects, file paths (read by
   * `createRegistry` and `loadConfig`), or `{ path | document, name?, prefer?, inputs?, … }`.
   */
  serverJson?: ServerJSONSource | ServerJSONSource[];
  /**
   * Resolvers for provider-specific entries (`{ customType: 'composio', config: { … } }`), by
   * type: each turns an entry into a connection (`{ url, headers }`, …). Run by `createRegistry`.
   */
  resolvers?: Record<string, ProviderResolver>;
}

export interface ParsedServersConfig {
  /** The servers that can be started. */
  servers: ServerDefinition[];
  /**
   * Servers whose own entry has problems (only with `strict: false`): the registry lists each as
   * `failed` with its `ConfigError` and never starts it.
   */
  failed: FailedServerConfig[];
  /** Problems that stop nothing: unknown keys in server entries, which are ignored. */
  warnings: ConfigIssue[];
  naming: Required<NamingOptions>;
  /** Every value `${VAR}` expansion took from the environment (secrets to the registry's redaction). */
  substitutedValues: string[];
}

/** A server whose own configuration has problems. */
export interface FailedServerConfig {
  /**
   * What could be read of it (transport, command or URL, `disabled`…), for describing it. It is
   * never started.
   */
  definition: ServerDefinition;
  /** `CONFIG_INVALID`, for this server: each problem with its path (never a value). */
  error: ConfigError;
}

export interface ParseConfigOptions {
  /** Where the config came from, for error messages. */
  source?: string | undefined;
  /** Top-level keys that other layers own and validate (e.g. `logger`); not reported as unknown. */
  extraKeys?: readonly string[];
  /**
   * What `prepareServersConfig()` read and resolved (`server.json` files, provider entries).
   * `createRegistry` and `loadConfig` pass it; without it, file paths in `serverJson` and
   * provider entries are reported as needing those.
   */
  prepared?: PreparedServersConfig | undefined;
  /** Leave provider entries unchecked (a config file cannot hold the resolvers). */
  deferProviders?: boolean | undefined;
  /**
   * `true` (default): any problem throws one `ConfigError` listing them all. `false`: a problem
   * in one server's entry fails only that server (see `ParsedServersConfig.failed`); problems
   * of the whole configuration still throw, listed with all the others.
   */
  strict?: boolean | undefined;
}

const ownKeys = [
  'servers',
  'mcpServers',
  'naming',
  'connectTimeoutMs',
  'callTimeoutMs',
  'maxMessageBytes',
  'env',
  'serverJson',
  'resolvers',
];

const namingKeys = Object.keys(namingSchema.shape);

/**
 * Validates a configuration. Throws `ConfigError` (`CONFIG_INVALID`) naming the path of every
 * problem; with `strict: false`, only for problems of the whole configuration.
 */
export function parseServersConfig(input: unknown, options: ParseConfigOptions = {}): ParsedServersConfig {
  const parsed = parseServerEntries(input, options);
  return {
    servers: parsed.entries.flatMap((entry) => (entry.error ? [] : [entry.definition])),
    failed: parsed.entries.flatMap((entry) =>
      entry.error ? [{ definition: entry.definition, error: entry.error }] : [],
    ),
    warnings: parsed.entries.flatMap((entry) => entry.warnings),
    naming: parsed.naming,
    substitutedValues: parsed.substitutedValues,
  };
}

/** One configured server, in configuration order: ready, or failed with its own error. */
export interface ParsedServerEntry {
  definition: ServerDefinition;
  error: ConfigError | undefined;
  /** Unknown keys in its entry, ignored. */
  warnings: ConfigIssue[];
}

/** `parseServersConfig`, keeping every server (ready or failed) in configuration order. */
export function parseServerEntries(
  input: unknown,
  options: ParseConfigOptions = {},
): { entries: ParsedServerEntry[]; naming: Required<NamingOptions>; substitutedValues: string[] } {
  if (!isPlainObject(input)) {
    throw new ConfigError({ source: options.source, issues: [{ path: '', message: 'expected an object' }] });
  }
  /** Every problem, in configuration order (what a thrown ConfigError lists). */
  const issues: ConfigIssue[] = [];
  /** Problems of the whole configuration. */
  const fatal = new Set<ConfigIssue>();
  const addFatal = (...found: ConfigIssue[]) => {
    for (const issue of found) {
      issues.push(issue);
      fatal.add(issue);
    }
  };

  const known = [...ownKeys, ...(options.extraKeys ?? [])];
  addFatal(...findUnknownKeys(input, known, []).map((key) => unknownKeyError(key, known, 'option')));

  const env = (input.env as EnvSource | undefined) ?? defaultEnv();
  const substituted = new Set<string>();
  const topLevel: ConfigIssue[] = [];
  const defaults: EntryDefaults = {
    connectTimeoutMs: readTimeout(input, 'connectTimeoutMs', DEFAULT_CONNECT_TIMEOUT_MS, topLevel),
    callTimeoutMs: readTimeout(input, 'callTimeoutMs', DEFAULT_CALL_TIMEOUT_MS, topLevel),
    maxMessageBytes: readMessageLimit(input, topLevel),
    providers: {
      resolvers: checkResolvers(input.resolvers, topLevel),
      prepared: options.prepared,
      defer: options.deferProviders ?? false,
    },
  };
  const naming = namingSchema.safeParse(input.naming ?? {});
  if (isPlainObject(input.naming)) {
    topLevel.push(
      ...findUnknownKeys(input.naming, namingKeys, ['naming']).map((key) => unknownKeyError(key, namingKeys)),
    );
  }
  if (!naming.success) pushZodIssues(topLevel, ['naming'], naming.error);
  addFatal(...topLevel);

  // Problems found while reading server.json files and running resolvers, each claimed by the
  // entry at its path; what no entry claims is fatal.
  const pending = [...(options.prepared?.issues ?? [])];
  const claim = (path: string): ConfigIssue[] => {
    const claimed = pending.filter((issue) => isWithin(issue.path, path));
    for (const issue of claimed) pending.splice(pending.indexOf(issue), 1);
    return claimed;
  };

  const entries: (ParsedServerEntry & { problems: EntryProblems })[] = [];
  const seen = new Map<string, string>();
  const record = (
    name: string | undefined,
    path: (string | number)[],
    problems: EntryProblems,
    definition: ServerDefinition | undefined,
    raw?: unknown,
  ) => {
    issues.push(...problems.issues);
    if (name === undefined) {
      // An entry without a name cannot be listed as a failed server: its problems are fatal.
      for (const issue of problems.issues) fatal.add(issue);
      return;
    }
    if (!definition && problems.issues.length === 0) return; // a provider entry left for later
    const configPath = definition?.configPath ?? formatPath(path);
    const previous = seen.get(name);
    if (previous !== undefined) {
      addFatal({
        path: configPath,
        message: `server name "${name}" is already used at ${previous}; server names must be unique`,
      });
      return;
    }
    seen.set(name, configPath);
    entries.push({
      definition:
        definition ??
        placeholderDefinition(name, configPath, isPlainObject(raw) && raw.disabled === true, defaults),
      error: undefined,
      warnings: problems.warnings,
      problems,
    });
  };

  for (const key of ['mcpServers', 'servers'] as const) {
    const raw = input[key];
    if (raw === undefined) continue;
    if (Array.isArray(raw)) {
      if (key === 'mcpServers') {
        addFatal({ path: key, message: 'expected an object of servers by name, not a list' });
        continue;
      }
      raw.forEach((item, index) => {
        const path = [key, index];
        const problems = emptyProblems();
        problems.issues.push(...claim(formatPath(path)));
        const expanded = expandEnv(item, env, problems.issues, path, substituted);
        const definition = parseListItem(expanded, path, defaults, problems);
        record(definition?.name ?? listItemName(expanded), path, problems, definition, expanded);
      });
    } else if (isPlainObject(raw)) {
      for (const [name, entry] of Object.entries(raw)) {
        const path = [key, name];
        const problems = emptyProblems();
        problems.issues.push(...claim(formatPath(path)));
        const expanded = expandEnv(entry, env, problems.issues, path, substituted);
        const definition =
          isPlainObject(expanded) && 'customType' in expanded
            ? parseSeedListEntry({ name, ...expanded }, path, defaults, problems)
            : parseEntry(name, expanded, path, defaults, problems);
        record(name, path, problems, definition, expanded);
      }
    } else {
      addFatal({ path: key, message: 'expected an object of servers by name or a list of servers' });
    }
  }

  parseServerJsonSources(input.serverJson, env, defaults, claim, record, substituted);

  // Unclaimed problems from reading and resolving come first, as they were found first.
  for (const issue of pending) fatal.add(issue);
  issues.unshift(...pending);

  const strict = options.strict ?? true;
  if (fatal.size > 0 || (strict && issues.length > 0)) {
    throw new ConfigError({ source: options.source, issues });
  }
  return {
    entries: entries.map(({ problems, ...entry }) => ({
      ...entry,
      error:
        problems.issues.length > 0
          ? new ConfigError({
              source: options.source,
              server: entry.definition.name,
              issues: problems.issues,
            })
          : undefined,
    })),
    naming: { prefix: naming.data?.prefix ?? 'always', separator: naming.data?.separator ?? '__' },
    substitutedValues: [...substituted],
  };
}

/** Whether config path `path` is `parent` or below it (`servers[1]` is not below `servers[10]`). */
function isWithin(path: string, parent: string): boolean {
  if (!path.startsWith(parent)) return false;
  const next = path[parent.length];
  return next === undefined || next === '.' || next === '[';
}

/**
 * Stands in for the definition of a server whose entry could not be read: enough to list it
 * (name, path, and `disabled` when the entry says so plainly) and nothing to start. Its
 * transport says nothing; it never connects.
 */
function placeholderDefinition(
  name: string,
  configPath: string,
  disabled: boolean,
  defaults: EntryDefaults,
): ServerDefinition {
  return {
    name,
    configPath,
    description: undefined,
    enabledTools: undefined,
    disabledTools: undefined,
    disabled,
    connectTimeoutMs: defaults.connectTimeoutMs,
    callTimeoutMs: defaults.callTimeoutMs,
    maxMessageBytes: defaults.maxMessageBytes,
    toolPrefix: undefined,
    session: 'shared',
    logLevel: undefined,
    protocol: 'auto',
    transport: 'auto',
    url: '',
    headers: undefined,
    auth: undefined,
  };
}

function readTimeout(
  input: Record<string, unknown>,
  key: string,
  fallback: number,
  issues: ConfigIssue[],
): number {
  const value = input[key];
  if (value === undefined) return fallback;
  const problem = timeoutProblem(value);
  if (problem !== undefined) {
    issues.push({ path: key, message: problem });
    return fallback;
  }
  return value as number;
}

function readMessageLimit(input: Record<string, unknown>, issues: ConfigIssue[]): number {
  const value = input.maxMessageBytes;
  if (value === undefined) return DEFAULT_MAX_MESSAGE_BYTES;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > 2 ** 30) {
    issues.push({
      path: 'maxMessageBytes',
      message: `expected a whole number of bytes from 1 to 1073741824 (1 GiB), got ${JSON.stringify(value)}`,
    });
    return DEFAULT_MAX_MESSAGE_BYTES;
  }
  return value;
}
