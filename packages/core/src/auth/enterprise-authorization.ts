/**
 * Enterprise-managed authorization (MCP's SEP-990 extension, "Identity Assertion Authorization
 * Grant") for `auth: { type: 'enterprise', … }`: the company's identity provider decides which
 * MCP servers an employee may use, and no per-server consent screen appears. Two token requests:
 *   1. at the IdP's token endpoint, the user's ID token (from the SSO login the app already did)
 *      is exchanged (RFC 8693) for an identity assertion grant (ID-JAG) naming the MCP server's
 *      authorization server and the server as resource;
 *   2. at that authorization server, the ID-JAG is presented as a JWT bearer grant (RFC 7523)
 *      for an access token.
 * The SDK has both halves (`requestJwtAuthorizationGrant`, `CrossAppAccessProvider`, which the
 * transports drive after discovering the authorization server from the server's 401); we build
 * them from typed options, send the IdP request through the same guarded fetch as every other
 * token request (no redirects, bounded answer, deadline), and make the ID token a secret.
 */
import {
  CrossAppAccessProvider,
  type FetchLike,
  type OAuthClientProvider,
  requestJwtAuthorizationGrant,
} from '@modelcontextprotocol/client';
import type { EnterpriseAuthConfig } from '../config/server-config.js';
import { AuthError } from '../errors/auth-error.js';
import { guardAuthFetch } from './auth-fetch.js';

export interface EnterpriseAuthorizationOptions {
  server: string;
  config: EnterpriseAuthConfig;
  fetch: FetchLike;
  /** Called with each ID token and ID-JAG obtained, so they are redacted like other secrets. */
  onSecret: (secret: string) => void;
}

/** The provider the transports drive for a server with `auth: { type: 'enterprise' }`. */
export function createEnterpriseAuthorization(options: EnterpriseAuthorizationOptions): OAuthClientProvider {
  const { server, config } = options;
  const idpFetch = guardAuthFetch(options.fetch, 'token', { server });
  const scope = Array.isArray(config.scope) ? config.scope.join(' ') : config.scope || undefined;
  return new CrossAppAccessProvider({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    ...(config.issuer === undefined ? {} : { expectedIssuer: config.issuer }),
    fetchFn: options.fetch,
    assertion: async (grant) => {
      const idToken = await obtainIdToken(config, server);
      options.onSecret(idToken);
      try {
        const { jwtAuthGrant } = await requestJwtAuthorizationGrant({
          tokenEndpoint: config.idp.tokenUrl,
          audience: grant.authorizationServerUrl,
          resource: grant.resourceUrl,
          idToken,
          clientId: config.idp.clientId,
          ...(config.idp.clientSecret === undefined ? {} : { clientSecret: config.idp.clientSecret }),
          ...((scope ?? grant.scope) ? { scope: scope ?? grant.scope } : {}),
          fetchFn: idpFetch,
        });
        options.onSecret(jwtAuthGrant);
        return jwtAuthGrant;
      } catch (error) {
        if (AuthError.isInstance(error)) throw error;
        throw new AuthError({
          server,
          cause: error,
          message: `The identity provider did not grant access to server "${server}": ${(error as Error | undefined)?.message ?? String(error)}`,
        });
      }
    },
  });
}

async function obtainIdToken(config: EnterpriseAuthConfig, server: string): Promise<string> {
  let value: unknown;
  try {
    value = typeof config.idToken === 'string' ? config.idToken : await config.idToken({ server });
  } catch (error) {
    throw new AuthError({
      server,
      cause: error,
      message: `The ID token for server "${server}" could not be obtained: ${(error as Error | undefined)?.message ?? String(error)}`,
    });
  }
  if (typeof value !== 'string' || value === '') {
    throw new AuthError({ server, message: `The ID token for server "${server}" is empty` });
  }
  return value;
}
