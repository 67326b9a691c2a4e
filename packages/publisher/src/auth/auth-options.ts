/**
 * Bearer-token protection for the HTTP endpoint: a JWT verifier (JWKS, issuer, audience,
 * expiry) or a custom one, scopes required for every request, and the RFC 9728 protected
 * resource metadata that tells clients where to get a token.
 */
import {
  type AuthInfo,
  bearerAuthChallengeResponse,
  OAuthError,
  OAuthErrorCode,
  type OAuthTokenVerifier,
  verifyBearerToken,
} from '@modelcontextprotocol/server';
import { createJWTVerifier, type JWTVerifierOptions } from './jwt-verifier.js';

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
    throw new TypeError('auth needs `jwt` or `verify`.');
  }
  return { options, verifier };
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

/** Verifies the request's bearer token: the auth info, or the 401/403 challenge to return. */
export async function authenticate(
  request: Request,
  auth: ResolvedAuth,
  resourceMetadataUrl: string,
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
    return await verifyBearerToken(header, { verifier: auth.verifier, requiredScopes, resourceMetadataUrl });
  } catch (error) {
    return bearerAuthChallengeResponse(error, { requiredScopes, resourceMetadataUrl });
  }
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
