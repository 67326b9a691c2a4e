/**
 * Bearer-token protection for the HTTP endpoint: a JWT verifier (JWKS, issuer, audience,
 * expiry) or a custom one, scopes required for every request, and the RFC 9728 protected
 * resource metadata that tells clients where to get a token. The bearer check is ours rather
 * than the SDK's `verifyBearerToken`, which re-checks expiry without the JWT clock tolerance.
 */
import {
  type AuthInfo,
  bearerAuthChallengeResponse,
  OAuthError,
  OAuthErrorCode,
  type OAuthTokenVerifier,
} from '@modelcontextprotocol/server';
import { ToolwireError } from '@toolwire/core';
import {
  createJWTVerifier,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  type JWTVerifierOptions,
} from './jwt-verifier.js';

export interface PublisherAuthOptions {
  /** Verify JWT access tokens against a JWKS. */
  jwt?: JWTVerifierOptions | undefined;
  /** Or verify tokens yourself (opaque tokens, introspection); throw to refuse. */
  verify?: ((token: string) => Promise<AuthInfo>) | undefined;
  /** Authorization servers advertised in the protected resource metadata. */
  authorizationServers: readonly string[];
  /** The public URL of the MCP endpoint (the `resource`); default: derived from each request. */
  resourceUrl?: string | undefined;
  /** Scopes every request needs. Tools may need more (`scopes` on the tool). */
  requiredScopes?: readonly string[] | undefined;
  /** Advertised as `scopes_supported`. */
  scopesSupported?: readonly string[] | undefined;
  /** Advertised as `resource_name`. */
  resourceName?: string | undefined;
}

export interface ResolvedAuth {
  options: PublisherAuthOptions;
  verifier: OAuthTokenVerifier;
  /** Seconds a token stays acceptable past its `expiresAt` (the JWT clock tolerance; 0 for `verify`). */
  clockToleranceSeconds: number;
}

export function resolveAuth(options: PublisherAuthOptions): ResolvedAuth {
  const custom = options.verify;
  let verifier: OAuthTokenVerifier;
  if (custom) {
    verifier = {
      async verifyAccessToken(token) {
        try {
          return await custom(token);
        } catch (error) {
          if (error instanceof OAuthError) throw error;
          throw new OAuthError(OAuthErrorCode.InvalidToken, 'Token was refused');
        }
      },
    };
  } else if (options.jwt) {
    verifier = createJWTVerifier(options.jwt);
  } else {
    throw new ToolwireError({ code: 'CONFIG_INVALID', message: 'http.auth needs `jwt` or `verify`.' });
  }
  const clockToleranceSeconds = custom
    ? 0
    : (options.jwt?.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS);
  return { options, verifier, clockToleranceSeconds };
}

/** The RFC 9728 metadata URL for an endpoint: `/.well-known/oauth-protected-resource` + its path. */
export function metadataUrlFor(resourceUrl: URL): string {
  const path = resourceUrl.pathname === '/' ? '' : resourceUrl.pathname;
  return `${resourceUrl.origin}/.well-known/oauth-protected-resource${path}`;
}

export function protectedResourceMetadata(
  auth: PublisherAuthOptions,
  resourceUrl: URL,
): Record<string, unknown> {
  return {
    resource: resourceUrl.href,
    authorization_servers: [...auth.authorizationServers],
    bearer_methods_supported: ['header'],
    ...(auth.scopesSupported ? { scopes_supported: [...auth.scopesSupported] } : {}),
    ...(auth.resourceName ? { resource_name: auth.resourceName } : {}),
  };
}

/**
 * Verifies the request's bearer token: the auth info, or the 401/403 challenge to return (503
 * when the token could not be checked at all, e.g. the JWKS did not answer; `onError` hears why).
 */
export async function authenticate(
  request: Request,
  auth: ResolvedAuth,
  resourceMetadataUrl: string,
  onError: (error: Error) => void,
): Promise<AuthInfo | Response> {
  const requiredScopes = [...(auth.options.requiredScopes ?? [])];
  const header = request.headers.get('authorization');
  if (!header) {
    // RFC 6750 §3.1: no error code when the request carried no credentials.
    return Response.json(
      { error: 'invalid_token', error_description: 'Missing Authorization header' },
      { status: 401, headers: { 'WWW-Authenticate': `Bearer resource_metadata="${resourceMetadataUrl}"` } },
    );
  }
  try {
    const info = await verifyBearer(header, auth, requiredScopes);
    return info.resourceMetadataUrl === undefined ? { ...info, resourceMetadataUrl } : info;
  } catch (error) {
    if (error instanceof OAuthError && error.code === OAuthErrorCode.TemporarilyUnavailable) {
      onError(new ToolwireError({ code: 'AUTH_FAILED', message: error.message, cause: error }));
      return Response.json(error.toResponseObject(), { status: 503, headers: { 'Retry-After': '5' } });
    }
    return bearerAuthChallengeResponse(error, { requiredScopes, resourceMetadataUrl });
  }
}

/** `Authorization: Bearer <token>` → verified auth info with the required scopes and a live expiry. */
async function verifyBearer(header: string, auth: ResolvedAuth, requiredScopes: string[]): Promise<AuthInfo> {
  const [type, token, ...rest] = header.split(' ');
  if (type?.toLowerCase() !== 'bearer' || !token || rest.length > 0) {
    throw new OAuthError(
      OAuthErrorCode.InvalidToken,
      "Invalid Authorization header format, expected 'Bearer TOKEN'",
    );
  }
  const info = await auth.verifier.verifyAccessToken(token);
  if (!requiredScopes.every((scope) => info.scopes.includes(scope))) {
    throw new OAuthError(OAuthErrorCode.InsufficientScope, 'Insufficient scope');
  }
  if (typeof info.expiresAt !== 'number' || Number.isNaN(info.expiresAt)) {
    throw new OAuthError(OAuthErrorCode.InvalidToken, 'Token has no expiration time');
  }
  if (info.expiresAt + auth.clockToleranceSeconds < Date.now() / 1000) {
    throw new OAuthError(OAuthErrorCode.InvalidToken, 'Token has expired');
  }
  return info;
}

/** The 403 for a tool whose scopes the token lacks (RFC 6750 `insufficient_scope`, with the scopes needed). */
export function insufficientScopeResponse(
  tool: string,
  scopes: readonly string[],
  resourceMetadataUrl: string,
): Response {
  const error = new OAuthError(
    OAuthErrorCode.InsufficientScope,
    `Tool "${tool}" needs scope: ${scopes.join(' ')}`,
  );
  return bearerAuthChallengeResponse(error, { requiredScopes: [...scopes], resourceMetadataUrl });
}
