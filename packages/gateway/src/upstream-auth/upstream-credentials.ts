/**
 * Each downstream caller's credentials for the upstreams configured `token-exchange` or
 * `per-user`. Before a call (or prompt, or resource read) goes upstream, `prepare` learns the
 * caller's verified token from the tool context and obtains the caller's credential for that
 * server (exchanged once and cached until it expires, or read from the store), or throws a typed
 * error naming the server, so no call leaves without its caller's auth. The server's `headers`
 * become a function that sends that credential on every request of the caller's upstream session
 * (the registry's `sessionKey`); requests no caller made (listing the catalogue on the shared
 * connection) carry the server's own credentials.
 *
 * What is kept per caller is bounded (least recently used callers are forgotten first) and
 * forgotten when the caller's downstream token expires; one caller's entries are only ever read
 * for that caller's session key.
 */
import {
  AuthError,
  type HeadersContext,
  type Registry,
  type RegistryOptions,
  ToolwireError,
} from '@toolwire/core';
import type { RequestContext } from '@toolwire/publisher';
import type { UpstreamCredential, UpstreamPrincipal } from './credential-store.js';
import { exchangeToken } from './token-exchange.js';
import {
  type PerUserUpstreamAuth,
  readUpstreamAuth,
  type TokenExchangeUpstreamAuth,
} from './upstream-auth-options.js';

type AuthInfo = NonNullable<RequestContext['authInfo']>;
type HeadersFunction = (context: HeadersContext) => Record<string, string> | Promise<Record<string, string>>;

/** Callers remembered at once; the least recently seen are forgotten first. */
const MAX_CALLERS = 10_000;

interface CachedToken {
  token: string;
  /** From this moment (ms) the token is no longer sent; `undefined`: until the caller is forgotten. */
  staleAt: number | undefined;
}

interface Caller {
  principal: UpstreamPrincipal;
  subjectToken: string;
  /** The downstream token's expiry (ms). */
  expiresAt: number | undefined;
  /** Credential per server: exchanged tokens and store answers. */
  credentials: Map<string, CachedToken | UpstreamCredential>;
  exchanging: Map<string, Promise<CachedToken>>;
}

export interface UpstreamCredentialsOptions {
  /** Server name → its per-caller auth. */
  entries: ReadonlyMap<string, TokenExchangeUpstreamAuth | PerUserUpstreamAuth>;
  /** Used for token exchange requests. Default: global `fetch`. */
  fetch?: typeof fetch | undefined;
}

export class UpstreamCredentials {
  private readonly callers = new Map<string, Caller>();
  private readonly entries: UpstreamCredentialsOptions['entries'];
  private readonly fetch: typeof fetch;
  private registry: Registry | undefined;
  private readonly serverUrls = new Map<string, string>();

  constructor(options: UpstreamCredentialsOptions) {
    this.entries = options.entries;
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** The registry whose redaction learns every caller's tokens (set once it exists). */
  attach(registry: Registry): void {
    this.registry = registry;
    for (const entry of this.entries.values()) {
      if (entry.kind === 'token-exchange') registry.addSecret(entry.clientSecret);
    }
    // A reload attaches the new registry: it learns the tokens already known too.
    for (const caller of this.callers.values()) {
      registry.addSecret(caller.subjectToken);
      for (const credential of caller.credentials.values()) {
        if (credential.token) registry.addSecret(credential.token);
        const headers = (credential as UpstreamCredential).headers;
        if (headers) for (const value of Object.values(headers)) registry.addSecret(value);
      }
    }
  }

  /**
   * The upstreams with a `headers` function on each per-caller server, wrapping its own headers.
   * Throws `CONFIG_INVALID` for a server that is not an HTTP entry of `servers` / `mcpServers`.
   */
  wrap(upstreams: RegistryOptions): RegistryOptions {
    type Entries = NonNullable<RegistryOptions['mcpServers']>;
    const result: RegistryOptions = { ...upstreams };
    const found = new Set<string>();
    const wrapEntries = (entries: Entries): Entries =>
      Object.fromEntries(
        Object.entries(entries).map(([name, entry]) => {
          if (!this.entries.has(name)) return [name, entry];
          found.add(name);
          const server = entry as { url?: unknown; headers?: unknown };
          if (typeof server !== 'object' || server === null || typeof server.url !== 'string') {
            throw configError(
              `upstreamAuth.${name}: server "${name}" is not an HTTP server; per-caller credentials travel in HTTP headers`,
            );
          }
          this.serverUrls.set(name, server.url);
          return [name, { ...server, headers: this.headersFor(name, server.headers) }];
        }),
      );
    if (upstreams.mcpServers !== undefined) result.mcpServers = wrapEntries(upstreams.mcpServers);
    if (upstreams.servers !== undefined && !Array.isArray(upstreams.servers)) {
      result.servers = wrapEntries(upstreams.servers as Entries);
    }
    for (const name of this.entries.keys()) {
      if (!found.has(name)) {
        throw configError(
          `upstreamAuth.${name}: no server named "${name}" in upstreams (servers / mcpServers)`,
        );
      }
    }
    return result;
  }

  /**
   * Makes sure the caller has a credential for `server` before a request goes there: learns the
   * caller's token, exchanges it or reads the store. Throws `AUTH_FAILED` naming the server.
   */
  async prepare(
    server: string,
    sessionKey: string | undefined,
    authInfo: AuthInfo | undefined,
  ): Promise<void> {
    const auth = this.entries.get(server);
    if (!auth) return;
    if (!authInfo || sessionKey === undefined) {
      throw new AuthError({
        server,
        message: `Server "${server}" is called with each caller's own credentials (${auth.kind}), which needs the caller's verified token: serve the gateway over HTTP with publisher.http.auth. The call was not sent.`,
      });
    }
    const caller = await this.learn(sessionKey, authInfo);
    await this.credential(caller, server, auth, 'refresh');
  }

  /**
   * After a failed call: when `server` refused the caller's exchanged token (`AUTH_FAILED` from
   * the server, e.g. a token revoked before it expired), forgets that token and answers `true`,
   * so the call can be made once more with a new one.
   */
  rejected(server: string, sessionKey: string | undefined, error: unknown): boolean {
    if (this.entries.get(server)?.kind !== 'token-exchange' || sessionKey === undefined) return false;
    if (!ToolwireError.isInstance(error) || error.code !== 'AUTH_FAILED' || error.server !== server)
      return false;
    const caller = this.current(sessionKey);
    const known = caller?.credentials.get(server);
    if (!caller || !known || AuthError.isInstance(error)) return false;
    caller.credentials.delete(server);
    return true;
  }

  /** The headers of one upstream request for `sessionKey` (the registry asks before each request). */
  private headersFor(server: string, own: unknown): HeadersFunction {
    return async (context) => {
      const base =
        typeof own === 'function'
          ? await (own as HeadersFunction)(context)
          : ((own as Record<string, string> | undefined) ?? {});
      // No caller: the shared connection's own requests (handshake, listing) use the server's credentials.
      if (context.sessionKey === undefined) return base;
      const caller = this.current(context.sessionKey);
      const auth = this.entries.get(server);
      if (!caller || !auth) {
        throw new AuthError({
          server,
          message: `Server "${server}": no credential is known for this caller any more (its token expired); the request was not sent`,
        });
      }
      const credential = await this.credential(caller, server, auth, 'cached');
      return { ...base, ...credentialHeaders(credential) };
    };
  }

  private async learn(sessionKey: string, authInfo: AuthInfo): Promise<Caller> {
    this.registry?.addSecret(authInfo.token);
    const expiresAt = typeof authInfo.expiresAt === 'number' ? authInfo.expiresAt * 1000 : undefined;
    let caller = this.current(sessionKey);
    if (caller) {
      // The same principal with a newer token: later exchanges present that one.
      caller.subjectToken = authInfo.token;
      caller.expiresAt = expiresAt;
      this.callers.delete(sessionKey);
    } else {
      caller = {
        principal: principalOf(sessionKey, authInfo),
        subjectToken: authInfo.token,
        expiresAt,
        credentials: new Map(),
        exchanging: new Map(),
      };
    }
    this.callers.set(sessionKey, caller);
    while (this.callers.size > MAX_CALLERS) {
      this.callers.delete(this.callers.keys().next().value as string);
    }
    return caller;
  }

  /** The caller for `sessionKey`, forgotten (with its credentials) once its downstream token expired. */
  private current(sessionKey: string): Caller | undefined {
    const caller = this.callers.get(sessionKey);
    if (caller?.expiresAt !== undefined && Date.now() >= caller.expiresAt) {
      this.callers.delete(sessionKey);
      return undefined;
    }
    return caller;
  }

  /**
   * The caller's credential for `server`. `refresh` (before a call) asks the store again;
   * `cached` (per request) uses what the call's `prepare` found. Exchanged tokens are reused until
   * they go stale, one exchange at a time per caller and server.
   */
  private async credential(
    caller: Caller,
    server: string,
    auth: TokenExchangeUpstreamAuth | PerUserUpstreamAuth,
    mode: 'refresh' | 'cached',
  ): Promise<CachedToken | UpstreamCredential> {
    const known = caller.credentials.get(server);
    if (auth.kind === 'per-user') {
      if (known && mode === 'cached') return known;
      return this.fromStore(caller, server, auth);
    }
    const cached = known as CachedToken | undefined;
    if (cached && (cached.staleAt === undefined || Date.now() < cached.staleAt)) return cached;
    let pending = caller.exchanging.get(server);
    if (!pending) {
      pending = this.exchange(caller, server, auth).finally(() => caller.exchanging.delete(server));
      caller.exchanging.set(server, pending);
    }
    return pending;
  }

  private async exchange(
    caller: Caller,
    server: string,
    auth: TokenExchangeUpstreamAuth,
  ): Promise<CachedToken> {
    const requestedAt = Date.now();
    const exchanged = await exchangeToken({
      server,
      config: auth,
      serverUrl: this.serverUrls.get(server),
      subjectToken: caller.subjectToken,
      fetch: this.fetch,
      redact: (text) => (this.registry ? this.registry.redact(text) : '[redacted]'),
    });
    this.registry?.addSecret(exchanged.accessToken);
    const lifetimeMs =
      exchanged.expiresInSeconds === undefined ? undefined : exchanged.expiresInSeconds * 1000;
    const token: CachedToken = {
      token: exchanged.accessToken,
      // Stops being sent a little before it expires (a tenth of its life, at most 30 s).
      staleAt:
        lifetimeMs === undefined ? undefined : requestedAt + lifetimeMs - Math.min(30_000, lifetimeMs / 10),
    };
    caller.credentials.set(server, token);
    return token;
  }

  private async fromStore(
    caller: Caller,
    server: string,
    auth: PerUserUpstreamAuth,
  ): Promise<UpstreamCredential> {
    let credential: UpstreamCredential | undefined;
    try {
      credential = await auth.store.get(caller.principal, server);
    } catch (error) {
      throw new AuthError({
        server,
        message: this.redact(
          `Server "${server}": the credential store failed: ${(error as Error | undefined)?.message ?? String(error)}. The call was not sent.`,
        ),
      });
    }
    const headers = credential?.headers ?? {};
    if (!credential || (!credential.token && Object.keys(headers).length === 0)) {
      caller.credentials.delete(server);
      throw new AuthError({
        server,
        message: `Server "${server}" needs this caller's own credential (per-user), and the store has none for them. The call was not sent.`,
      });
    }
    if (credential.token) this.registry?.addSecret(credential.token);
    for (const value of Object.values(headers)) this.registry?.addSecret(value);
    caller.credentials.set(server, credential);
    return credential;
  }

  private redact(text: string): string {
    return this.registry ? this.registry.redact(text) : text;
  }
}

function credentialHeaders(credential: CachedToken | UpstreamCredential): Record<string, string> {
  if ('staleAt' in credential) return { authorization: `Bearer ${credential.token}` };
  return {
    ...(credential.token ? { authorization: `Bearer ${credential.token}` } : {}),
    ...credential.headers,
  };
}

function principalOf(key: string, authInfo: AuthInfo): UpstreamPrincipal {
  const extra = (authInfo.extra ?? {}) as Record<string, unknown>;
  const claims = (typeof extra.claims === 'object' && extra.claims !== null ? extra.claims : {}) as Record<
    string,
    unknown
  >;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return {
    key: key.startsWith('principal:') ? key.slice('principal:'.length) : key,
    subject: text(extra.subject) ?? text(claims.sub),
    issuer: text(extra.issuer) ?? text(claims.iss),
    clientId: authInfo.clientId,
    scopes: [...authInfo.scopes],
  };
}

function configError(message: string): ToolwireError {
  return new ToolwireError({ code: 'CONFIG_INVALID', message });
}

/**
 * Checks `upstreamAuth` and returns the per-caller credentials for it, or `undefined` when every
 * server uses its own (service) credentials. `CONFIG_INVALID` when per-caller auth cannot work:
 * a `registry` given (the gateway sets the servers' headers, so it needs `upstreams`) or shared
 * upstream sessions (one caller's credential would be sent for all).
 */
export function createUpstreamCredentials(options: {
  upstreamAuth: unknown;
  upstreams: RegistryOptions | undefined;
  upstreamSessions: 'per-principal' | 'shared';
}): UpstreamCredentials | undefined {
  const entries = readUpstreamAuth(options.upstreamAuth);
  if (entries.size === 0) return undefined;
  const names = [...entries.keys()].map((name) => `upstreamAuth.${name}`).join(', ');
  if (options.upstreams === undefined) {
    throw configError(
      `${names}: per-caller upstream auth needs \`upstreams\` (the gateway sets those servers' headers), not a \`registry\``,
    );
  }
  if (options.upstreamSessions !== 'per-principal') {
    throw configError(
      `${names}: per-caller upstream auth needs upstreamSessions: 'per-principal' (with 'shared', every caller would share one upstream identity)`,
    );
  }
  return new UpstreamCredentials({ entries, fetch: options.upstreams.fetch });
}
