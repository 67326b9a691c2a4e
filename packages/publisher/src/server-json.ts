/**
 * `publisher.serverJson()`: the publisher described as an MCP Registry `server.json` (schema
 * 2025-12-11), ready to publish with `mcp-publisher` or to share with a team, whose registries
 * load it with `createRegistry({ serverJson: [...] })`. Where clients reach the server (remotes:
 * transport and URL; packages: how to run it) comes from you; a publisher that requires bearer
 * tokens declares the `Authorization` header its clients must send.
 */
import {
  SERVER_JSON_SCHEMA_URL,
  type ServerJSON,
  type ServerJSONInput,
  type ServerJSONKeyValueInput,
  type ServerJSONPackage,
  type ServerJSONRemote,
  ToolwireError,
} from '@toolwire/core';

/** A remote endpoint: its URL (Streamable HTTP), or the full `server.json` remote. */
export type ServerJSONRemoteInput =
  | string
  | {
      url: string;
      /** Default `'streamable-http'` (what the publisher serves). */
      type?: 'streamable-http' | 'sse';
      /** Declared headers; default: `Authorization` when the publisher requires bearer tokens. */
      headers?: ServerJSONKeyValueInput[];
      /** Values for `{placeholders}` in `url`. */
      variables?: Record<string, ServerJSONInput>;
    };

/** What `serverJson()` needs beyond what the publisher knows. */
export interface ServerJSONOptions {
  /**
   * The registry name, reverse-DNS with one slash (`io.github.acme/finance-tools`). Default: the
   * publisher's name, when it already has that form.
   */
  name?: string;
  /** What the server does, at most 100 characters. Required. */
  description?: string;
  /** Default: the publisher's version. */
  version?: string;
  title?: string;
  websiteUrl?: string;
  repository?: ServerJSON['repository'];
  icons?: ServerJSON['icons'];
  /** Where the server runs (e.g. `https://tools.example.com/mcp`, or `listening.url`). */
  remotes?: readonly ServerJSONRemoteInput[];
  /** How to run it from a package registry. */
  packages?: readonly ServerJSONPackage[];
  /** Extra metadata under `io.modelcontextprotocol.registry/publisher-provided`. */
  meta?: Record<string, unknown>;
}

/** What the publisher knows about itself. */
export interface PublisherFacts {
  name: string;
  version: string;
  /** True when `http.auth` makes every request carry a bearer token. */
  requiresBearerToken: boolean;
}

const NAME_PATTERN = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;
const VERSION_RANGE = /^[\^~<>=*]|(^|\.)(x|X|\*)(\.|$)|\s-\s|\|\|/;

/** Builds and checks the document; throws `CONFIG_INVALID` naming every field that is wrong. */
export function buildServerJson(facts: PublisherFacts, options: ServerJSONOptions = {}): ServerJSON {
  const problems: string[] = [];
  const name = options.name ?? facts.name;
  if (!NAME_PATTERN.test(name) || name.length > 200) {
    problems.push(
      `name: expected a reverse-DNS name with one slash, e.g. "io.github.acme/${safeTail(facts.name)}", got ${JSON.stringify(name)}${options.name === undefined ? ' (the publisher name; pass serverJson({ name }))' : ''}`,
    );
  }
  const description = options.description;
  if (description === undefined || description.trim() === '') {
    problems.push('description: required (what the server does, at most 100 characters)');
  } else if (description.length > 100) {
    problems.push(`description: at most 100 characters, got ${description.length}`);
  }
  const version = options.version ?? facts.version;
  if (version === 'latest' || VERSION_RANGE.test(version) || version.length > 255 || version === '') {
    problems.push(`version: expected one exact version such as "1.2.0", got ${JSON.stringify(version)}`);
  }

  const remotes: ServerJSONRemote[] = (options.remotes ?? []).map((remote, index) => {
    const given = typeof remote === 'string' ? { url: remote } : remote;
    if (!/^https?:\/\/\S+$/.test(given.url)) {
      problems.push(
        `remotes[${index}].url: expected an http:// or https:// URL, got ${JSON.stringify(given.url)}`,
      );
    }
    const headers = given.headers ?? (facts.requiresBearerToken ? [bearerHeader()] : undefined);
    return {
      type: given.type ?? 'streamable-http',
      url: given.url,
      ...(headers && headers.length > 0 ? { headers } : {}),
      ...(given.variables ? { variables: given.variables } : {}),
    };
  });
  const packages = [...(options.packages ?? [])];
  packages.forEach((pkg, index) => {
    if (!pkg.registryType || !pkg.identifier || !pkg.transport?.type) {
      problems.push(`packages[${index}]: needs registryType, identifier and transport`);
    }
    if (pkg.version !== undefined && (pkg.version === 'latest' || VERSION_RANGE.test(pkg.version))) {
      problems.push(
        `packages[${index}].version: expected one exact version, got ${JSON.stringify(pkg.version)}`,
      );
    }
  });
  if (remotes.length === 0 && packages.length === 0) {
    problems.push('remotes or packages: give at least one, so clients know how to reach the server');
  }
  if (problems.length > 0) {
    throw new ToolwireError({
      code: 'CONFIG_INVALID',
      message: `Cannot describe the publisher as server.json:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    });
  }

  return {
    $schema: SERVER_JSON_SCHEMA_URL,
    name,
    description: description as string,
    version,
    ...(options.title ? { title: options.title } : {}),
    ...(options.websiteUrl ? { websiteUrl: options.websiteUrl } : {}),
    ...(options.repository ? { repository: options.repository } : {}),
    ...(options.icons ? { icons: options.icons } : {}),
    ...(remotes.length > 0 ? { remotes } : {}),
    ...(packages.length > 0 ? { packages } : {}),
    ...(options.meta
      ? { _meta: { 'io.modelcontextprotocol.registry/publisher-provided': options.meta } }
      : {}),
  };
}

/** The header a bearer-protected publisher needs: `Authorization: Bearer {token}`. */
function bearerHeader(): ServerJSONKeyValueInput {
  return {
    name: 'Authorization',
    description: 'Bearer access token for this server',
    value: 'Bearer {token}',
    isRequired: true,
    isSecret: true,
    variables: { token: { description: 'Access token', isRequired: true, isSecret: true } },
  };
}

function safeTail(name: string): string {
  return name.replace(/[^a-zA-Z0-9._-]/g, '-') || 'server';
}
