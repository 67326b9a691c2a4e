/**
 * Turns any accepted configuration shape into validated `ServerDefinition`s, collecting every
 * problem (with its exact path) into one `ConfigError` instead of failing on the first.
 */
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors/config-error.js';
import { timeoutProblem } from '../util/deadline.js';
import { formatPath } from '../util/format-path.js';
import {
  namingSchema,
  type ServerEntryInput,
  seedListEntrySchema,
  seedToolEntrySchema,
  serverEntrySchema,
  serverJsonSourceSchema,
} from './config-schema.js';
import { defaultEnv, type EnvSource, expandEnv, isPlainObject } from './expand-env.js';
import type { PreparedServersConfig } from './prepare-config.js';
import {
  BUILT_IN_CUSTOM_TYPES,
  checkResolvers,
  type ProviderResolver,
  registerHint,
} from './provider-resolvers.js';
import type { HttpServerDefinition, ServerDefinition, StdioServerDefinition } from './server-config.js';
import { documentsIn, type ServerJSONSource, serverJsonToEntry } from './server-json.js';

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
  servers: ServerDefinition[];
  naming: Required<NamingOptions>;
  /** Every value `${VAR}` expansion took from the environment (secrets to the registry's redaction). */
  substitutedValues: string[];
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

export function parseServersConfig(input: unknown, options: ParseConfigOptions = {}): ParsedServersConfig {
  const issues: ConfigIssue[] = [];
  if (!isPlainObject(input)) {
    throw new ConfigError({ source: options.source, issues: [{ path: '', message: 'expected an object' }] });
  }
  const known = new Set([...ownKeys, ...(options.extraKeys ?? [])]);
  for (const key of Object.keys(input)) {
    if (!known.has(key)) {
      issues.push({
        path: formatPath([key]),
        message: `unknown option; expected one of ${[...known].join(', ')}`,
      });
    }
  }

  const env = (input.env as EnvSource | undefined) ?? defaultEnv();
  const substituted = new Set<string>();
  const defaults: Defaults = {
    connectTimeoutMs: readTimeout(input, 'connectTimeoutMs', DEFAULT_CONNECT_TIMEOUT_MS, issues),
    callTimeoutMs: readTimeout(input, 'callTimeoutMs', DEFAULT_CALL_TIMEOUT_MS, issues),
    maxMessageBytes: readMessageLimit(input, issues),
    providers: {
      resolvers: checkResolvers(input.resolvers, issues),
      prepared: options.prepared,
      defer: options.deferProviders ?? false,
    },
  };
  issues.push(...(options.prepared?.issues ?? []));

  const naming = namingSchema.safeParse(input.naming ?? {});
  if (!naming.success) pushZodIssues(issues, ['naming'], naming.error);

  const servers: ServerDefinition[] = [];
  const seen = new Map<string, string>();
  const add = (definition: ServerDefinition | undefined) => {
    if (!definition) return;
    const previous = seen.get(definition.name);
    if (previous !== undefined) {
      issues.push({
        path: definition.configPath,
        message: `server name "${definition.name}" is already used at ${previous}; server names must be unique`,
      });
      return;
    }
    seen.set(definition.name, definition.configPath);
    servers.push(definition);
  };

  for (const key of ['mcpServers', 'servers'] as const) {
    const raw = input[key];
    if (raw === undefined) continue;
    if (Array.isArray(raw)) {
      if (key === 'mcpServers') {
        issues.push({ path: key, message: 'expected an object of servers by name, not a list' });
        continue;
      }
      raw.forEach((item, index) => {
        add(
          parseListItem(
            expandEnv(item, env, issues, [key, index], substituted),
            [key, index],
            defaults,
            issues,
          ),
        );
      });
    } else if (isPlainObject(raw)) {
      for (const [name, entry] of Object.entries(raw)) {
        const path = [key, name];
        const expanded = expandEnv(entry, env, issues, path, substituted);
        if (isPlainObject(expanded) && 'customType' in expanded) {
          add(parseSeedListEntry({ name, ...expanded }, path, defaults, issues));
        } else {
          add(parseEntry(name, expanded, path, defaults, issues));
        }
      }
    } else {
      issues.push({ path: key, message: 'expected an object of servers by name or a list of servers' });
    }
  }

  for (const entry of parseServerJsonSources(input.serverJson, env, defaults, issues, substituted))
    add(entry);

  if (issues.length > 0) throw new ConfigError({ source: options.source, issues });
  return {
    servers,
    naming: { prefix: naming.data?.prefix ?? 'always', separator: naming.data?.separator ?? '__' },
    substitutedValues: [...substituted],
  };
}

interface Defaults {
  connectTimeoutMs: number;
  callTimeoutMs: number;
  maxMessageBytes: number;
  providers: {
    resolvers: Record<string, ProviderResolver>;
    prepared: PreparedServersConfig | undefined;
    defer: boolean;
  };
}

function parseListItem(
  item: unknown,
  path: (string | number)[],
  defaults: Defaults,
  issues: ConfigIssue[],
): ServerDefinition | undefined {
  if (!isPlainObject(item)) {
    issues.push({ path: formatPath(path), message: 'expected a server object' });
    return undefined;
  }
  if ('executionType' in item) return parseSeedTool(item, path, defaults, issues);
  if ('customType' in item) return parseSeedListEntry(item, path, defaults, issues);
  const { name, ...entry } = item;
  if (typeof name !== 'string' || name === '') {
    issues.push({
      path: formatPath([...path, 'name']),
      message: 'each server in a list needs a non-empty "name"',
    });
    return undefined;
  }
  return parseEntry(name, entry, path, defaults, issues);
}

function parseSeedListEntry(
  item: Record<string, unknown>,
  path: (string | number)[],
  defaults: Defaults,
  issues: ConfigIssue[],
): ServerDefinition | undefined {
  const parsed = seedListEntrySchema.safeParse(item);
  if (!parsed.success) {
    pushZodIssues(issues, path, parsed.error);
    return undefined;
  }
  const { name, customType, config = {}, enabledTools, disabledTools } = parsed.data;
  const transportByType: Record<string, string> = { sse: 'sse', http: 'streamable-http', json: 'stdio' };
  const transport = transportByType[customType];
  if (transport === undefined) return parseProviderEntry(parsed.data, path, defaults, issues);
  const entry = { ...config, type: transport, enabledTools, disabledTools };
  return parseEntry(name, entry, [...path, 'config'], defaults, issues, path);
}

/**
 * A provider entry (`customType` other than a transport): the connection its resolver returned,
 * checked like any entry. Problems name the entry's path and the resolver.
 */
function parseProviderEntry(
  item: {
    name: string;
    customType: string;
    enabledTools?: string[] | undefined;
    disabledTools?: string[] | undefined;
  },
  path: (string | number)[],
  defaults: Defaults,
  issues: ConfigIssue[],
): ServerDefinition | undefined {
  const { resolvers, prepared, defer } = defaults.providers;
  const type = item.customType;
  const at = formatPath(path);
  const resolved = prepared?.resolved.get(at);
  if (!resolved) {
    if (defer) return undefined;
    if (!resolvers[type]) {
      issues.push({
        path: formatPath([...path, 'customType']),
        message: `unknown customType "${type}"; built-in types are ${BUILT_IN_CUSTOM_TYPES.join(', ')}. For a hosted provider, ${registerHint(type)}`,
      });
    } else if (!prepared) {
      issues.push({
        path: at,
        message: `customType "${type}" is resolved by createRegistry(); parseServersConfig() does not run resolvers`,
      });
    }
    // Otherwise the resolver failed and prepareServersConfig() has said so.
    return undefined;
  }
  const own: ConfigIssue[] = [];
  const connection = resolved.connection as Record<string, unknown>;
  const entry = {
    ...connection,
    enabledTools: item.enabledTools ?? connection.enabledTools,
    disabledTools: item.disabledTools ?? connection.disabledTools,
  };
  const definition = parseEntry(item.name, entry, [], defaults, own);
  for (const issue of own) {
    issues.push({
      path: at,
      message: `the "${type}" resolver returned an invalid connection: ${issue.path ? `${issue.path}: ` : ''}${issue.message}`,
    });
  }
  if (!definition) return undefined;
  return { ...definition, configPath: at };
}

/** Servers from `serverJson`: documents, files read by `prepareServersConfig()`, or either with options. */
function parseServerJsonSources(
  raw: unknown,
  env: EnvSource,
  defaults: Defaults,
  issues: ConfigIssue[],
  substituted: Set<string>,
): ServerDefinition[] {
  if (raw === undefined) return [];
  const single = !Array.isArray(raw);
  const sources: unknown[] = single ? [raw] : raw;
  const definitions: ServerDefinition[] = [];
  sources.forEach((source, index) => {
    const path: (string | number)[] = single ? ['serverJson'] : ['serverJson', index];
    let value: unknown;
    let origin: string | undefined;
    let options: z.output<typeof serverJsonSourceSchema> = {};
    const file = defaults.providers.prepared?.serverJsonFiles.get(index);
    if (typeof source === 'string' || (isPlainObject(source) && ('path' in source || 'document' in source))) {
      if (isPlainObject(source)) {
        const { document, ...rest } = source;
        const checked = serverJsonSourceSchema.safeParse({
          ...(expandEnv(rest, env, issues, path, substituted) as object),
          document,
        });
        if (!checked.success) {
          pushZodIssues(issues, path, checked.error);
          return;
        }
        options = checked.data;
        if (options.path !== undefined && options.document !== undefined) {
          issues.push({ path: formatPath(path), message: 'give either "path" or "document", not both' });
          return;
        }
      }
      if (options.document !== undefined) {
        value = options.document;
      } else if (file) {
        value = file.value;
        origin = file.origin;
      } else if (!defaults.providers.prepared) {
        issues.push({
          path: formatPath(path),
          message:
            'server.json files are read by createRegistry() and loadConfig(); parseServersConfig() takes documents only',
        });
        return;
      } else {
        return; // The file could not be read; prepareServersConfig() has said why.
      }
    } else if (isPlainObject(source)) {
      value = source;
    } else {
      issues.push({
        path: formatPath(path),
        message:
          'expected a server.json document, a file path, or { path | document, name?, prefer?, inputs? }',
      });
      return;
    }

    const { path: _file, document: _document, name, prefer, inputs, ...extra } = options;
    const documents = documentsIn(value, path);
    if (name !== undefined && documents.length > 1) {
      issues.push({
        path: formatPath([...path, 'name']),
        message: `"name" names one server, but this source lists ${documents.length}`,
      });
      return;
    }
    for (const { document, path: documentPath } of documents) {
      const made = serverJsonToEntry(
        document,
        documentPath,
        { name, prefer, inputs, extra, env, ...(origin === undefined ? {} : { origin }) },
        issues,
      );
      if (!made) continue;
      const definition = parseEntry(made.name, made.entry, made.path, defaults, issues);
      if (definition) definitions.push(definition);
    }
  });
  return definitions;
}

function parseSeedTool(
  item: Record<string, unknown>,
  path: (string | number)[],
  defaults: Defaults,
  issues: ConfigIssue[],
): ServerDefinition | undefined {
  const parsed = seedToolEntrySchema.safeParse(item);
  if (!parsed.success) {
    pushZodIssues(issues, path, parsed.error);
    return undefined;
  }
  const { name, toolId, url, auth, headers, description, enabledTools, disabledTools } = parsed.data;
  const serverName = name ?? toolId ?? new URL(url).hostname.replace(/[^A-Za-z0-9_-]/g, '_');
  const entry: Record<string, unknown> = { url, headers, description, enabledTools, disabledTools };
  if (auth !== undefined) {
    // The seed writes client credentials without a `type`; name it so the auth schema can check it.
    entry.auth =
      isPlainObject(auth) && auth.type === undefined && 'clientId' in auth
        ? { type: 'client_credentials', ...auth }
        : auth;
  }
  return parseEntry(serverName, entry, path, defaults, issues);
}

function parseEntry(
  name: string,
  raw: unknown,
  path: (string | number)[],
  defaults: Defaults,
  issues: ConfigIssue[],
  definitionPath: (string | number)[] = path,
): ServerDefinition | undefined {
  const parsed = serverEntrySchema.safeParse(raw);
  if (!parsed.success) {
    pushZodIssues(issues, path, parsed.error);
    return undefined;
  }
  const entry = parsed.data;
  const at = (key: string) => formatPath([...path, key]);
  const kind = normalizeTransport(entry.type ?? entry.transport);
  if (
    entry.type &&
    entry.transport &&
    normalizeTransport(entry.type) !== normalizeTransport(entry.transport)
  ) {
    issues.push({ path: at('transport'), message: `conflicts with type "${entry.type}"; give one of them` });
    return undefined;
  }
  if (entry.command !== undefined && entry.url !== undefined) {
    issues.push({
      path: formatPath(path),
      message: 'has both "command" and "url"; a server is either stdio (command) or HTTP (url)',
    });
    return undefined;
  }

  const base = {
    name,
    configPath: formatPath(definitionPath),
    description: entry.description,
    enabledTools: entry.enabledTools,
    disabledTools: entry.disabledTools,
    disabled: entry.disabled ?? false,
    connectTimeoutMs: entry.connectTimeoutMs ?? defaults.connectTimeoutMs,
    callTimeoutMs: entry.callTimeoutMs ?? defaults.callTimeoutMs,
    maxMessageBytes: entry.maxMessageBytes ?? defaults.maxMessageBytes,
    toolPrefix: entry.toolPrefix,
    session: entry.session ?? 'shared',
  };

  if (kind === 'stdio' || (kind === undefined && entry.command !== undefined)) {
    if (entry.command === undefined) {
      issues.push({ path: at('command'), message: 'a stdio server needs "command"' });
      return undefined;
    }
    for (const key of ['url', 'headers', 'auth'] as const) {
      if (entry[key] !== undefined)
        issues.push({ path: at(key), message: 'only applies to HTTP servers, not stdio' });
    }
    const definition: StdioServerDefinition = {
      ...base,
      transport: 'stdio',
      // Spawning a probe sibling per connect doubles start-up cost for stdio; 2025 handshake by default.
      protocol: entry.protocol ?? 'legacy',
      command: entry.command,
      args: entry.args ?? [],
      env: entry.env ?? {},
      cwd: entry.cwd,
      stderr: entry.stderr ?? 'pipe',
    };
    return definition;
  }

  if (entry.url === undefined) {
    const message =
      kind === undefined
        ? 'needs either "command" (a stdio server) or "url" (a Streamable HTTP or SSE server)'
        : `a ${kind} server needs "url"`;
    issues.push({ path: kind === undefined ? formatPath(path) : at('url'), message });
    return undefined;
  }
  for (const key of ['command', 'args', 'env', 'cwd', 'stderr'] as const) {
    if (entry[key] !== undefined)
      issues.push({ path: at(key), message: 'only applies to stdio servers, not HTTP' });
  }
  const definition: HttpServerDefinition = {
    ...base,
    transport: kind ?? 'auto',
    protocol: entry.protocol ?? 'auto',
    url: entry.url,
    headers: entry.headers as HttpServerDefinition['headers'],
    auth: entry.auth,
  };
  return definition;
}

function normalizeTransport(name: string | undefined): 'stdio' | 'streamable-http' | 'sse' | undefined {
  if (name === undefined) return undefined;
  if (name === 'stdio') return 'stdio';
  if (name === 'sse') return 'sse';
  return 'streamable-http';
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

function pushZodIssues(issues: ConfigIssue[], base: (string | number)[], error: z.ZodError): void {
  for (const issue of error.issues) {
    const path = [...base, ...(issue.path as (string | number)[])];
    let message = issue.message;
    if (issue.code === 'invalid_type' && message.includes('received undefined')) message = 'is required';
    issues.push({ path: formatPath(path), message });
  }
}
