/**
 * Client credentials whose token endpoint is discovered per the MCP authorization spec: the
 * server's 401 points at its protected-resource metadata (RFC 9728), which names the
 * authorization server, whose metadata (RFC 8414 / OIDC discovery) names the token endpoint.
 * Discovery and the token request itself go through the SDK v2 client's helpers and providers
 * (`discoverOAuthProtectedResourceMetadata`, `discoverAuthorizationServerMetadata`,
 * `fetchToken`, `ClientCredentialsProvider`, `PrivateKeyJwtProvider`,
 * `StaticPrivateKeyJwtProvider`); we add caching around them, and the discovery policy
 * (`discovery-policy.ts`) and request limits (`auth-fetch.ts`) in front of them: a metadata
 * pointer to another origin is ignored, a configured `issuer` is the only authorization server
 * contacted, and token requests never follow redirects.
 */
import {
  type AuthorizationServerMetadata,
  ClientCredentialsProvider,
  discoverAuthorizationServerMetadata,
  discoverOAuthProtectedResourceMetadata,
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
import type { Logger } from '../logging/logger.js';
import type { Redactor } from '../redaction/redactor.js';
import { redactURLs, safeUrl } from '../redaction/safe-url.js';
import { guardAuthFetch } from './auth-fetch.js';
import { type DiscoveryPolicy, refuseInsecure } from './discovery-policy.js';
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
  policy: DiscoveryPolicy;
  logger: Logger;
}

export class DiscoveredClientCredentials {
  private discovery: Discovery | undefined;
  private resourceMetadataUrl: URL | undefined;
  /** A pointer the policy refused (warned about once), for the error if discovery then fails. */
  private refusedPointer: string | undefined;
  private challengedScope: string | undefined;
  private readonly options: DiscoveredClientCredentialsOptions;
  private readonly metadataFetch: FetchLike;
  private readonly tokenFetch: FetchLike;

  constructor(options: DiscoveredClientCredentialsOptions) {
    this.options = options;
    this.metadataFetch = guardAuthFetch(options.fetch, 'metadata', { server: options.server });
    this.tokenFetch = guardAuthFetch(options.fetch, 'token', { server: options.server });
  }

  /** True once the token endpoint is known (a token can then be requested before any 401). */
  get discovered(): boolean {
    return this.discovery !== undefined;
  }

  /** Remembers what a 401's `WWW-Authenticate` says: where the resource metadata is, which scope. */
  noteChallenge(response: Response): void {
    const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(response);
    if (resourceMetadataUrl) {
      const { server, serverUrl, policy, logger } = this.options;
      const refusal = policy.refuseResourceMetadata(resourceMetadataUrl, serverUrl);
      if (refusal === undefined) {
        this.resourceMetadataUrl = resourceMetadataUrl;
      } else if (this.refusedPointer !== resourceMetadataUrl.href) {
        this.refusedPointer = resourceMetadataUrl.href;
        logger.warn(
          `[${server}] not fetching the resource metadata its 401 points at (${safeUrl(resourceMetadataUrl.href)}): ${refusal}; looking at the well-known URIs of ${safeUrl(serverUrl)} instead`,
          { server },
        );
      }
    }
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
        fetchFn: this.tokenFetch,
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
    const { server, serverUrl, config } = this.options;
    const fail = (reason: string, cause?: unknown) =>
      new AuthError({
        server,
        cause,
        message: `Could not discover the authorization server of server "${server}" (${safeUrl(serverUrl)}): ${redactURLs(reason)}${this.refusalHint()}`,
      });

    let resourceMetadata: OAuthProtectedResourceMetadata | undefined;
    try {
      resourceMetadata = await discoverOAuthProtectedResourceMetadata(
        serverUrl,
        this.resourceMetadataUrl ? { resourceMetadataUrl: this.resourceMetadataUrl } : undefined,
        this.metadataFetch,
      );
    } catch (error) {
      // Our limits (size, deadline, https) and network failures end discovery; a server without
      // metadata is its own authorization server, as the spec's 2025-03-26 fallback has it.
      if (AuthError.isInstance(error)) throw fail(error.message, error);
      if (error instanceof TypeError) throw fail(String(error.message), error);
    }
    const listed = resourceMetadata?.authorization_servers ?? [];
    let authorizationServerUrl: string;
    if (config.issuer !== undefined) {
      // Only the configured issuer is ever contacted: it must be among those the server names.
      if (listed.length > 0 && !listed.some((candidate) => sameIssuer(candidate, config.issuer!))) {
        throw new AuthError({
          server,
          message: `Server "${server}" names authorization server ${listed.map((candidate) => safeUrl(candidate)).join(', ')}, but its credentials are for ${safeUrl(config.issuer)}; not sending them`,
        });
      }
      authorizationServerUrl =
        listed.find((candidate) => sameIssuer(candidate, config.issuer!)) ?? config.issuer;
    } else {
      authorizationServerUrl = listed[0] ?? new URL('/', serverUrl).href;
    }
    let parsed: URL;
    try {
      parsed = new URL(authorizationServerUrl);
    } catch {
      throw fail(`its metadata names an invalid authorization server URL`);
    }
    const insecure = refuseInsecure(parsed);
    if (insecure) throw fail(`authorization server ${safeUrl(authorizationServerUrl)}: ${insecure}`);

    let metadata: AuthorizationServerMetadata | undefined;
    try {
      metadata = await discoverAuthorizationServerMetadata(authorizationServerUrl, {
        fetchFn: this.metadataFetch,
      });
    } catch (error) {
      const reason =
        error instanceof IssuerMismatchError
          ? `its metadata names issuer ${safeUrl(String(error.received))}, expected ${safeUrl(String(error.expected))}`
          : AuthError.isInstance(error)
            ? error.message
            : String((error as Error | undefined)?.message ?? error);
      throw fail(reason, error);
    }
    if (!metadata?.token_endpoint) {
      throw new AuthError({
        server,
        message: `Could not discover a token endpoint for server "${server}": no authorization server metadata at ${safeUrl(authorizationServerUrl)}; set "tokenUrl" in its auth config${this.refusalHint()}`,
      });
    }
    this.discovery = { authorizationServerUrl, metadata, resourceMetadata };
    return this.discovery;
  }

  /** Names a refused metadata pointer in a discovery error, with the option that allows it. */
  private refusalHint(): string {
    if (this.refusedPointer === undefined) return '';
    const origin = new URL(this.refusedPointer).origin;
    return ` (its 401 pointed at ${safeUrl(this.refusedPointer)}, which was not fetched: add "${origin}" to authDiscovery.allowedOrigins if that is where its metadata lives)`;
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
