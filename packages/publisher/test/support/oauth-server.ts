/**
 * A real OAuth 2.0 authorization server on 127.0.0.1 for auth tests: `oidc-provider` issuing JWT
 * access tokens through the client-credentials grant, with resource indicators (RFC 8707) so
 * each token's audience is the resource it was requested for. The token lifetime can be changed
 * between requests to mint short-lived tokens. Two clients (`agent`, `agent-b`) stand for two
 * users: a client-credentials token's subject is its client, so their tokens name different
 * principals.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface OAuthServer {
  issuer: string;
  jwksUrl: string;
  /** Requests a token with the client-credentials grant (as `agent` unless `client` says otherwise). */
  token(options: {
    resource: string;
    scope: string;
    ttlSeconds?: number;
    client?: OAuthClientName;
  }): Promise<string>;
  close(): Promise<void>;
}

/** The registered clients: each one is a distinct principal (its tokens' `sub`). */
export type OAuthClientName = 'agent' | 'agent-b';

/** The resource (tokens' audience) of a publisher under test that `publisherAuth` guards. */
export const PUBLISHER_RESOURCE = 'http://toolwire.test/mcp';

/** `http.auth` for a publisher at {@link PUBLISHER_RESOURCE} verifying the JWTs `oauth` issues. */
export function publisherAuth(oauth: Pick<OAuthServer, 'jwksUrl' | 'issuer'>) {
  return {
    jwt: { jwksUrl: oauth.jwksUrl, issuer: oauth.issuer, audience: PUBLISHER_RESOURCE },
    authorizationServers: [oauth.issuer],
    resourceUrl: PUBLISHER_RESOURCE,
  };
}
const CLIENT_SECRETS: Record<OAuthClientName, string> = {
  agent: 'agent-secret-for-tests-only',
  'agent-b': 'agent-b-secret-for-tests-only',
};
const SCOPES = 'mcp files:read files:write';

export async function startOAuthServer(): Promise<OAuthServer> {
  let handler: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => {
    response.statusCode = 503;
    response.end();
  };
  const server: Server = createServer((request, response) => handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let ttlSeconds = 300;
  const provider = new Provider(issuer, {
    clients: Object.entries(CLIENT_SECRETS).map(([clientId, secret]) => ({
      client_id: clientId,
      client_secret: secret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      scope: SCOPES,
    })),
    scopes: SCOPES.split(' '),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined,
        useGrantedResource: () => true,
        getResourceServerInfo: (_context: unknown, resourceIndicator: string) => ({
          scope: SCOPES,
          audience: resourceIndicator,
          accessTokenTTL: ttlSeconds,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  } as ConstructorParameters<typeof Provider>[1]);
  handler = provider.callback();
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    async token({ resource, scope, ttlSeconds: ttl, client = 'agent' }) {
      ttlSeconds = ttl ?? 300;
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${client}:${CLIENT_SECRETS[client]}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope }),
      });
      const body = (await response.json()) as {
        access_token?: string;
        error?: string;
        error_description?: string;
      };
      if (!body.access_token)
        throw new Error(`token request failed: ${body.error} ${body.error_description}`);
      return body.access_token;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
