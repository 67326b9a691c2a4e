/**
 * The MCP Registry's `server.json` format (schema 2025-12-11,
 * `https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json`): the types we
 * read and write, and zod checks for the parts we use to connect (unknown fields pass through, so
 * newer documents still load). Shared by the loader here and the publisher's writer.
 */
import { z } from 'zod';

/** The schema this package reads and writes. */
export const SERVER_JSON_SCHEMA_URL =
  'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';

/** A value a client supplies (or the document fixes): a header, a variable, an argument. */
export interface ServerJSONInput {
  description?: string;
  isRequired?: boolean;
  isSecret?: boolean;
  format?: 'string' | 'number' | 'boolean' | 'filepath';
  /** A fixed value; `{name}` placeholders are filled from `variables`. */
  value?: string;
  default?: string;
  placeholder?: string;
  choices?: string[];
}

/** An input with its own `{name}` variables. */
export interface ServerJSONInputWithVariables extends ServerJSONInput {
  variables?: Record<string, ServerJSONInput>;
}

/** A header or an environment variable. */
export interface ServerJSONKeyValueInput extends ServerJSONInputWithVariables {
  name: string;
}

/** A command-line argument: positional (`value`/`valueHint`) or named (`--flag value`). */
export type ServerJSONArgument =
  | (ServerJSONInputWithVariables & { type: 'positional'; valueHint?: string; isRepeated?: boolean })
  | (ServerJSONInputWithVariables & { type: 'named'; name: string; isRepeated?: boolean });

/** How to reach a remote server; `url` may hold `{name}` placeholders from `variables`. */
export interface ServerJSONRemote {
  type: 'streamable-http' | 'sse';
  url: string;
  headers?: ServerJSONKeyValueInput[];
  variables?: Record<string, ServerJSONInput>;
}

/** How to run a server from a package registry. */
export interface ServerJSONPackage {
  registryType: 'npm' | 'pypi' | 'oci' | 'nuget' | 'mcpb' | (string & {});
  identifier: string;
  version?: string;
  registryBaseUrl?: string;
  runtimeHint?: string;
  runtimeArguments?: ServerJSONArgument[];
  packageArguments?: ServerJSONArgument[];
  environmentVariables?: ServerJSONKeyValueInput[];
  transport:
    | { type: 'stdio' }
    | { type: 'streamable-http' | 'sse'; url: string; headers?: ServerJSONKeyValueInput[] };
  fileSha256?: string;
}

/** A `server.json` document. */
export interface ServerJSON {
  $schema?: string;
  /** Reverse-DNS name with one slash, e.g. `io.github.acme/weather`. */
  name: string;
  /** At most 100 characters. */
  description: string;
  version: string;
  title?: string;
  websiteUrl?: string;
  repository?: { url: string; source: string; id?: string; subfolder?: string };
  icons?: { src: string; mimeType?: string; sizes?: string[]; theme?: 'light' | 'dark' }[];
  remotes?: ServerJSONRemote[];
  packages?: ServerJSONPackage[];
  _meta?: Record<string, unknown>;
}

const input = z.looseObject({
  description: z.string().optional(),
  isRequired: z.boolean().optional(),
  isSecret: z.boolean().optional(),
  format: z.string().optional(),
  value: z.string().optional(),
  default: z.string().optional(),
  placeholder: z.string().optional(),
  choices: z.array(z.string()).optional(),
});
const inputWithVariables = input.extend({ variables: z.record(z.string(), input).optional() });
const keyValueInput = inputWithVariables.extend({ name: z.string().min(1, 'must not be empty') });
const argument = z.discriminatedUnion(
  'type',
  [
    inputWithVariables.extend({
      type: z.literal('positional'),
      valueHint: z.string().optional(),
      isRepeated: z.boolean().optional(),
    }),
    inputWithVariables.extend({
      type: z.literal('named'),
      name: z.string().min(1),
      isRepeated: z.boolean().optional(),
    }),
  ],
  { error: 'expected an argument of type "positional" or "named"' },
);
const templateUrl = z.string().regex(/^https?:\/\/\S+$/, 'expected an http:// or https:// URL (template)');

export const serverJsonRemoteSchema = z.looseObject({
  type: z.enum(['streamable-http', 'sse'], { error: 'expected "streamable-http" or "sse"' }),
  url: templateUrl,
  headers: z.array(keyValueInput).optional(),
  variables: z.record(z.string(), input).optional(),
});

export const serverJsonPackageSchema = z.looseObject({
  registryType: z.string().min(1),
  identifier: z.string().min(1),
  version: z.string().optional(),
  registryBaseUrl: z.string().optional(),
  runtimeHint: z.string().min(1).optional(),
  runtimeArguments: z.array(argument).optional(),
  packageArguments: z.array(argument).optional(),
  environmentVariables: z.array(keyValueInput).optional(),
  transport: z.discriminatedUnion(
    'type',
    [
      z.looseObject({ type: z.literal('stdio') }),
      z.looseObject({
        type: z.enum(['streamable-http', 'sse']),
        url: templateUrl,
        headers: z.array(keyValueInput).optional(),
      }),
    ],
    { error: 'expected a transport of type "stdio", "streamable-http" or "sse"' },
  ),
  fileSha256: z.string().optional(),
});

/** Checks the fields of a document that loading uses; others are kept as they are. */
export const serverJsonSchema = z.looseObject({
  $schema: z.string().optional(),
  name: z
    .string()
    .regex(
      /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/,
      'expected a reverse-DNS name with one slash, e.g. "io.github.acme/weather"',
    ),
  description: z.string().optional(),
  version: z.string().optional(),
  title: z.string().optional(),
  remotes: z.array(serverJsonRemoteSchema).optional(),
  packages: z.array(serverJsonPackageSchema).optional(),
});
