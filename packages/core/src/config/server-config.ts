/**
 * The canonical, validated shape of one MCP server, whatever shape the user wrote it in
 * (`mcpServers` JSON, the seed list shapes, or code). Everything downstream reads only this.
 */
import type { OAuthClientProvider } from '@modelcontextprotocol/client';
import type { ServerLogLevel } from '../events/registry-events.js';

/**
 * Headers sent with every HTTP request to a server. The function form is called before every
 * request with the context of the caller that request is for, so a value that changes (a user's
 * token for one conversation) is always current, and each caller's requests carry that caller's
 * own values even on a shared connection. Legacy SSE fixes headers per connection, so there a
 * function gives each `sessionKey` its own connection.
 */
export type HeadersInput =
  | Record<string, string>
  | ((context: HeadersContext) => Record<string, string> | Promise<Record<string, string>>);

export interface HeadersContext {
  /** The configured server name. */
  server: string;
  /**
   * The `sessionKey` of the caller this request is for (`callTool(…, { sessionKey })`).
   * `undefined` for a caller without one, and for requests no caller made (the handshake, tool
   * listing, the event stream) on a shared connection; on a per-conversation connection those
   * get the conversation's key.
   */
  sessionKey: string | undefined;
}

/** How a server's tools are exposed: `'shared'` (one connection) or one connection per `sessionKey`. */
export type SessionScope = 'shared' | 'per-conversation';

/**
 * Protocol era selection. `'auto'` probes for a 2026-07-28 server and falls back to the 2025
 * handshake; `'legacy'` speaks only the 2025 handshake; a version string pins that revision.
 */
export type ProtocolSelection = 'auto' | 'legacy' | (string & {});

/** Bearer token sent as `Authorization: Bearer …` on every request. */
export interface BearerAuthConfig {
  type: 'bearer';
  token: string;
}

/**
 * OAuth 2.0 client credentials (machine to machine). With `tokenUrl` the token endpoint is called
 * directly; without it, the endpoint is discovered per the MCP authorization spec (protected
 * resource metadata → authorization server metadata) when the server first answers 401.
 * Give exactly one credential: `clientSecret`, `privateKey` (signs a `private_key_jwt`
 * assertion per request) or `clientAssertion` (a pre-built assertion).
 */
export interface ClientCredentialsAuthConfig {
  type: 'client_credentials';
  clientId: string;
  clientSecret?: string | undefined;
  /** PEM (PKCS#8) string or JWK for `private_key_jwt`. */
  privateKey?: string | Record<string, unknown> | undefined;
  /** Signing algorithm for `privateKey` (`RS256`, `ES256`, …). Default `RS256`. */
  algorithm?: string | undefined;
  /** A pre-built, signed JWT client assertion (`private_key_jwt` without the key). */
  clientAssertion?: string | undefined;
  /** The token endpoint. Omit it to discover the endpoint from the server. */
  tokenUrl?: string | undefined;
  /**
   * The authorization server's issuer. With discovery, credentials are sent only to this
   * issuer's token endpoint (recommended); with `tokenUrl`, it is the `private_key_jwt` audience.
   */
  issuer?: string | undefined;
  /** Requested scope: a space-separated string or a list. */
  scope?: string | string[] | undefined;
  /** `audience` parameter some providers (Auth0, Okta) require. */
  audience?: string | undefined;
  /** RFC 8707 resource indicator. Discovery uses the server's protected-resource metadata. */
  resource?: string | undefined;
  /**
   * How the client authenticates to the token endpoint. Default: `client_secret_basic` for a
   * secret (or what a discovered server supports), `private_key_jwt` for a key or assertion.
   */
  authMethod?: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | undefined;
}

/**
 * User-facing OAuth (authorization code + PKCE) through the SDK's `OAuthClientProvider`, which
 * owns the user's tokens and the redirect. See `finishOAuth` for the callback side.
 */
export interface OAuthAuthConfig {
  type: 'oauth';
  provider: OAuthClientProvider;
  /**
   * Bind the tokens to the registry's DPoP key (RFC 9449): proofs in the token request and on
   * every MCP request, `Authorization: DPoP …`, nonces retried. For servers whose authorization
   * server issues DPoP-bound tokens. Default `false` (a provider with its own `dpop()` uses it).
   */
  dpop?: boolean | undefined;
}

/** Produces a token or assertion per request, for credentials that rotate. */
export type CredentialSource = (context: { server: string }) => string | Promise<string>;

/**
 * The JWT bearer grant (RFC 7523 §2.1), for workload identity federation (MCP's SEP-1933): the
 * workload presents a JWT its platform issued (Kubernetes service-account token, cloud workload
 * identity, CI OIDC token) and needs no secret of its own. The token endpoint is discovered from
 * the server. An assertion whose token request failed is never sent again, so give a function
 * when your platform rotates the token.
 */
export interface JWTBearerAuthConfig {
  type: 'jwt_bearer';
  /** The client id registered with the server's authorization server. */
  clientId: string;
  /** For a confidential client (`client_secret_basic`); omit it for a public one. */
  clientSecret?: string | undefined;
  /** The JWT to present, or a function returning a current one for each token request. */
  assertion: string | CredentialSource;
  /** Requested scope: a space-separated string or a list. Default: what the server asks for. */
  scope?: string | string[] | undefined;
}

/**
 * Enterprise-managed authorization (MCP's SEP-990): the user's ID token from your enterprise
 * identity provider (SSO) is exchanged at that provider for an identity assertion grant (RFC
 * 8693), which the server's authorization server takes as a JWT bearer grant (RFC 7523). The
 * company's IdP decides who may use which server; no consent screen per server.
 */
export interface EnterpriseAuthConfig {
  type: 'enterprise';
  /** The client registered with the MCP server's authorization server. */
  clientId: string;
  clientSecret: string;
  /** The signed-in user's OpenID Connect ID token, or a function returning a current one. */
  idToken: string | CredentialSource;
  /** The enterprise identity provider: its token endpoint and this app's client there. */
  idp: { tokenUrl: string; clientId: string; clientSecret?: string | undefined };
  /**
   * The issuer of the server's authorization server (recommended): the client's credentials
   * and the grant are sent to it only, whatever authorization server the MCP server names.
   */
  issuer?: string | undefined;
  /** Requested scope: a space-separated string or a list. Default: what the server asks for. */
  scope?: string | string[] | undefined;
}

export type AuthConfig =
  | BearerAuthConfig
  | ClientCredentialsAuthConfig
  | OAuthAuthConfig
  | JWTBearerAuthConfig
  | EnterpriseAuthConfig;

interface ServerDefinitionBase {
  /** The server's name in the configuration (also the default tool-name prefix). */
  name: string;
  /** Where in the configuration this server was defined, e.g. `mcpServers.weather`. */
  configPath: string;
  description: string | undefined;
  /** Exact names or globs (`get_*`); when set, only matching tools are enabled. */
  enabledTools: string[] | undefined;
  /** Exact names or globs; matching tools are disabled. Applied after `enabledTools`. */
  disabledTools: string[] | undefined;
  /** A disabled server is listed but never connected. */
  disabled: boolean;
  connectTimeoutMs: number;
  callTimeoutMs: number;
  /**
   * Largest message accepted from the server (bytes; default 10 MiB). A bigger reply fails its
   * call with `RESULT_TOO_LARGE` and is never buffered whole; the connection stays usable.
   */
  maxMessageBytes: number;
  /** Overrides the registry's prefix for this server's tool names; `false` asks for no prefix. */
  toolPrefix: string | false | undefined;
  session: SessionScope;
  protocol: ProtocolSelection;
  /**
   * The least severe log message this server should send (`logging/setLevel` on 2025 servers
   * that declare logging, the per-request log level on 2026-07-28); lower ones are also dropped
   * on arrival. Default: the registry's `serverLogLevel`.
   */
  logLevel: ServerLogLevel | undefined;
}

export interface StdioServerDefinition extends ServerDefinitionBase {
  transport: 'stdio';
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string | undefined;
  /** What happens to the server's stderr: forwarded to the logger (`'pipe'`, default), `'inherit'`, `'ignore'`. */
  stderr: 'pipe' | 'inherit' | 'ignore';
}

export interface HttpServerDefinition extends ServerDefinitionBase {
  /** `'auto'`: Streamable HTTP first, falling back to legacy SSE when the server only speaks SSE. */
  transport: 'streamable-http' | 'sse' | 'auto';
  url: string;
  headers: HeadersInput | undefined;
  auth: AuthConfig | undefined;
}

export type ServerDefinition = StdioServerDefinition | HttpServerDefinition;

export type TransportKind = ServerDefinition['transport'];
