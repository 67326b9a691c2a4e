/**
 * A real OAuth 2.0 authorization server for the gateway's upstream-auth tests: `oidc-provider` on
 * 127.0.0.1 issuing JWT access tokens (RFC 9068) with resource indicators, and performing OAuth
 * 2.0 Token Exchange (RFC 8693), which oidc-provider has no grant for: one is registered here.
 *
 * - Two users, `agent` and `agent-b`: client-credentials clients whose tokens' subject is the
 *   client, so their downstream tokens name two principals.
 * - The gateway's client `toolwire-gateway` may use client credentials (service identity) and the
 *   token-exchange grant: the subject token must be an access token this server signed (`typ`
 *   `at+jwt`, signature, issuer, unexpired, audience the gateway); the issued token keeps its
 *   `sub`, names the gateway in `client_id` and `act`, and is for the requested audience/resource.
 * - Exchanges are counted per subject; the lifetime of exchanged tokens can be changed, and the
 *   next exchanges can be made to fail with an answer that echoes the subject token (raw, base64
 *   and URL-encoded), as a careless server might.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  sign,
  verify,
} from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export const GATEWAY_CLIENT = { id: 'toolwire-gateway', secret: 'gateway-exchange-secret-for-tests-only' };
export type UserName = 'agent' | 'agent-b';

/** An upstream listing's `auth`: the gateway's own client credentials at `oauth`, for `resource`. */
export function gatewayClientCredentials(oauth: Pick<ExchangeServer, 'tokenEndpoint'>, resource: string) {
  return {
    type: 'client_credentials' as const,
    clientId: GATEWAY_CLIENT.id,
    clientSecret: GATEWAY_CLIENT.secret,
    tokenUrl: oauth.tokenEndpoint,
    resource,
  };
}

/** An `upstreamAuth` entry: exchange each user's token at `oauth` as the gateway's client. */
export function gatewayTokenExchange(oauth: Pick<ExchangeServer, 'tokenEndpoint'>) {
  return {
    kind: 'token-exchange' as const,
    tokenEndpoint: oauth.tokenEndpoint,
    clientId: GATEWAY_CLIENT.id,
    clientSecret: GATEWAY_CLIENT.secret,
  };
}
const USER_SECRETS: Record<UserName, string> = {
  agent: 'agent-secret-for-exchange-tests',
  'agent-b': 'agent-b-secret-for-exchange-tests',
};
const SCOPES = 'mcp upstream:read';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

export interface ExchangeServer {
  issuer: string;
  jwksUrl: string;
  tokenEndpoint: string;
  /** A downstream token for `user`, for `resource` (the gateway). */
  userToken(user: UserName, resource: string): Promise<string>;
  /** Token exchange requests answered, successful or not, per subject. */
  exchanges: Map<string, number>;
  /** Lifetime (seconds) of the tokens the exchange issues. Default 300. */
  exchangedTtlSeconds: number;
  /** While true, exchanges fail with `invalid_grant`, echoing the subject token in three encodings. */
  failExchanges: boolean;
  close(): Promise<void>;
}

type Context = {
  oidc: { client?: { clientId: string }; params: Record<string, unknown> };
  status: number;
  body: unknown;
};

/** `gatewayResource`: the audience a subject token must have (the gateway's resource URL). */
export async function startExchangeServer(options: { gatewayResource: string }): Promise<ExchangeServer> {
  let handler: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => {
    response.statusCode = 503;
    response.end();
  };
  const server: Server = createServer((request, response) => handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'exchange-test-key';
  const privateJWK = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const signingKey = createPrivateKey({ key: privateJWK, format: 'jwk' });
  const publicKey = createPublicKey(signingKey);

  const state = {
    exchanges: new Map<string, number>(),
    exchangedTtlSeconds: 300,
    failExchanges: false,
  };

  const provider = new Provider(issuer, {
    jwks: { keys: [privateJWK] },
    clients: [
      ...Object.entries(USER_SECRETS).map(([clientId, secret]) => ({
        client_id: clientId,
        client_secret: secret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        scope: SCOPES,
      })),
      {
        client_id: GATEWAY_CLIENT.id,
        client_secret: GATEWAY_CLIENT.secret,
        grant_types: ['client_credentials', TOKEN_EXCHANGE],
        redirect_uris: [],
        response_types: [],
        scope: SCOPES,
      },
    ],
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
          accessTokenTTL: 300,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  }) as Provider & {
    registerGrantType(
      name: string,
      handler: (context: Context) => Promise<void>,
      parameters: string[],
      duplicates?: string[],
    ): void;
  };

  /** The claims of a valid subject token, or why it is not one. */
  const checkSubjectToken = (token: unknown, type: unknown): Record<string, unknown> | string => {
    if (type !== ACCESS_TOKEN_TYPE) return 'subject_token_type must be an access token';
    if (typeof token !== 'string') return 'subject_token is missing';
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature) return 'subject_token is not a JWT';
    const signed = verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      publicKey,
      Buffer.from(signature, 'base64url'),
    );
    if (!signed) return 'subject_token signature is invalid';
    const head = JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    if (head.typ !== 'at+jwt') return 'subject_token is not an access token';
    if (claims.iss !== issuer) return 'subject_token was issued elsewhere';
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(options.gatewayResource)) return 'subject_token was not issued for the gateway';
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) return 'subject_token has expired';
    if (typeof claims.sub !== 'string') return 'subject_token has no subject';
    return claims;
  };

  const signJWT = (claims: Record<string, unknown>): string => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${encode({ alg: 'RS256', typ: 'at+jwt', kid })}.${encode(claims)}`;
    return `${input}.${sign('RSA-SHA256', Buffer.from(input), signingKey).toString('base64url')}`;
  };

  provider.registerGrantType(
    TOKEN_EXCHANGE,
    async (context) => {
      const { client, params } = context.oidc;
      const refuse = (error: string, description: string) => {
        context.status = 400;
        context.body = { error, error_description: description };
      };
      if (client?.clientId !== GATEWAY_CLIENT.id) return refuse('unauthorized_client', 'not the gateway');
      const subjectToken = params.subject_token;
      const claims = checkSubjectToken(subjectToken, params.subject_token_type);
      if (typeof claims === 'string') return refuse('invalid_grant', claims);
      const subject = claims.sub as string;
      state.exchanges.set(subject, (state.exchanges.get(subject) ?? 0) + 1);
      if (state.failExchanges) {
        const token = subjectToken as string;
        return refuse(
          'invalid_grant',
          `refused ${token} (${Buffer.from(token).toString('base64')}; ${encodeURIComponent(`${token}/`)})`,
        );
      }
      const audience = params.audience ?? params.resource;
      if (typeof audience !== 'string') return refuse('invalid_target', 'audience or resource is required');
      const now = Math.floor(Date.now() / 1000);
      const ttl = state.exchangedTtlSeconds;
      context.body = {
        access_token: signJWT({
          iss: issuer,
          sub: subject,
          aud: audience,
          client_id: GATEWAY_CLIENT.id,
          act: { sub: GATEWAY_CLIENT.id },
          scope: typeof params.scope === 'string' ? params.scope : 'mcp',
          iat: now,
          exp: now + ttl,
          jti: randomUUID(),
        }),
        issued_token_type: ACCESS_TOKEN_TYPE,
        token_type: 'Bearer',
        expires_in: ttl,
      };
    },
    ['subject_token', 'subject_token_type', 'requested_token_type', 'audience', 'resource', 'scope'],
  );
  handler = provider.callback();

  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    tokenEndpoint: `${issuer}/token`,
    exchanges: state.exchanges,
    get exchangedTtlSeconds() {
      return state.exchangedTtlSeconds;
    },
    set exchangedTtlSeconds(value: number) {
      state.exchangedTtlSeconds = value;
    },
    get failExchanges() {
      return state.failExchanges;
    },
    set failExchanges(value: boolean) {
      state.failExchanges = value;
    },
    async userToken(user, resource) {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${user}:${USER_SECRETS[user]}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope: 'mcp' }),
      });
      const body = (await response.json()) as { access_token?: string; error?: string };
      if (!body.access_token) throw new Error(`token request failed: ${body.error}`);
      return body.access_token;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
