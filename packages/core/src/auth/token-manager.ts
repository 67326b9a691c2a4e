/**
 * The token lifecycle for one client: cached until shortly before expiry, refreshed ahead of time
 * in the background, one refresh at a time (concurrent callers share it), shared through the
 * token store (so a fleet fetches one token), and refreshed once when the server rejects the
 * token we sent. A definitive refusal from the token endpoint (`invalid_client`,
 * `invalid_scope`, …) is remembered for a short cool-down, so a burst of calls cannot turn
 * into a burst of token requests.
 */
import { AuthError } from '../errors/auth-error.js';
import type { Logger } from '../logging/logger.js';
import type { GuardedTokenStore } from './guarded-token-store.js';
import type { StoredToken } from './token-store.js';

/** What one successful token request returned. */
export interface TokenGrant {
  accessToken: string;
  tokenType: string | undefined;
  expiresInSeconds: number | undefined;
  scope: string | undefined;
}

export interface TokenManagerOptions {
  /** The store key (secret-free). */
  key: string;
  /** The registry's token store, behind its deadline and outage handling. */
  store: GuardedTokenStore;
  /** Performs one token request; throws `AuthError`. */
  request: () => Promise<TokenGrant>;
  /** The configured server name, for messages. */
  server: string;
  logger: Logger;
  /** How long a definitive refusal is remembered (ms). Default 10 s. */
  failureCooldownMs?: number;
  /** Sees every access token as it is obtained or read from the store (the registry redacts them). */
  onToken?: (accessToken: string) => void;
}

/** Kept in the store this long when the endpoint gives no lifetime; the token is then used until a 401. */
const UNKNOWN_LIFETIME_TTL_MS = 60 * 60 * 1000;
/** How long one process holds the fleet lock while it fetches, and how long others wait for it. */
const LOCK_TTL_MS = 15_000;
const LOCK_WAIT_MS = 5_000;
const LOCK_POLL_MS = 50;
/** OAuth errors that another identical request would get again. */
const DEFINITIVE_ERRORS = new Set([
  'invalid_client',
  'invalid_scope',
  'unauthorized_client',
  'invalid_grant',
  'unsupported_grant_type',
  'invalid_request',
  'invalid_target',
]);

/** From this moment a background refresh starts (the token is still used meanwhile). */
export function refreshAt(token: StoredToken): number {
  if (token.expiresAt === undefined) return Number.POSITIVE_INFINITY;
  const lifetime = token.expiresAt - token.obtainedAt;
  return token.expiresAt - Math.min(5 * 60_000, lifetime * 0.25);
}

/** From this moment the token is no longer sent: callers wait for a new one. */
export function staleAt(token: StoredToken): number {
  if (token.expiresAt === undefined) return Number.POSITIVE_INFINITY;
  const lifetime = token.expiresAt - token.obtainedAt;
  return token.expiresAt - Math.min(30_000, lifetime * 0.1);
}

export class TokenManager {
  private current: StoredToken | undefined;
  private refreshing: Promise<StoredToken> | undefined;
  private failure: { error: AuthError; until: number } | undefined;
  private readonly options: TokenManagerOptions;

  constructor(options: TokenManagerOptions) {
    this.options = options;
  }

  /** A valid access token, requesting one when needed. Throws `AuthError`. */
  async token(): Promise<string> {
    const now = Date.now();
    const current = this.current;
    if (current && now < refreshAt(current)) return current.accessToken;
    if (current && now < staleAt(current)) {
      this.refreshInBackground();
      return current.accessToken;
    }
    return (await this.refresh(undefined)).accessToken;
  }

  /** A usable token from memory or the store, without requesting one; `undefined` if there is none. */
  async cachedToken(): Promise<string | undefined> {
    const now = Date.now();
    if (this.current && now < staleAt(this.current)) return this.current.accessToken;
    const shared = await this.readStore(undefined, staleAt);
    if (shared) this.adopt(shared);
    return shared?.accessToken;
  }

  /**
   * The server answered 401 to a request that carried `rejected` (or no token). Unless another
   * caller already replaced that token, gets a new one (single flight).
   */
  async handleRejected(rejected: string | undefined): Promise<void> {
    const current = this.current;
    if (current && current.accessToken !== rejected && Date.now() < staleAt(current)) return;
    if (current && current.accessToken === rejected) this.current = undefined;
    await this.refresh(rejected);
  }

  private refreshInBackground(): void {
    this.refresh(undefined).catch((error: unknown) => {
      this.options.logger.warn(
        `[${this.options.server}] background token refresh failed; the current token is used until it expires: ${(error as Error).message}`,
        { server: this.options.server },
      );
    });
  }

  private refresh(rejected: string | undefined): Promise<StoredToken> {
    if (this.refreshing) return this.refreshing;
    const attempt = this.refreshOnce(rejected).finally(() => {
      this.refreshing = undefined;
    });
    this.refreshing = attempt;
    return attempt;
  }

  private async refreshOnce(rejected: string | undefined): Promise<StoredToken> {
    const { store, key } = this.options;
    if (this.failure && Date.now() < this.failure.until) throw this.failure.error;
    const shared = await this.readStore(rejected, refreshAt);
    if (shared) return this.adopt(shared);

    const lock = await store.lock(`${key}:lock`, LOCK_TTL_MS);
    if (lock.state === 'held') {
      // Another worker is fetching: use its token when it lands, or fetch our own after a while.
      const awaited = await this.waitForStore(rejected);
      if (awaited) return this.adopt(awaited);
    }
    try {
      const requestedAt = Date.now();
      const grant = await this.options.request();
      this.options.onToken?.(grant.accessToken);
      const token = toStoredToken(grant, requestedAt);
      const ttlMs =
        token.expiresAt === undefined
          ? UNKNOWN_LIFETIME_TTL_MS
          : Math.max(1_000, token.expiresAt - Date.now());
      await store.write(key, token, ttlMs);
      this.failure = undefined;
      this.options.logger.debug(
        `[${this.options.server}] obtained an access token${grant.expiresInSeconds === undefined ? '' : ` (expires in ${grant.expiresInSeconds} s)`}`,
        { server: this.options.server },
      );
      return this.adopt(token);
    } catch (error) {
      const failure = AuthError.isInstance(error)
        ? error
        : new AuthError({
            server: this.options.server,
            cause: error,
            message: `Could not obtain an access token for server "${this.options.server}"`,
          });
      if (failure.oauthError !== undefined && DEFINITIVE_ERRORS.has(failure.oauthError)) {
        this.failure = { error: failure, until: Date.now() + (this.options.failureCooldownMs ?? 10_000) };
      }
      throw failure;
    } finally {
      if (lock.state === 'acquired') await lock.release();
    }
  }

  /** When the token in use was obtained and when it expires (no value), or `undefined` before the first. */
  lifetime(): { obtainedAt: number; expiresAt: number | undefined } | undefined {
    const current = this.current;
    return current ? { obtainedAt: current.obtainedAt, expiresAt: current.expiresAt } : undefined;
  }

  private adopt(token: StoredToken): StoredToken {
    this.options.onToken?.(token.accessToken);
    this.current = token;
    return token;
  }

  /** A token from the store that is not the rejected one and is fresh by `freshUntil`. */
  private async readStore(
    rejected: string | undefined,
    freshUntil: (token: StoredToken) => number,
  ): Promise<StoredToken | undefined> {
    const token = await this.options.store.read(this.options.key);
    if (!token || token.accessToken === rejected || Date.now() >= freshUntil(token)) return undefined;
    return token;
  }

  /** Polls the store for the lock holder's token; gives up at once if the store goes away. */
  private async waitForStore(rejected: string | undefined): Promise<StoredToken | undefined> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    while (Date.now() < deadline && this.options.store.available) {
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
      const token = await this.readStore(rejected, refreshAt);
      if (token) return token;
    }
    return undefined;
  }
}

/**
 * The lifetime counts from when the request was sent, less a second: `expires_in` is whole
 * seconds and servers round their issue time down, so a token may expire up to a second before
 * a naive reading says.
 */
function toStoredToken(grant: TokenGrant, requestedAt: number): StoredToken {
  const seconds = grant.expiresInSeconds;
  const lifetimeMs =
    seconds === undefined || !(seconds > 0) ? undefined : Math.max(seconds * 1000 - 1000, seconds * 500);
  return {
    accessToken: grant.accessToken,
    tokenType: grant.tokenType ?? 'Bearer',
    scope: grant.scope,
    obtainedAt: requestedAt,
    expiresAt: lifetimeMs === undefined ? undefined : requestedAt + lifetimeMs,
  };
}
