/**
 * Verifies JWT access tokens locally: signature against the issuer's JWKS (fetched and cached
 * by `jose`), issuer, audience, expiry and not-before. The token's scopes come from `scope`
 * (space-separated, RFC 9068) or `scp`. Failure messages name the failed check, never the token.
 */
import {
  type AuthInfo,
  OAuthError,
  OAuthErrorCode,
  type OAuthTokenVerifier,
} from '@modelcontextprotocol/server';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
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
  /** Allowed clock skew in seconds. Default 5. */
  clockToleranceSeconds?: number | undefined;
}

export function createJWTVerifier(options: JWTVerifierOptions): OAuthTokenVerifier {
  const keySet = options.jwks
    ? createLocalJWKSet(options.jwks)
    : options.jwksUrl
      ? createRemoteJWKSet(new URL(options.jwksUrl))
      : undefined;
  if (!keySet) throw new TypeError('createJWTVerifier needs jwksUrl or jwks.');
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      try {
        const { payload } = await jwtVerify(token, keySet, {
          issuer: options.issuer,
          audience: [...(typeof options.audience === 'string' ? [options.audience] : options.audience)],
          clockTolerance: options.clockToleranceSeconds ?? 5,
          ...(options.algorithms ? { algorithms: [...options.algorithms] } : {}),
        });
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
        throw new OAuthError(OAuthErrorCode.InvalidToken, describe(error));
      }
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'Token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `Token claim check failed: ${error.claim}`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'Token signature is invalid';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'Token was signed with an unknown key';
  if (error instanceof joseErrors.JOSEError) return `Token is invalid (${error.code})`;
  return 'Token could not be verified';
}
