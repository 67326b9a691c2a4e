/**
 * The `upstreamAuth` option of `createGateway()`: how each upstream server is authenticated for
 * a downstream caller, and the check of it (`CONFIG_INVALID` naming `upstreamAuth.<server>.<key>`).
 * Pass-through of the caller's own token is refused here: the MCP authorization spec forbids it.
 */
import { ToolwireError } from '@toolwire/core';
import type { UpstreamCredentialStore } from './credential-store.js';

/**
 * The server's own configured credentials (`headers`, `auth`: bearer, OAuth client credentials…),
 * the same for every caller: a shared service identity. The default.
 */
export interface ServiceUpstreamAuth {
  kind: 'service';
}

/**
 * OAuth 2.0 Token Exchange (RFC 8693): the caller's verified downstream access token is
 * exchanged at `tokenEndpoint` for a token for this upstream (its `audience` / `resource`), sent
 * as `Authorization: Bearer …` in that caller's upstream session. Cached per caller until it
 * expires, never shared between callers.
 */
export interface TokenExchangeUpstreamAuth {
  kind: 'token-exchange';
  /** The authorization server's token endpoint (https, or http on loopback). */
  tokenEndpoint: string;
  /** The gateway's client at that authorization server. */
  clientId: string;
  clientSecret: string;
  /** How the client authenticates: `client_secret_basic` (default) or `client_secret_post`. */
  authMethod?: 'client_secret_basic' | 'client_secret_post' | undefined;
  /** RFC 8693 `audience`: the logical name of the upstream at the authorization server. */
  audience?: string | undefined;
  /** RFC 8707 `resource`: the upstream's resource URL. Default: its URL when `audience` is not given. */
  resource?: string | undefined;
  /** Requested scope: a space-separated string or a list. */
  scope?: string | readonly string[] | undefined;
}

/** Per-user credentials from a store: each caller's own token or headers for this upstream. */
export interface PerUserUpstreamAuth {
  kind: 'per-user';
  store: UpstreamCredentialStore;
}

/** How one upstream server is authenticated for a downstream caller. */
export type UpstreamAuth = ServiceUpstreamAuth | TokenExchangeUpstreamAuth | PerUserUpstreamAuth;

/** `upstreamAuth`: an auth mapping per upstream server name; servers not named use `service`. */
export type UpstreamAuthMap = Readonly<Record<string, UpstreamAuth>>;

const tokenExchangeKeys = new Set([
  'kind',
  'tokenEndpoint',
  'clientId',
  'clientSecret',
  'authMethod',
  'audience',
  'resource',
  'scope',
]);

/**
 * Checks `upstreamAuth` and returns the entries that act per caller (`token-exchange`,
 * `per-user`); throws `CONFIG_INVALID` naming the path of the first problem.
 */
export function readUpstreamAuth(
  value: unknown,
): Map<string, TokenExchangeUpstreamAuth | PerUserUpstreamAuth> {
  const perCaller = new Map<string, TokenExchangeUpstreamAuth | PerUserUpstreamAuth>();
  if (value === undefined) return perCaller;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw configError('upstreamAuth', 'must be an object: { "<server>": { kind, … } }');
  }
  for (const [server, entry] of Object.entries(value)) {
    const path = `upstreamAuth.${server}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw configError(path, "must be an object with a kind ('service', 'token-exchange' or 'per-user')");
    }
    const auth = entry as Record<string, unknown>;
    switch (auth.kind) {
      case 'service':
        onlyKeys(auth, new Set(['kind']), path);
        break;
      case 'token-exchange':
        onlyKeys(auth, tokenExchangeKeys, path);
        perCaller.set(server, readTokenExchange(auth, path));
        break;
      case 'per-user': {
        onlyKeys(auth, new Set(['kind', 'store']), path);
        const store = auth.store as { get?: unknown } | undefined;
        if (typeof store !== 'object' || store === null || typeof store.get !== 'function') {
          throw configError(
            `${path}.store`,
            'must be a credential store (an object with get(principal, server))',
          );
        }
        perCaller.set(server, auth as unknown as PerUserUpstreamAuth);
        break;
      }
      case 'pass-through':
        throw configError(
          `${path}.kind`,
          "'pass-through' is not supported: the MCP authorization spec forbids an MCP server to pass the token it received from its client on to an upstream (Security Best Practices, \"Token Passthrough\"; the token was issued for the gateway, not for the upstream). Use { kind: 'token-exchange' } to obtain a token for the upstream's own audience, or 'per-user' / 'service' credentials.",
        );
      default:
        throw configError(
          `${path}.kind`,
          `must be 'service', 'token-exchange' or 'per-user', not ${JSON.stringify(auth.kind)}`,
        );
    }
  }
  return perCaller;
}

function readTokenExchange(auth: Record<string, unknown>, path: string): TokenExchangeUpstreamAuth {
  for (const key of ['tokenEndpoint', 'clientId', 'clientSecret']) {
    if (typeof auth[key] !== 'string' || auth[key] === '') {
      throw configError(`${path}.${key}`, 'is required (a non-empty string)');
    }
  }
  let endpoint: URL;
  try {
    endpoint = new URL(auth.tokenEndpoint as string);
  } catch {
    throw configError(`${path}.tokenEndpoint`, 'must be an absolute URL');
  }
  if (endpoint.protocol !== 'https:' && !(endpoint.protocol === 'http:' && isLoopback(endpoint.hostname))) {
    throw configError(`${path}.tokenEndpoint`, 'must be https (http only on loopback hosts)');
  }
  if (endpoint.username || endpoint.password) {
    throw configError(`${path}.tokenEndpoint`, 'must not carry credentials; use clientId and clientSecret');
  }
  if (
    auth.authMethod !== undefined &&
    auth.authMethod !== 'client_secret_basic' &&
    auth.authMethod !== 'client_secret_post'
  ) {
    throw configError(`${path}.authMethod`, "must be 'client_secret_basic' or 'client_secret_post'");
  }
  for (const key of ['audience', 'resource']) {
    if (auth[key] !== undefined && (typeof auth[key] !== 'string' || auth[key] === '')) {
      throw configError(`${path}.${key}`, 'must be a non-empty string');
    }
  }
  const scope = auth.scope;
  if (
    scope !== undefined &&
    typeof scope !== 'string' &&
    !(Array.isArray(scope) && scope.every((item) => typeof item === 'string'))
  ) {
    throw configError(`${path}.scope`, 'must be a string or a list of strings');
  }
  return auth as unknown as TokenExchangeUpstreamAuth;
}

function onlyKeys(auth: Record<string, unknown>, keys: ReadonlySet<string>, path: string): void {
  for (const key of Object.keys(auth)) {
    if (!keys.has(key))
      throw configError(`${path}.${key}`, `is not an option of kind '${String(auth.kind)}'`);
  }
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function configError(path: string, message: string): ToolwireError {
  return new ToolwireError({ code: 'CONFIG_INVALID', message: `${path} ${message}` });
}
