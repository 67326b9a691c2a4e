/**
 * Where configuration meets transports: turns a server's `auth` entry into what the SDK's HTTP
 * transports accept (`authProvider`, an SDK `AuthProvider` `{ token(), onUnauthorized() }` or
 * an `OAuthClientProvider`) plus a `fetch` wrapper that notes which token each 401 rejected.
 * One `ServerAuth` per configured server, shared by all its connections (shared and
 * per-conversation), so the token cache and its single-flight refresh span them all. The
 * layer also owns the registry's view of the token store (deadlines, outages: see
 * `guarded-token-store.ts`) and the discovery policy every server's auth goes through.
 */
import {
  type AddClientAuthentication,
  type AuthProvider,
  createPrivateKeyJwtAuth,
  type FetchLike,
  type OAuthClientProvider,
  resourceUrlFromServerUrl,
} from '@modelcontextprotocol/client';
import type {
  ClientCredentialsAuthConfig,
  HttpServerDefinition,
  ServerDefinition,
} from '../config/server-config.js';
import type { Logger } from '../logging/logger.js';
import type { Redactor } from '../redaction/redactor.js';
import { observeOAuthProvider } from '../redaction/secret-sources.js';
import { DEFAULT_STORE_TIMEOUT_MS, type StoreRetryOptions } from '../stores/store-health.js';
import { type ClientAuthMethod, requestClientCredentialsToken } from './client-credentials.js';
import { DiscoveredClientCredentials } from './discovered-client-credentials.js';
import { type AuthDiscoveryOptions, DiscoveryPolicy } from './discovery-policy.js';
import { DPoPKey, type DPoPOptions, withDPoP } from './dpop.js';
import { createEnterpriseAuthorization } from './enterprise-authorization.js';
import { GuardedTokenStore } from './guarded-token-store.js';
import { JWTBearerGrant } from './jwt-bearer-grant.js';
import { tokenCacheKey } from './token-cache-key.js';
import { type TokenGrant, TokenManager } from './token-manager.js';
import { createMemoryTokenStore, type TokenStore } from './token-store.js';
import { UserOAuth } from './user-oauth.js';

/** What the transports of one server get from the auth layer. */
export interface ServerAuth {
  authProvider: AuthProvider | OAuthClientProvider;
  /** Wraps the fetch the transport uses, so a 401 can be matched to the token it rejected. */
  wrapFetch(fetch: FetchLike): FetchLike;
  /** The current access token's lifetime, for auth kinds whose tokens the registry obtains. */
  tokenLifetime?(): { obtainedAt: number; expiresAt: number | undefined } | undefined;
}

export interface AuthLayerOptions {
  /** Shared token cache. Default: one in-memory store per registry. */
  tokenStore?: TokenStore | undefined;
  /** Longest wait for one token store call (ms). Default 1 s. */
  storeTimeoutMs?: number | undefined;
  /** Pauses between attempts at a failed token store. Default 1 s doubling to 30 s. */
  storeRetry?: StoreRetryOptions | undefined;
  /** Where discovery may fetch metadata from (see `discovery-policy.ts`). */
  discovery?: AuthDiscoveryOptions | undefined;
  /** The registry's DPoP key (see `dpop.ts`). */
  dpop?: DPoPOptions | undefined;
  /** Used for token endpoint and discovery requests. Default: global `fetch`. */
  fetch?: FetchLike | undefined;
  logger: Logger;
  /** The registry's redaction; tokens are added to its secrets as they are obtained. */
  redactor: Redactor;
}

/** Builds and keeps one `ServerAuth` per server definition. */
export class AuthLayer {
  private readonly byDefinition = new WeakMap<ServerDefinition, ServerAuth | undefined>();
  private readonly store: GuardedTokenStore;
  private readonly policy: DiscoveryPolicy;
  private readonly dpopKey: DPoPKey;
  private readonly options: AuthLayerOptions;

  constructor(options: AuthLayerOptions) {
    this.options = options;
    // Validated first: a bad option is a ConfigError before anything is opened.
    this.policy = new DiscoveryPolicy(options.discovery);
    this.dpopKey = new DPoPKey(options.dpop);
    const logger = options.logger;
    this.store = new GuardedTokenStore(options.tokenStore ?? createMemoryTokenStore(), {
      timeoutMs: options.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS,
      retry: options.storeRetry,
      log: (level, message) => logger[level](message),
    });
  }

  /** Returns the registry's lease on the token store (a store you passed stays open). */
  close(): Promise<void> {
    return this.store.close();
  }

  /** The server's auth, or `undefined` when it has none the transports need (stdio, static bearer). */
  forServer(definition: ServerDefinition): ServerAuth | undefined {
    if (this.byDefinition.has(definition)) return this.byDefinition.get(definition);
    const auth = this.create(definition);
    this.byDefinition.set(definition, auth);
    return auth;
  }

  private create(definition: ServerDefinition): ServerAuth | undefined {
    if (definition.transport === 'stdio') return undefined;
    const auth = definition.auth;
    if (auth?.type === 'oauth') {
      // The user's tokens become known secrets as the provider stores or hands them out.
      const observed = observeOAuthProvider(auth.provider, this.options.redactor.secrets);
      const authProvider = auth.dpop ? withDPoP(auth.provider, observed, this.dpopKey.session()) : observed;
      return new UserOAuth(definition, authProvider, this.policy, this.options.logger);
    }
    if (auth?.type === 'jwt_bearer' || auth?.type === 'enterprise') {
      const { secrets } = this.options.redactor;
      const fetch = this.options.fetch ?? ((url, init) => globalThis.fetch(url, init));
      const onSecret = (secret: string) => secrets.addRuntime(secret);
      const provider =
        auth.type === 'jwt_bearer'
          ? new JWTBearerGrant({
              server: definition.name,
              clientId: auth.clientId,
              clientSecret: auth.clientSecret,
              assertion: auth.assertion,
              scope: Array.isArray(auth.scope) ? auth.scope.join(' ') : auth.scope || undefined,
              onAssertion: onSecret,
            })
          : createEnterpriseAuthorization({ server: definition.name, config: auth, fetch, onSecret });
      return new UserOAuth(
        definition,
        observeOAuthProvider(provider, secrets),
        this.policy,
        this.options.logger,
      );
    }
    if (auth?.type === 'client_credentials') {
      return new ClientCredentialsAuth(definition, auth, {
        store: this.store,
        policy: this.policy,
        fetch: this.options.fetch ?? ((url, init) => globalThis.fetch(url, init)),
        logger: this.options.logger,
        redactor: this.options.redactor,
      });
    }
    return undefined;
  }
}

interface ClientCredentialsAuthOptions {
  store: GuardedTokenStore;
  policy: DiscoveryPolicy;
  fetch: FetchLike;
  logger: Logger;
  redactor: Redactor;
}

/** Client credentials (direct or discovered) as an SDK `AuthProvider`. */
class ClientCredentialsAuth implements ServerAuth {
  readonly authProvider: AuthProvider;
  private readonly rejectedTokens = new WeakMap<Response, string | undefined>();
  private readonly discovered: DiscoveredClientCredentials | undefined;
  private readonly manager: Promise<TokenManager>;
  /** The manager once `manager` resolved (it is built from a hash, asynchronously). */
  private resolvedManager: TokenManager | undefined;

  constructor(
    definition: HttpServerDefinition,
    config: ClientCredentialsAuthConfig,
    options: ClientCredentialsAuthOptions,
  ) {
    const server = definition.name;
    const scope = Array.isArray(config.scope) ? config.scope.join(' ') : config.scope || undefined;
    const { redactor } = options;
    const tokenUrl = config.tokenUrl;
    let request: () => Promise<TokenGrant>;
    if (tokenUrl !== undefined) {
      const authMethod: ClientAuthMethod =
        config.authMethod ??
        (config.privateKey !== undefined || config.clientAssertion !== undefined
          ? 'private_key_jwt'
          : 'client_secret_basic');
      const addClientAssertion = assertionFor(config, tokenUrl);
      request = () =>
        requestClientCredentialsToken({
          server,
          tokenUrl,
          clientId: config.clientId,
          clientSecret: config.clientSecret,
          authMethod,
          addClientAssertion,
          scope,
          audience: config.audience,
          resource: config.resource,
          fetch: options.fetch,
          redactor,
        });
    } else {
      const discovered = new DiscoveredClientCredentials({
        server,
        serverUrl: definition.url,
        config,
        scope,
        fetch: options.fetch,
        redactor,
        policy: options.policy,
        logger: options.logger,
      });
      this.discovered = discovered;
      request = () => discovered.request();
    }
    this.manager = tokenCacheKey({
      endpoint: tokenUrl ?? `discover:${resourceUrlFromServerUrl(definition.url).href}`,
      clientId: config.clientId,
      scope,
      audience: config.audience,
      resource: config.resource,
      issuer: config.issuer,
      credential: JSON.stringify([config.clientSecret, config.privateKey, config.clientAssertion]),
    }).then(
      (key) =>
        new TokenManager({
          key,
          store: options.store,
          request,
          server,
          logger: options.logger,
          onToken: (token) => redactor.secrets.addRuntime(token),
        }),
    );

    this.manager.then(
      (manager) => {
        this.resolvedManager = manager;
      },
      () => {},
    );

    this.authProvider = {
      token: async () => {
        const manager = await this.manager;
        // Discovery starts from the server's 401; until then only a cached token is sent.
        if (this.discovered && !this.discovered.discovered) return manager.cachedToken();
        return manager.token();
      },
      onUnauthorized: async (context) => {
        this.discovered?.noteChallenge(context.response);
        const manager = await this.manager;
        await manager.handleRejected(this.rejectedTokens.get(context.response));
      },
    };
  }

  tokenLifetime(): { obtainedAt: number; expiresAt: number | undefined } | undefined {
    return this.resolvedManager?.lifetime();
  }

  wrapFetch(fetch: FetchLike): FetchLike {
    return async (url, init) => {
      const response = await fetch(url, init);
      if (response.status === 401) this.rejectedTokens.set(response, bearerToken(init?.headers));
      return response;
    };
  }
}

function assertionFor(
  config: ClientCredentialsAuthConfig,
  tokenUrl: string,
): AddClientAuthentication | undefined {
  if (config.clientAssertion !== undefined) {
    const assertion = config.clientAssertion;
    return (_headers, params) => {
      params.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      params.set('client_assertion', assertion);
    };
  }
  if (config.privateKey === undefined) return undefined;
  // A fresh assertion (new jti, short lifetime) is signed for every token request.
  return createPrivateKeyJwtAuth({
    issuer: config.clientId,
    subject: config.clientId,
    privateKey: config.privateKey,
    alg: config.algorithm ?? 'RS256',
    audience: config.issuer ?? tokenUrl,
  });
}

function bearerToken(headers: HeadersInit | undefined): string | undefined {
  if (!headers) return undefined;
  const value = new Headers(headers).get('authorization');
  return value?.toLowerCase().startsWith('bearer ') ? value.slice(7) : undefined;
}
