/**
 * Downstream users of a gateway with real tokens: the gateway's resource URL, the publisher auth
 * options that verify the test OAuth server's JWTs for it, and an SDK v2 client connected as one
 * user (a token from the OAuth server, sent as a bearer token).
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { OAuthClientName, OAuthServer } from '../../../publisher/test/support/oauth-server.js';

/** The gateway's resource (its tokens' audience). */
export const GATEWAY_RESOURCE = 'http://gateway.toolwire.test/mcp';

/** `publisher.http.auth` for a gateway whose tokens `oauth` issues. */
export function gatewayAuth(oauth: Pick<OAuthServer, 'jwksUrl' | 'issuer'>) {
  return {
    jwt: { jwksUrl: oauth.jwksUrl, issuer: oauth.issuer, audience: GATEWAY_RESOURCE },
    authorizationServers: [oauth.issuer],
    resourceUrl: GATEWAY_RESOURCE,
  };
}

/** A token of `user` for the gateway, with `scope`. */
export function gatewayToken(oauth: OAuthServer, user: OAuthClientName, scope = 'mcp'): Promise<string> {
  return oauth.token({ resource: GATEWAY_RESOURCE, scope, client: user });
}

/** An SDK v2 client of the gateway at `url` as `user`; added to `clients` for closing. */
export async function connectUser(options: {
  oauth: OAuthServer;
  url: string;
  user: OAuthClientName;
  scope?: string;
  clients: Client[];
  name?: string;
}): Promise<Client> {
  const token = await gatewayToken(options.oauth, options.user, options.scope);
  const client = new Client({ name: options.name ?? `gateway-${options.user}`, version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(options.url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  options.clients.push(client);
  return client;
}
