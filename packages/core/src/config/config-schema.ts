/**
 * zod schemas for every configuration shape we accept. They check shape only; turning a valid
 * input into `ServerDefinition`s happens in `parse-config.ts`.
 */
import type { OAuthClientProvider } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { MAX_TIMEOUT_MS } from '../util/deadline.js';
import type { CredentialSource } from './server-config.js';

const nonEmpty = z.string().min(1, 'must not be empty');
const toolFilter = z.array(nonEmpty);
const timeoutMs = z
  .number()
  .int('must be a whole number of milliseconds')
  .positive('must be positive')
  .max(
    MAX_TIMEOUT_MS,
    `must be at most ${MAX_TIMEOUT_MS} ms (about 24.8 days, the largest delay a timer can hold)`,
  );

const headers = z.union(
  [
    z.record(z.string(), z.string()),
    z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function'),
  ],
  { error: 'expected an object of header strings or a function returning one' },
);

/**
 * URLs must not carry credentials (`https://user:password@host`): a URL is printed, logged and
 * sent in places a credential must never go (the SDK refuses to fetch it anyway). The message
 * names the fix, never the value.
 */
function withoutUserinfo<T extends z.ZodType<string | undefined>>(schema: T, fix: string) {
  return schema.refine((value) => value === undefined || !hasUserinfo(value), {
    error: `must not contain credentials (user:password@…); ${fix}`,
  });
}

function hasUserinfo(value: string): boolean {
  try {
    const url = new URL(value);
    return url.username !== '' || url.password !== '';
  } catch {
    return false;
  }
}

const serverURLFix =
  'send them in "headers" instead, e.g. { "Authorization": "Basic <base64 of user:password>" }, or use "auth"';
const serverURL = withoutUserinfo(
  z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
  serverURLFix,
);
const httpURL = withoutUserinfo(
  z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
  'give the client credentials as clientId and clientSecret',
);

const clientAuthMethods = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;

/** OAuth 2.0 client credentials; validation messages name fields, never their values. */
const clientCredentialsAuthSchema = z
  .strictObject({
    type: z.literal('client_credentials'),
    clientId: nonEmpty,
    clientSecret: nonEmpty.optional(),
    privateKey: z
      .union([nonEmpty, z.record(z.string(), z.unknown())], {
        error: 'expected a PEM (PKCS#8) string or a JWK object',
      })
      .optional(),
    algorithm: nonEmpty.optional(),
    clientAssertion: nonEmpty.optional(),
    tokenUrl: httpURL.optional(),
    issuer: httpURL.optional(),
    scope: z
      .union([z.string(), z.array(nonEmpty)], { error: 'expected a string or a list of scopes' })
      .optional(),
    audience: nonEmpty.optional(),
    resource: withoutUserinfo(
      z.url({ error: 'expected an absolute URI' }),
      'an RFC 8707 resource names the server, not who calls it',
    ).optional(),
    authMethod: z
      .enum(clientAuthMethods, { error: `expected one of ${clientAuthMethods.join(', ')}` })
      .optional(),
  })
  .superRefine((auth, context) => {
    const given = (['clientSecret', 'privateKey', 'clientAssertion'] as const).filter(
      (key) => auth[key] !== undefined,
    );
    if (given.length === 0) {
      context.addIssue({
        code: 'custom',
        path: ['clientSecret'],
        message:
          'client credentials need one of clientSecret, privateKey (private_key_jwt) or clientAssertion',
      });
    } else if (given.length > 1) {
      context.addIssue({
        code: 'custom',
        path: [given[1] as string],
        message: `give only one of clientSecret, privateKey and clientAssertion (found ${given.join(' and ')})`,
      });
    }
    const usesSecret = auth.authMethod === 'client_secret_basic' || auth.authMethod === 'client_secret_post';
    if (usesSecret && auth.clientSecret === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['authMethod'],
        message: `${auth.authMethod} needs clientSecret`,
      });
    }
    if (auth.authMethod === 'private_key_jwt' && auth.clientSecret !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['authMethod'],
        message: 'private_key_jwt needs privateKey or clientAssertion, not clientSecret',
      });
    }
    if (auth.tokenUrl !== undefined && !isSecureOrLoopback(auth.tokenUrl)) {
      context.addIssue({
        code: 'custom',
        path: ['tokenUrl'],
        message:
          'must use https:// (http:// only for localhost/loopback): client credentials would travel in clear text',
      });
    }
    if (auth.algorithm !== undefined && auth.privateKey === undefined) {
      context.addIssue({ code: 'custom', path: ['algorithm'], message: 'only applies with privateKey' });
    }
  });

function isSecureOrLoopback(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:') return true;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

/** User-facing OAuth (authorization code + PKCE) through the SDK's `OAuthClientProvider`. */
const oauthAuthSchema = z.strictObject({
  type: z.literal('oauth'),
  provider: z.custom<OAuthClientProvider>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { tokens?: unknown }).tokens === 'function' &&
      typeof (value as { clientInformation?: unknown }).clientInformation === 'function',
    { error: 'expected an OAuthClientProvider (an object with tokens(), clientInformation(), …)' },
  ),
  dpop: z.boolean().optional(),
});

/** A token or assertion: a string, or a function returning one per request. */
const credentialSource = z.union(
  [nonEmpty, z.custom<CredentialSource>((value) => typeof value === 'function')],
  {
    error: 'expected a string or a function returning one',
  },
);
const scopeSchema = z
  .union([z.string(), z.array(nonEmpty)], { error: 'expected a string or a list of scopes' })
  .optional();

/** RFC 7523 JWT bearer grant (workload identity federation, SEP-1933). */
const jwtBearerAuthSchema = z.strictObject({
  type: z.literal('jwt_bearer'),
  clientId: nonEmpty,
  clientSecret: nonEmpty.optional(),
  assertion: credentialSource,
  scope: scopeSchema,
});

/** Enterprise-managed authorization (SEP-990): ID token → ID-JAG at the IdP → access token. */
const enterpriseAuthSchema = z.strictObject({
  type: z.literal('enterprise'),
  clientId: nonEmpty,
  clientSecret: nonEmpty,
  idToken: credentialSource,
  idp: z.strictObject({
    tokenUrl: httpURL.refine(isSecureOrLoopback, {
      error:
        'must use https:// (http:// only for localhost/loopback): the ID token would travel in clear text',
    }),
    clientId: nonEmpty,
    clientSecret: nonEmpty.optional(),
  }),
  issuer: httpURL.optional(),
  scope: scopeSchema,
});

export const authSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('bearer'), token: nonEmpty }),
    clientCredentialsAuthSchema,
    oauthAuthSchema,
    jwtBearerAuthSchema,
    enterpriseAuthSchema,
  ],
  {
    error:
      'unknown auth type; expected "bearer", "client_credentials", "oauth", "jwt_bearer" or "enterprise"',
  },
);

const transportNames = ['stdio', 'http', 'streamable-http', 'streamableHttp', 'sse'] as const;

/** Options every server accepts, whatever the outer shape. */
export const commonServerOptions = {
  description: z.string().optional(),
  enabledTools: toolFilter.optional(),
  disabledTools: toolFilter.optional(),
  disabled: z.boolean().optional(),
  connectTimeoutMs: timeoutMs.optional(),
  callTimeoutMs: timeoutMs.optional(),
  maxMessageBytes: z
    .number()
    .int('must be a whole number of bytes')
    .positive('must be positive')
    .max(2 ** 30, 'must be at most 1073741824 bytes (1 GiB)')
    .optional(),
  toolPrefix: z
    .union([
      z.string().regex(/^[A-Za-z0-9_-]*$/, 'may only contain letters, digits, _ and -'),
      z.literal(false),
    ])
    .optional(),
  session: z.enum(['shared', 'per-conversation']).optional(),
  logLevel: z
    .enum(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'])
    .optional(),
  protocol: z
    .union([
      z.enum(['auto', 'legacy']),
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected "auto", "legacy" or a protocol version like "2026-07-28"'),
    ])
    .optional(),
};

/** One entry of `mcpServers` / `servers` (the de-facto desktop-client shape, plus our options). */
export const serverEntrySchema = z.object({
  type: z
    .enum(transportNames, { error: `unknown transport; expected one of ${transportNames.join(', ')}` })
    .optional(),
  transport: z
    .enum(transportNames, { error: `unknown transport; expected one of ${transportNames.join(', ')}` })
    .optional(),
  command: nonEmpty.optional(),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  cwd: nonEmpty.optional(),
  stderr: z.enum(['pipe', 'inherit', 'ignore']).optional(),
  url: serverURL.optional(),
  headers: headers.optional(),
  auth: authSchema.optional(),
  ...commonServerOptions,
});

export type ServerEntryInput = z.input<typeof serverEntrySchema>;

/**
 * The seed's list shape: `{ name, customType, config, enabledTools }`, where `customType` is a
 * transport (`sse`, `http`, `json`) or a provider type resolved by a registered resolver.
 */
export const seedListEntrySchema = z.object({
  name: nonEmpty,
  isCustom: z.boolean().optional(),
  customType: nonEmpty,
  config: z.record(z.string(), z.unknown()).optional(),
  enabledTools: toolFilter.optional(),
  disabledTools: toolFilter.optional(),
});

/** The seed's tool-style shape: `{ executionType: 'mcp', url, auth?, description? }`. */
export const seedToolEntrySchema = z.object({
  executionType: z.literal('mcp'),
  name: nonEmpty.optional(),
  toolId: nonEmpty.optional(),
  url: serverURL,
  auth: z.unknown().optional(),
  headers: headers.optional(),
  description: z.string().optional(),
  enabledTools: toolFilter.optional(),
  disabledTools: toolFilter.optional(),
});

export const namingSchema = z.object({
  prefix: z.enum(['always', 'on-collision', 'never']).optional(),
  separator: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,3}$/, 'must be 1 to 3 of letters, digits, _ or -')
    .optional(),
});

/** A `serverJson` item with options: `{ path | document, name?, prefer?, inputs?, ...server options }`. */
export const serverJsonSourceSchema = z.strictObject({
  path: nonEmpty.optional(),
  document: z.record(z.string(), z.unknown()).optional(),
  name: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'may only contain letters, digits, _ and -')
    .optional(),
  prefer: z.enum(['remote', 'package']).optional(),
  inputs: z.record(z.string(), z.string()).optional(),
  ...commonServerOptions,
});
