/**
 * `server.json` documents (the MCP Registry's format) → server entries, so a team can share a
 * catalogue of servers as data. Each document offers remotes (an HTTP endpoint) and/or packages
 * (something to run: npm, PyPI, OCI, NuGet); we pick the first one we can use, remotes first by
 * default (nothing to install, nothing to run), packages first with `prefer: 'package'`.
 *
 * Values the document declares (URL variables, headers, environment variables, arguments) come
 * from `inputs` (which may be `${VAR}` references, expanded like all config), else from the
 * document's own `value` or `default`; a package's environment variable may also come from the
 * variable of the same name. A header is never filled from the environment implicitly: a shared
 * document must not be able to ask for an arbitrary secret to be sent to its URL.
 */
import type { z } from 'zod';
import type { ConfigIssue } from '../errors/config-error.js';
import { formatPath } from '../util/format-path.js';
import type { ServerEntryInput } from './config-schema.js';
import type { EnvSource } from './expand-env.js';
import { isPlainObject } from './expand-env.js';
import {
  type ServerJSON,
  type ServerJSONArgument,
  type ServerJSONInput,
  type ServerJSONInputWithVariables,
  type ServerJSONPackage,
  type ServerJSONRemote,
  serverJsonSchema,
} from './server-json-schema.js';

/** How to load one `server.json` document (besides the document or file itself). */
export interface ServerJSONLoadOptions {
  /** The server's name in the registry (tool prefix). Default: the part of the document's name after `/`. */
  name?: string | undefined;
  /** Use a remote endpoint (default) or run a package when the document offers both. */
  prefer?: 'remote' | 'package' | undefined;
  /**
   * Values for what the document declares, by name: URL and header `{variables}`, header names,
   * environment variable names, argument `valueHint`s or flag names. `${VAR}` references expand.
   */
  inputs?: Record<string, string> | undefined;
}

/** One source in `serverJson`: a document, a file path, or either with options. */
export type ServerJSONSource =
  | string
  | ServerJSON
  | Record<string, unknown>
  | (ServerJSONLoadOptions &
      Omit<
        ServerEntryInput,
        'type' | 'transport' | 'command' | 'args' | 'env' | 'cwd' | 'url' | 'headers' | 'auth'
      > &
      (
        | { path: string; document?: never }
        | { document: ServerJSON | Record<string, unknown>; path?: never }
      ));

/** A server entry made from a document, with where it came from. */
export interface ServerJSONEntry {
  name: string;
  entry: Record<string, unknown>;
  /** Config path of the document, e.g. `serverJson[1]` or `serverJson[0].servers[2]`. */
  path: (string | number)[];
}

interface Candidate {
  label: string;
  build(): { entry: Record<string, unknown>; missing: string[] } | { unsupported: string };
}

/**
 * The documents in one loaded value: a `server.json`, the registry API's `{ server }` wrapper,
 * or a `{ servers: [...] }` list. Each comes with its path below `path`.
 */
export function documentsIn(
  value: unknown,
  path: (string | number)[],
): { document: unknown; path: (string | number)[] }[] {
  if (isPlainObject(value) && Array.isArray(value.servers) && value.name === undefined) {
    return value.servers.map((item, index) => ({
      document: unwrap(item),
      path: [...path, 'servers', index],
    }));
  }
  return [{ document: unwrap(value), path }];
}

function unwrap(value: unknown): unknown {
  return isPlainObject(value) && isPlainObject(value.server) && value.name === undefined
    ? value.server
    : value;
}

/**
 * Turns one document into a server entry (with `options` applied), or pushes the issues that
 * stop it. `extra` holds toolwire options for the entry (`enabledTools`, `callTimeoutMs`, …).
 */
export function serverJsonToEntry(
  document: unknown,
  path: (string | number)[],
  options: ServerJSONLoadOptions & { extra?: Record<string, unknown>; env: EnvSource; origin?: string },
  issues: ConfigIssue[],
): ServerJSONEntry | undefined {
  const where = (segments: (string | number)[], message: string): ConfigIssue => ({
    path: formatPath([...path, ...segments]),
    message: options.origin ? `${message} (in ${options.origin})` : message,
  });
  const parsed = serverJsonSchema.safeParse(document);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.push(where(issue.path as (string | number)[], snakeCaseHint(document, issue)));
    }
    return undefined;
  }
  const doc = parsed.data;
  const inputs = options.inputs ?? {};
  const name = options.name ?? defaultName(doc.name);

  const remotes: Candidate[] = (doc.remotes ?? []).map((remote, index) => ({
    label: `remotes[${index}] (${remote.type})`,
    build: () => remoteEntry(remote as ServerJSONRemote, inputs),
  }));
  const packages: Candidate[] = (doc.packages ?? []).map((pkg, index) => ({
    label: `packages[${index}] (${pkg.registryType} ${pkg.identifier})`,
    build: () => packageEntry(pkg as ServerJSONPackage, inputs, options.env),
  }));
  const ordered =
    options.prefer === 'package'
      ? [...packages, ...remotes]
      : [
          ...remotes.filter((candidate) => candidate.label.includes('streamable-http')),
          ...remotes.filter((candidate) => !candidate.label.includes('streamable-http')),
          ...packages,
        ];
  if (ordered.length === 0) {
    issues.push(
      where([], `server.json "${doc.name}" has neither "remotes" nor "packages": nothing to connect to`),
    );
    return undefined;
  }

  const problems: string[] = [];
  for (const candidate of ordered) {
    const built = candidate.build();
    if ('unsupported' in built) {
      problems.push(`${candidate.label}: ${built.unsupported}`);
      continue;
    }
    if (built.missing.length > 0) {
      problems.push(
        `${candidate.label} needs ${built.missing.map((missing) => `"${missing}"`).join(', ')}; give ${built.missing.length === 1 ? 'it' : 'them'} in inputs: { ${built.missing.map((missing) => `${JSON.stringify(missing)}: '…'`).join(', ')} }`,
      );
      continue;
    }
    const description =
      doc.title && doc.description ? `${doc.title}: ${doc.description}` : (doc.title ?? doc.description);
    return {
      name,
      entry: {
        ...(description ? { description } : {}),
        ...built.entry,
        ...(options.extra ?? {}),
      },
      path,
    };
  }
  issues.push(where([], `no usable remote or package in server.json "${doc.name}": ${problems.join('; ')}`));
  return undefined;
}

/**
 * The registry name a document's server gets: `name` when given, else from the document's own
 * `name`; `undefined` when the document has none (it cannot be listed as a server).
 */
export function serverJsonServerName(document: unknown, name: string | undefined): string | undefined {
  if (name !== undefined) return name;
  if (!isPlainObject(document) || typeof document.name !== 'string' || document.name === '') return undefined;
  return defaultName(document.name);
}

/** `io.github.acme/weather-server` → `weather-server` (provider-safe). */
function defaultName(documentName: string): string {
  const last = documentName.slice(documentName.indexOf('/') + 1);
  return last.replace(/[^A-Za-z0-9_-]/g, '_');
}

function remoteEntry(
  remote: ServerJSONRemote,
  inputs: Record<string, string>,
): { entry: Record<string, unknown>; missing: string[] } {
  const missing: string[] = [];
  const url = fillTemplate(remote.url, remote.variables ?? {}, inputs, missing);
  const headers: Record<string, string> = {};
  for (const header of remote.headers ?? []) {
    const value = inputValue(header, inputs[header.name], inputs, undefined, missing);
    if (value !== undefined) headers[header.name] = value;
  }
  return {
    entry: {
      type: remote.type === 'sse' ? 'sse' : 'http',
      url,
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
    },
    missing,
  };
}

/** The default command per registry type, and how it names a package version. */
const runners: Record<string, { command: string; spec(pkg: ServerJSONPackage): string[] }> = {
  npm: {
    command: 'npx',
    spec: (pkg) => [pkg.version ? `${pkg.identifier}@${pkg.version}` : pkg.identifier],
  },
  pypi: {
    command: 'uvx',
    spec: (pkg) => [pkg.version ? `${pkg.identifier}==${pkg.version}` : pkg.identifier],
  },
  nuget: {
    command: 'dnx',
    spec: (pkg) => [pkg.version ? `${pkg.identifier}@${pkg.version}` : pkg.identifier],
  },
  oci: { command: 'docker', spec: (pkg) => [pkg.identifier] },
};

function packageEntry(
  pkg: ServerJSONPackage,
  inputs: Record<string, string>,
  env: EnvSource,
): { entry: Record<string, unknown>; missing: string[] } | { unsupported: string } {
  if (pkg.transport.type !== 'stdio') {
    return {
      unsupported: `a package serving ${pkg.transport.type} must be started separately; give its URL instead`,
    };
  }
  const runner = runners[pkg.registryType];
  if (!runner) {
    return {
      unsupported:
        pkg.registryType === 'mcpb'
          ? 'MCP bundles (mcpb) are not run by toolwire'
          : `registry type "${pkg.registryType}" is not supported (npm, pypi, oci, nuget are)`,
    };
  }
  const missing: string[] = [];
  const environment: Record<string, string> = {};
  for (const variable of pkg.environmentVariables ?? []) {
    const value = inputValue(variable, inputs[variable.name], inputs, env[variable.name], missing);
    if (value !== undefined) environment[variable.name] = value;
  }
  const runtimeArguments = renderArguments(pkg.runtimeArguments ?? [], inputs, missing);
  const packageArguments = renderArguments(pkg.packageArguments ?? [], inputs, missing);
  const command = pkg.runtimeHint ?? runner.command;
  let args: string[];
  if (pkg.registryType === 'oci') {
    // `docker run` reads each `-e NAME` from the environment we give it, so values stay out of argv.
    const passEnvironment = Object.keys(environment).flatMap((name) => ['-e', name]);
    args = [
      'run',
      '-i',
      '--rm',
      ...passEnvironment,
      ...runtimeArguments,
      ...runner.spec(pkg),
      ...packageArguments,
    ];
  } else if (pkg.registryType === 'nuget') {
    args = [
      ...runtimeArguments,
      ...runner.spec(pkg),
      ...(packageArguments.length > 0 ? ['--', ...packageArguments] : []),
    ];
  } else {
    // npx asks before installing unless told not to; runtimeArguments, when given, say it themselves.
    const quiet =
      pkg.registryType === 'npm' && runtimeArguments.length === 0 && command === 'npx' ? ['-y'] : [];
    args = [...quiet, ...runtimeArguments, ...runner.spec(pkg), ...packageArguments];
  }
  return {
    entry: {
      type: 'stdio',
      command,
      args,
      ...(Object.keys(environment).length > 0 ? { env: environment } : {}),
    },
    missing,
  };
}

function renderArguments(
  list: readonly ServerJSONArgument[],
  inputs: Record<string, string>,
  missing: string[],
): string[] {
  const rendered: string[] = [];
  for (const argument of list) {
    if (argument.type === 'positional') {
      const label = argument.valueHint ?? 'positional argument';
      const given = argument.valueHint === undefined ? undefined : inputs[argument.valueHint];
      const value = inputValue(argument, given, inputs, undefined, missing, label);
      if (value !== undefined) rendered.push(value);
    } else {
      const given = inputs[argument.name] ?? inputs[argument.name.replace(/^-+/, '')];
      const value = inputValue(argument, given, inputs, undefined, missing, argument.name);
      if (value !== undefined) rendered.push(argument.name, value);
    }
  }
  return rendered;
}

/**
 * The value of one declared input: `given` (from `inputs`, by its name), else the document's
 * `value` (its `{variables}` filled from `inputs`), else `fallback` (an environment variable, for
 * package env vars), else `default`. A required input without any is recorded in `missing`.
 */
function inputValue(
  input: ServerJSONInputWithVariables & { name?: string },
  given: string | undefined,
  inputs: Record<string, string>,
  fallback: string | undefined,
  missing: string[],
  label = input.name ?? '(unnamed)',
): string | undefined {
  if (given !== undefined) return given;
  if (input.value !== undefined) return fillTemplate(input.value, input.variables ?? {}, inputs, missing);
  if (fallback !== undefined && fallback !== '') return fallback;
  if (input.default !== undefined) return input.default;
  if (input.isRequired) missing.push(label);
  return undefined;
}

/** Fills `{name}` placeholders from `inputs`, else the variable's own value or default. */
function fillTemplate(
  template: string,
  variables: Record<string, ServerJSONInput>,
  inputs: Record<string, string>,
  missing: string[],
): string {
  return template.replace(/\{([A-Za-z0-9_.-]+)\}/g, (match, name: string) => {
    const variable = variables[name];
    const value = inputs[name] ?? variable?.value ?? variable?.default;
    if (value !== undefined) return value;
    missing.push(name);
    return match;
  });
}

function snakeCaseHint(document: unknown, issue: z.core.$ZodIssue): string {
  const text = JSON.stringify(document) ?? '';
  if (/"(registry_type|environment_variables|package_arguments|is_required)"/.test(text)) {
    return `${issue.message} (this document uses the snake_case field names of server.json before the 2025-09-16 schema; current documents use camelCase, e.g. "registryType")`;
  }
  return issue.message;
}
