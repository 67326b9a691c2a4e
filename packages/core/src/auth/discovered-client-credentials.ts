/**
 * Client credentials whose token endpoint is discovered per the MCP authorization spec: the
 * server's 401 points at its protected-resource metadata (RFC 9728), which names the
 * authorization server, whose metadata (RFC 8414 / OIDC discovery) names the token endpoint.
 * Discovery and the token request itself go through the SDK v2 client's helpers and providers
 * (`discoverOAuthServerInfo`, `fetchToken`, `ClientCredentialsProvider`,
 * `PrivateKeyJwtProvider`, `StaticPrivateKeyJwtProvider`); we add caching around them.
 */
import {
  type AuthorizationServerMetadata,
  ClientCredentialsProvider,
  discoverOAuthServerInfo,
  extractWWWAuthenticateParams,
  type FetchLike,
  fetchToken,
  InsecureTokenEndpointError,
  IssuerMismatchError,
  type OAuthClientProvider,
  OAuthError,
  type OAuthProtectedResourceMetadata,
  PrivateKeyJwtProvider,
  StaticPrivateKeyJwtProvider,
  selectResourceURL,
} from '@modelcontextprotocol/client';
import type { ClientCredentialsAuthConfig } from '../config/server-config.js';
import { AuthError } from '../errors/auth-error.js';
import type { Redactor } from '../redaction/redactor.js';
import { redactURLs, safeUrl } from '../redaction/safe-url.js';
import type { TokenGrant } from './token-manager.js';

interface Discovery {
  authorizationServerUrl: string;
  metadata: AuthorizationServerMetadata;
  resourceMetadata: OAuthProtectedResourceMetadata | undefined;
}

export interface DiscoveredClientCredentialsOptions {
  server: string;
  serverUrl: string;
  config: ClientCredentialsAuthConfig;
  scope: string | undefined;
  fetch: FetchLike;
  /** The registry's redaction: the endpoint's text may echo what we sent, in any encoding. */
  redactor: Redactor;
}

export class DiscoveredClientCredentials {
  private discovery: Discovery | undefined;
  private resourceMetadataUrl: URL | undefined;
  private challengedScope: string | undefined;
  private readonly options: DiscoveredClientCredentialsOptions;

  constructor(options: DiscoveredClientCredentialsOptions) {
    this.options = options;
  }

  /** True once the token endpoint is known (a token can then be requested before any 401). */
  get discovered(): boolean {
    return this.discovery !== undefined;
  }

  /** Remembers what a 401's `WWW-Authenticate` says: where the resource metadata is, which scope. */
  noteChallenge(response: Response): void {
    const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(response);
    if (resourceMetadataUrl) this.resourceMetadataUrl = resourceMetadataUrl;
    if (scope) this.challengedScope = scope;
  }

  /** Discovers (once) and performs one client-credentials token request. */
  async request(): Promise<TokenGrant> {
    const { server, config } = this.options;
    const discovery = await this.discover();
    const issuer = discovery.metadata.issuer;
    if (config.issuer !== undefined && !sameIssuer(config.issuer, issuer)) {
      throw new AuthError({
        server,
        message: `Server "${server}" names authorization server ${safeUrl(issuer)}, but its credentials are for ${safeUrl(config.issuer)}; not sending them`,
      });
    }
    const provider = this.provider(config.issuer ?? issuer);
    try {
      const resource = config.resource ?? (await this.resource(provider, discovery));
      const scope = this.options.scope ?? this.challengedScope;
      const tokens = await fetchToken(provider, discovery.authorizationServerUrl, {
        metadata: discovery.metadata,
        ...(resource ? { resource } : {}),
        ...(scope ? { scope } : {}),
        fetchFn: this.options.fetch,
      });
      if (tokens.token_type && tokens.token_type.toLowerCase() !== 'bearer') {
        throw new AuthError({
          server,
          message: `Authorization server ${safeUrl(issuer)} issued a "${tokens.token_type}" token to server "${server}"; only Bearer tokens are supported for client credentials`,
        });
      }
      return {
        accessToken: tokens.access_token,
        tokenType: tokens.token_type,
        expiresInSeconds: tokens.expires_in,
        scope: tokens.scope,
      };
    } catch (error) {
      throw this.toAuthError(error, discovery);
    }
  }

  private async discover(): Promise<Discovery> {
    if (this.discovery) return this.discovery;
    const { server, serverUrl } = this.options;
    let info: Awaited<ReturnType<typeof discoverOAuthServerInfo>>;
    try {
      info = await discoverOAuthServerInfo(serverUrl, {
        ...(this.resourceMetadataUrl ? { resourceMetadataUrl: this.resourceMetadataUrl } : {}),
        fetchFn: this.options.fetch,
      });
    } catch (error) {
      const reason =
        error instanceof IssuerMismatchError
          ? `its metadata names issuer ${safeUrl(String(error.received))}, expected ${safeUrl(String(error.expected))}`
          : String((error as Error | undefined)?.message ?? error);
      throw new AuthError({
        server,
        cause: error,
        message: `Could not discover the authorization server of server "${server}" (${safeUrl(serverUrl)}): ${redactURLs(reason)}`,
      });
    }
    if (!info.authorizationServerMetadata?.token_endpoint) {
      throw new AuthError({
        server,
        message: `Could not discover a token endpoint for server "${server}": no authorization server metadata at ${safeUrl(info.authorizationServerUrl)}; set "tokenUrl" in its auth config`,
      });
    }
    this.discovery = {
      authorizationServerUrl: info.authorizationServerUrl,
      metadata: info.authorizationServerMetadata,
      resourceMetadata: info.resourceMetadata,
    };
    return this.discovery;
  }

  /** The RFC 8707 resource: the protected-resource metadata's, once checked against the server URL. */
  private async resource(provider: OAuthClientProvider, discovery: Discovery): Promise<string | undefined> {
    const selected = await selectResourceURL(this.options.serverUrl, provider, discovery.resourceMetadata);
    if (!selected) return undefined;
    return discovery.resourceMetadata?.resource ?? selected.href;
  }

  /** The SDK provider that fits the configured credential. */
  private provider(expectedIssuer: string): OAuthClientProvider {
    const { config } = this.options;
    const scope = this.options.scope;
    const common = { clientId: config.clientId, expectedIssuer, ...(scope ? { scope } : {}) };
    if (config.privateKey !== undefined) {
      return new PrivateKeyJwtProvider({
        ...common,
        privateKey: config.privateKey,
        algorithm: config.algorithm ?? 'RS256',
      });
    }
    if (config.clientAssertion !== undefined) {
      return new StaticPrivateKeyJwtProvider({ ...common, jwtBearerAssertion: config.clientAssertion });
    }
    const provider = new ClientCredentialsProvider({ ...common, clientSecret: config.clientSecret ?? '' });
    const authMethod = config.authMethod;
    if (authMethod === undefined || authMethod === 'private_key_jwt') return provider;
    // A configured method wins over what the server advertises.
    const pinned = Object.create(provider) as OAuthClientProvider;
    pinned.clientInformation = () => ({
      ...provider.clientInformation(),
      token_endpoint_auth_method: authMethod,
    });
    return pinned;
  }

  private toAuthError(error: unknown, discovery: Discovery): AuthError {
    if (AuthError.isInstance(error)) return error;
    const { server, config, redactor } = this.options;
    const where = safeUrl(discovery.metadata.token_endpoint);
    if (error instanceof OAuthError) {
      return new AuthError({
        server,
        oauthError: error.code,
        cause: error,
        message: redactor.text(
          `Token endpoint ${where} refused client "${config.clientId}" for server "${server}": ${error.code}${error.message ? `: ${error.message}` : ''}`,
        ),
      });
    }
    if (error instanceof InsecureTokenEndpointError) {
      return new AuthError({
        server,
        cause: error,
        message: `Not sending client credentials for server "${server}" to ${where}: the token endpoint must use https (or be on loopback)`,
      });
    }
    return new AuthError({
      server,
      cause: error,
      message: redactor.text(
        `Token request to ${where} for server "${server}" failed: ${redactURLs(String((error as Error | undefined)?.message ?? error))}`,
      ),
    });
  }
}

function sameIssuer(left: string, right: string): boolean {
  return left.replace(/\/+$/, '') === right.replace(/\/+$/, '');
}
