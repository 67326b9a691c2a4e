/**
 * Verifies JWT access tokens locally: the `typ` header (RFC 9068 §4: `at+jwt`, so an ID token or
 * any other JWT from the same issuer is not taken for an access token), the signature against
 * the issuer's JWKS (fetched and cached by `jose`; an unknown `kid` refetches it, at most once
 * per cooldown), issuer, audience, and the time claims with a clock tolerance: `exp` (required),
 * `nbf`, and an `iat` in the future. The token's scopes come from `scope` (space-separated,
 * RFC 9068) or `scp`. Failure messages name the failed check, never the token; a key set that
 * cannot be fetched is `temporarily_unavailable`, not the token's fault.
 */
import {
  type AuthInfo,
  OAuthError,
  OAuthErrorCode,
  type OAuthTokenVerifier,
} from '@modelcontextprotocol/server';
import { ToolwireError } from '@toolwire/core';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  type JSONWebKeySet,
  errors as joseErrors,
  jwtVerify,
} from 'jose';

export interface JWTVerifierOptions {
  /** The issuer's JWKS URL (e.g. `https://auth.example.com/jwks`). */
  jwksUrl?: string | URL | undefined;
  /** Or the key set itself (tests, static keys). */
  jwks?: JSONWebKeySet | undefined;
  /** Required `iss`. */
  issuer: string;
  /** Required `aud` (the MCP server's resource identifier, usually its URL). */
  audience: string | readonly string[];
  /** Accepted algorithms; default: what the key says (jose refuses `none`). */
  algorithms?: readonly string[] | undefined;
  /** Allowed clock skew in seconds, for `exp`, `nbf` and `iat`. Default 5. */
  clockToleranceSeconds?: number | undefined;
  /**
   * Accepted values of the token's `typ` header. Default `['at+jwt']` (RFC 9068; also matches
   * `application/at+jwt`). Identity providers that issue access tokens as `typ: JWT` (Microsoft
   * Entra ID; Auth0's default token profile; Keycloak unless the client is set to `at+jwt`) need
   * `['at+jwt', 'JWT']`; `'any'` also accepts tokens without `typ` (Amazon Cognito). With either,
   * the `audience` check is what keeps an ID token (also `typ: JWT`, with the client id as its
   * audience) from passing as an access token: set it to this server's resource URL.
   */
  accessTokenTypes?: readonly string[] | 'any' | undefined;
  /**
   * After a JWKS fetch, how long an unknown `kid` does not cause another fetch (a rotated-in key
   * is refused for at most this long; a flood of made-up `kid`s costs at most one fetch per
   * period). Default 5,000 ms.
   */
  jwksCooldownMs?: number | undefined;
  /** How long a JWKS fetch may take; past it, requests get 503. Default 5,000 ms. */
  jwksTimeoutMs?: number | undefined;
}

export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;
const DEFAULT_JWKS_COOLDOWN_MS = 5_000;
const DEFAULT_JWKS_TIMEOUT_MS = 5_000;

/**
 * Creates the verifier `http.auth.jwt` uses.
 *
 * @example
 * ```ts
 * const verifier = createJWTVerifier({
 *   jwksUrl: 'https://auth.example.com/.well-known/jwks.json',
 *   issuer: 'https://auth.example.com/',
 *   audience: 'https://tools.example.com/mcp',
 * });
 * ```
 */
export function createJWTVerifier(options: JWTVerifierOptions): OAuthTokenVerifier {
  const keySet = options.jwks
    ? createLocalJWKSet(options.jwks)
    : options.jwksUrl
      ? createRemoteJWKSet(new URL(options.jwksUrl), {
          cooldownDuration: milliseconds(options.jwksCooldownMs, DEFAULT_JWKS_COOLDOWN_MS, 'jwksCooldownMs'),
          timeoutDuration: milliseconds(options.jwksTimeoutMs, DEFAULT_JWKS_TIMEOUT_MS, 'jwksTimeoutMs'),
        })
      : undefined;
  if (!keySet) throw configError('createJWTVerifier needs jwksUrl or jwks.');
  const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const types = options.accessTokenTypes ?? ['at+jwt'];
  const accepted = types === 'any' ? undefined : new Set(types.map(normalizeType));
  const keySetName = options.jwksUrl ? describeUrl(new URL(options.jwksUrl)) : 'the configured key set';
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      if (accepted) checkType(token, accepted);
      try {
        const { payload } = await jwtVerify(token, keySet, {
          issuer: options.issuer,
          audience: [...(typeof options.audience === 'string' ? [options.audience] : options.audience)],
          clockTolerance: tolerance,
          requiredClaims: ['exp'],
          ...(options.algorithms ? { algorithms: [...options.algorithms] } : {}),
        });
        if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + tolerance) {
          throw new OAuthError(OAuthErrorCode.InvalidToken, 'Token was issued in the future (iat)');
        }
        const scopes =
          typeof payload.scope === 'string'
            ? payload.scope.split(' ').filter(Boolean)
            : Array.isArray(payload.scp)
              ? payload.scp.filter((scope): scope is string => typeof scope === 'string')
              : [];
        const clientId = [payload.client_id, payload.azp, payload.sub].find(
          (value) => typeof value === 'string',
        );
        const info: AuthInfo = {
          token,
          clientId: (clientId as string | undefined) ?? 'unknown',
          scopes,
          extra: { claims: payload },
        };
        if (typeof payload.exp === 'number') info.expiresAt = payload.exp;
        return info;
      } catch (error) {
        if (error instanceof OAuthError) throw error;
        if (keySetUnavailable(error)) {
          throw new OAuthError(
            OAuthErrorCode.TemporarilyUnavailable,
            `The token could not be verified: ${keySetName} could not be fetched (${describeFetchFailure(error)}).`,
          );
        }
        throw new OAuthError(OAuthErrorCode.InvalidToken, describe(error));
      }
    },
  };
}

/** Media types compare case-insensitively, and `application/` may be left out (RFC 7515 §4.1.9). */
function normalizeType(type: string): string {
  const lower = type.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

function checkType(token: string, accepted: ReadonlySet<string>): void {
  let typ: unknown;
  try {
    typ = decodeProtectedHeader(token).typ;
  } catch {
    return; // Malformed: jwtVerify names the problem.
  }
  if (typeof typ !== 'string' || !accepted.has(normalizeType(typ))) {
    throw new OAuthError(
      OAuthErrorCode.InvalidToken,
      `Token is not an access token: its typ header must be one of ${[...accepted].join(', ')}`,
    );
  }
}

/** The JWKS could not be used: timeout, network failure, non-200 or unparsable answer. */
function keySetUnavailable(error: unknown): boolean {
  if (!(error instanceof joseErrors.JOSEError)) return true;
  return (
    error instanceof joseErrors.JWKSTimeout ||
    error instanceof joseErrors.JWKSInvalid ||
    error.code === joseErrors.JOSEError.code
  );
}

function describeFetchFailure(error: unknown): string {
  if (error instanceof joseErrors.JWKSTimeout) return 'timed out';
  if (error instanceof joseErrors.JWKSInvalid) return 'not a key set';
  if (error instanceof joseErrors.JOSEError) return 'not a 200 JSON answer';
  return 'network error';
}

/** Origin and path only: a JWKS URL's query or userinfo may carry a secret. */
function describeUrl(url: URL): string {
  return `the key set at ${url.origin}${url.pathname}`;
}

function milliseconds(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0)
    throw configError(`auth.jwt.${name} must be a whole number of milliseconds, 0 or more.`);
  return value;
}

function configError(message: string): ToolwireError {
  return new ToolwireError({ code: 'CONFIG_INVALID', message });
}

function describe(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'Token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `Token claim check failed: ${error.claim}`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'Token signature is invalid';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'Token was signed with an unknown key';
  if (error instanceof joseErrors.JOSEError) return `Token is invalid (${error.code})`;
  return 'Token could not be verified';
}
