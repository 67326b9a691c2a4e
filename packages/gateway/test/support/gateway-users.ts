/**
 * Downstream users of a gateway with real tokens: the gateway's resource URL, the publisher auth
 * options that verify the test OAuth server's JWTs for it, an SDK v2 client connected as one
 * user (a token from the OAuth server, sent as a bearer token), and `startUsersGateway`, the
 * OAuth server + gateway + `connectAs` set-up the two-user tests share.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import {
  type OAuthClientName,
  type OAuthServer,
  startOAuthServer,
} from '../../../publisher/test/support/oauth-server.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/index.js';

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

/** A gateway whose downstream users hold real tokens: see {@link startUsersGateway}. */
export interface UsersGateway {
  oauth: OAuthServer;
  gateway: Gateway;
  /** The gateway's `/mcp` URL on loopback. */
  url: string;
  /** An SDK v2 client connected as `user`; closed by `close()`. */
  connectAs(user: OAuthClientName, options?: { scope?: string; name?: string }): Promise<Client>;
  /** A token of `user` for the gateway, with `scope` (default `mcp`). */
  token(user: OAuthClientName, scope?: string): Promise<string>;
  /** Closes the clients `connectAs` made, the gateway, then the OAuth server (not the upstreams). */
  close(): Promise<void>;
}

/**
 * The set-up the two-user gateway tests share: a real OAuth server (oidc-provider on loopback),
 * a gateway from `options` whose downstream verifies that server's JWTs ({@link gatewayAuth};
 * `publisher` settings other than `http.auth` may be given) and listens on loopback, and a
 * `connectAs` per user. The upstreams are the caller's: started before, closed after `close()`.
 */
export async function startUsersGateway(
  options: GatewayOptions,
  defaults: { clientName?: string } = {},
): Promise<UsersGateway> {
  const oauth = await startOAuthServer();
  const clients: Client[] = [];
  let gateway: Gateway | undefined;
  try {
    gateway = await createGateway({
      ...options,
      publisher: {
        onError: () => {},
        ...options.publisher,
        http: { ...options.publisher?.http, auth: gatewayAuth(oauth) },
      },
    });
    const { url } = await gateway.listen();
    const started = gateway;
    return {
      oauth,
      gateway: started,
      url,
      connectAs: (user, { scope, name } = {}) =>
        connectUser({
          oauth,
          url,
          user,
          clients,
          ...(scope === undefined ? {} : { scope }),
          ...(name === undefined && defaults.clientName === undefined
            ? {}
            : { name: name ?? `${defaults.clientName}-${user}` }),
        }),
      token: (user, scope) => gatewayToken(oauth, user, scope),
      async close() {
        for (const client of clients.splice(0)) await client.close().catch(() => {});
        await started.close();
        await oauth.close();
      },
    };
  } catch (error) {
    await gateway?.close().catch(() => {});
    await oauth.close();
    throw error;
  }
}
