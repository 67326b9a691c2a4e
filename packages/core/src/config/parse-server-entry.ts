/**
 * One server entry, whatever shape it is written in (an `mcpServers` entry, the seed list and
 * tool shapes, a provider entry's resolved connection), turned into a `ServerDefinition`. Its
 * problems go to its own list, so the caller can fail this server alone; unknown keys are
 * ignored with a warning unless the entry fails anyway (then they are usually why).
 */
import type { z } from 'zod';
import type { ConfigIssue } from '../errors/config-error.js';
import { formatPath } from '../util/format-path.js';
import { authSchema, seedListEntrySchema, seedToolEntrySchema, serverEntrySchema } from './config-schema.js';
import { isPlainObject } from './expand-env.js';
import type { PreparedServersConfig } from './prepare-config.js';
import { BUILT_IN_CUSTOM_TYPES, type ProviderResolver, registerHint } from './provider-resolvers.js';
import type { HttpServerDefinition, ServerDefinition, StdioServerDefinition } from './server-config.js';
import { findUnknownKeys, type UnknownKey, unknownKeyError, unknownKeyWarning } from './unknown-keys.js';

/** Registry-wide settings an entry falls back to, and what provider entries need. */
export interface EntryDefaults {
  connectTimeoutMs: number;
  callTimeoutMs: number;
  maxMessageBytes: number;
  providers: {
    resolvers: Record<string, ProviderResolver>;
    prepared: PreparedServersConfig | undefined;
    defer: boolean;
  };
}

/** One entry's problems: `issues` fail the server; `warnings` (ignored unknown keys) do not. */
export interface EntryProblems {
  issues: ConfigIssue[];
  warnings: ConfigIssue[];
}

export function emptyProblems(): EntryProblems {
  return { issues: [], warnings: [] };
}

type Path = (string | number)[];

const serverEntryKeys = Object.keys(serverEntrySchema.shape);
const seedListKeys = Object.keys(seedListEntrySchema.shape);
const seedToolKeys = Object.keys(seedToolEntrySchema.shape);
const authKeysByType = new Map<unknown, string[]>(
  authSchema.options.map((option) => [option.shape.type.value, Object.keys(option.shape)]),
);

/**
 * The name a list item's server will have, if it can have one: `name`, or for the seed tool
 * shape `toolId` or the URL's host name.
 */
export function listItemName(item: unknown): string | undefined {
  if (!isPlainObject(item)) return undefined;
  if (typeof item.name === 'string' && item.name !== '') return item.name;
  if (!('executionType' in item)) return undefined;
  if (typeof item.toolId === 'string' && item.toolId !== '') return item.toolId;
  return typeof item.url === 'string' ? hostName(item.url) : undefined;
}

export function parseListItem(
  item: unknown,
  path: Path,
  defaults: EntryDefaults,
  problems: EntryProblems,
): ServerDefinition | undefined {
  if (!isPlainObject(item)) {
    problems.issues.push({ path: formatPath(path), message: 'expected a server object' });
    return undefined;
  }
  if ('executionType' in item) return parseSeedTool(item, path, defaults, problems);
  if ('customType' in item) return parseSeedListEntry(item, path, defaults, problems);
  const { name, ...entry } = item;
  if (typeof name !== 'string' || name === '') {
    problems.issues.push({
      path: formatPath([...path, 'name']),
      message: 'each server in a list needs a non-empty "name"',
    });
    return undefined;
  }
  return parseEntry(name, entry, path, defaults, problems);
}

export function parseSeedListEntry(
  item: Record<string, unknown>,
  path: Path,
  defaults: EntryDefaults,
  problems: EntryProblems,
): ServerDefinition | undefined {
  return withUnknownKeys(findUnknownKeys(item, seedListKeys, path), problems, (issues, checked) => {
    const parsed = seedListEntrySchema.safeParse(item);
    if (!parsed.success) {
      pushZodIssues(issues, path, parsed.error, checked);
      return undefined;
    }
    const { name, customType, config = {}, enabledTools, disabledTools } = parsed.data;
    const transportByType: Record<string, string> = { sse: 'sse', http: 'streamable-http', json: 'stdio' };
    const transport = transportByType[customType];
    if (transport === undefined) {
      return parseProviderEntry(parsed.data, path, defaults, { issues, warnings: problems.warnings });
    }
    const entry = { ...config, type: transport, enabledTools, disabledTools };
    return parseEntry(
      name,
      entry,
      [...path, 'config'],
      defaults,
      { issues, warnings: problems.warnings },
      path,
    );
  });
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
  path: Path,
  defaults: EntryDefaults,
  problems: EntryProblems,
): ServerDefinition | undefined {
  const { resolvers, prepared, defer } = defaults.providers;
  const type = item.customType;
  const at = formatPath(path);
  const resolved = prepared?.resolved.get(at);
  if (!resolved) {
    if (defer) return undefined;
    if (!resolvers[type]) {
      problems.issues.push({
        path: formatPath([...path, 'customType']),
        message: `unknown customType "${type}"; built-in types are ${BUILT_IN_CUSTOM_TYPES.join(', ')}. For a hosted provider, ${registerHint(type)}`,
      });
    } else if (!prepared) {
      problems.issues.push({
        path: at,
        message: `customType "${type}" is resolved by createRegistry(); parseServersConfig() does not run resolvers`,
      });
    }
    // Otherwise the resolver failed: prepareServersConfig() has said why, at this entry's path.
    return undefined;
  }
  const own = emptyProblems();
  const connection = resolved.connection as Record<string, unknown>;
  const entry = {
    ...connection,
    enabledTools: item.enabledTools ?? connection.enabledTools,
    disabledTools: item.disabledTools ?? connection.disabledTools,
  };
  const definition = parseEntry(item.name, entry, [], defaults, own);
  const fromResolver = (issue: ConfigIssue, kind: string): ConfigIssue => ({
    path: at,
    message: `the "${type}" resolver returned ${kind}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}`,
  });
  problems.issues.push(...own.issues.map((issue) => fromResolver(issue, 'an invalid connection')));
  problems.warnings.push(...own.warnings.map((issue) => fromResolver(issue, 'a connection with')));
  if (!definition) return undefined;
  return { ...definition, configPath: at };
}

function parseSeedTool(
  item: Record<string, unknown>,
  path: Path,
  defaults: EntryDefaults,
  problems: EntryProblems,
): ServerDefinition | undefined {
  return withUnknownKeys(findUnknownKeys(item, seedToolKeys, path), problems, (issues, checked) => {
    const parsed = seedToolEntrySchema.safeParse(item);
    if (!parsed.success) {
      pushZodIssues(issues, path, parsed.error, checked);
      return undefined;
    }
    const { name, toolId, url, auth, headers, description, enabledTools, disabledTools } = parsed.data;
    const serverName = name ?? toolId ?? hostName(url) ?? 'server';
    const entry: Record<string, unknown> = { url, headers, description, enabledTools, disabledTools };
    if (auth !== undefined) {
      // The seed writes client credentials without a `type`; name it so the auth schema can check it.
      entry.auth =
        isPlainObject(auth) && auth.type === undefined && 'clientId' in auth
          ? { type: 'client_credentials', ...auth }
          : auth;
    }
    return parseEntry(serverName, entry, path, defaults, { issues, warnings: problems.warnings });
  });
}

/** One server entry in the `mcpServers` shape (plus toolwire's options). */
export function parseEntry(
  name: string,
  raw: unknown,
  path: Path,
  defaults: EntryDefaults,
  problems: EntryProblems,
  definitionPath: Path = path,
): ServerDefinition | undefined {
  const unknown = isPlainObject(raw) ? findUnknownKeys(raw, serverEntryKeys, path) : [];
  return withUnknownKeys(unknown, problems, (issues, checked) => {
    // `auth` is toolwire's own object: an unknown key there is always an error.
    if (isPlainObject(raw) && isPlainObject(raw.auth)) {
      const known = authKeysByType.get(raw.auth.type);
      if (known) {
        const authPath = [...path, 'auth'];
        checked.add(formatPath(authPath));
        issues.push(...findUnknownKeys(raw.auth, known, authPath).map((key) => unknownKeyError(key, known)));
      }
    }
    const parsed = serverEntrySchema.safeParse(raw);
    if (!parsed.success) {
      pushZodIssues(issues, path, parsed.error, checked);
      return undefined;
    }
    return toDefinition(name, parsed.data, path, definitionPath, defaults, issues);
  });
}

function toDefinition(
  name: string,
  entry: z.output<typeof serverEntrySchema>,
  path: Path,
  definitionPath: Path,
  defaults: EntryDefaults,
  issues: ConfigIssue[],
): ServerDefinition | undefined {
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
    logLevel: entry.logLevel,
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

/**
 * Keys that narrow what a server may do. A near miss of one (`enabledTool`, `disable`) is never
 * ignored: ignoring it would quietly widen what the agent can reach.
 */
const restrictingKeys = new Set(['enabledTools', 'disabledTools', 'disabled']);

/** An unknown key that must fail the entry rather than be ignored with a warning. */
function mustNotIgnore(key: UnknownKey): boolean {
  return key.respelt || key.suggestions.some((suggestion) => restrictingKeys.has(suggestion));
}

/**
 * Runs `parse` with its own issue list, then decides what the entry's unknown keys are: errors
 * listed first when the entry fails (or when one must not be ignored), otherwise warnings.
 * `checked` collects the object paths whose unknown keys were reported here, so zod's own
 * "unrecognized key" issues for them are not repeated.
 */
function withUnknownKeys(
  unknown: UnknownKey[],
  problems: EntryProblems,
  parse: (issues: ConfigIssue[], checked: Set<string>) => ServerDefinition | undefined,
): ServerDefinition | undefined {
  const issues: ConfigIssue[] = [];
  const definition = parse(issues, new Set());
  const fails = issues.length > 0 || problems.issues.length > 0 || unknown.some(mustNotIgnore);
  if (fails) problems.issues.push(...unknown.map((key) => unknownKeyError(key)), ...issues);
  else problems.warnings.push(...unknown.map(unknownKeyWarning));
  return definition;
}

function normalizeTransport(name: string | undefined): 'stdio' | 'streamable-http' | 'sse' | undefined {
  if (name === undefined) return undefined;
  if (name === 'stdio') return 'stdio';
  if (name === 'sse') return 'sse';
  return 'streamable-http';
}

function hostName(url: string): string | undefined {
  try {
    const host = new URL(url).hostname;
    return host === '' ? undefined : host.replace(/[^A-Za-z0-9_-]/g, '_');
  } catch {
    return undefined;
  }
}

/** zod's issues at their config paths; unknown keys of `checked` objects were reported already. */
export function pushZodIssues(
  issues: ConfigIssue[],
  base: Path,
  error: z.ZodError,
  checked: ReadonlySet<string> = new Set(),
): void {
  for (const issue of error.issues) {
    const path = [...base, ...(issue.path as (string | number)[])];
    if (issue.code === 'unrecognized_keys' && checked.has(formatPath(path))) continue;
    let message = issue.message;
    if (issue.code === 'invalid_type' && message.includes('received undefined')) message = 'is required';
    issues.push({ path: formatPath(path), message });
  }
}
