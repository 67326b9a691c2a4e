/**
 * The JWT bearer authorization grant (RFC 7523 §2.1) as an SDK `OAuthClientProvider`, for
 * `auth: { type: 'jwt_bearer', clientId, assertion }`: a workload presents a JWT its platform
 * issued (a Kubernetes service-account token, a cloud workload identity, a CI job's OIDC token)
 * and gets an access token for the MCP server, with no secret of its own to store. This is MCP's
 * workload identity federation extension (SEP-1933).
 *
 * The SDK transports run it like any provider: on the server's 401 they discover the
 * authorization server (protected-resource metadata, then its metadata), call
 * `prepareTokenRequest()` for the grant's parameters and save the tokens here. We add the rules
 * of the grant: the assertion is asked for afresh per token request (workload tokens rotate, so
 * give a function when yours does), and an assertion the authorization server refused is never
 * sent again (SEP-1933: no retry with the same assertion, no falling back to another grant).
 */
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthTokens,
} from '@modelcontextprotocol/client';
import { AuthError } from '../errors/auth-error.js';

/** The grant type of RFC 7523 §2.1. */
export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Produces the JWT to present, per token request. */
export type JWTAssertionSource = (context: { server: string }) => string | Promise<string>;

export interface JWTBearerGrantOptions {
  /** The configured server name, for messages and the assertion source. */
  server: string;
  clientId: string;
  /** Authenticates the client (`client_secret_basic`); without it the client is public (`none`). */
  clientSecret: string | undefined;
  assertion: string | JWTAssertionSource;
  scope: string | undefined;
  /** Called with each assertion obtained, so it is redacted like any other secret. */
  onAssertion: (assertion: string) => void;
}

export class JWTBearerGrant implements OAuthClientProvider {
  private readonly options: JWTBearerGrantOptions;
  private saved: OAuthTokens | undefined;
  /** Configured, never registered: no `saveClientInformation`, so the SDK never tries DCR. */
  private readonly client: OAuthClientInformationMixed;
  /** The assertion of the token request in flight (set until tokens are saved). */
  private unanswered: string | undefined;

  constructor(options: JWTBearerGrantOptions) {
    this.options = options;
    this.client = {
      client_id: options.clientId,
      ...(options.clientSecret === undefined ? {} : { client_secret: options.clientSecret }),
    };
  }

  get redirectUrl(): undefined {
    return undefined;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      redirect_uris: [],
      grant_types: [JWT_BEARER_GRANT_TYPE],
      token_endpoint_auth_method: this.options.clientSecret === undefined ? 'none' : 'client_secret_basic',
    };
  }

  clientInformation(): OAuthClientInformationMixed {
    return this.client;
  }

  tokens(): OAuthTokens | undefined {
    return this.saved;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.saved = tokens;
    this.unanswered = undefined;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'tokens') this.saved = undefined;
  }

  redirectToAuthorization(): never {
    throw new AuthError({
      server: this.options.server,
      message: `Server "${this.options.server}" asked for a user's authorization, but its auth is a JWT bearer grant (no user is involved); check that its authorization server accepts ${JWT_BEARER_GRANT_TYPE}`,
    });
  }

  saveCodeVerifier(): void {}

  codeVerifier(): never {
    throw new AuthError({
      server: this.options.server,
      message: `Server "${this.options.server}": a JWT bearer grant has no PKCE verifier`,
    });
  }

  async prepareTokenRequest(scope?: string): Promise<URLSearchParams> {
    const { server } = this.options;
    const assertion = await this.assertion();
    if (assertion === this.unanswered) {
      throw new AuthError({
        server,
        message: `An earlier token request for server "${server}" with this same JWT bearer assertion failed; it is not sent again (give a function as \`assertion\` to present a fresh one)`,
      });
    }
    this.unanswered = assertion;
    const params = new URLSearchParams({ grant_type: JWT_BEARER_GRANT_TYPE, assertion });
    const requested = this.options.scope ?? scope;
    if (requested) params.set('scope', requested);
    return params;
  }

  private async assertion(): Promise<string> {
    const { server, assertion } = this.options;
    let value: unknown;
    try {
      value = typeof assertion === 'string' ? assertion : await assertion({ server });
    } catch (error) {
      throw new AuthError({
        server,
        cause: error,
        message: `The JWT bearer assertion for server "${server}" could not be obtained: ${(error as Error | undefined)?.message ?? String(error)}`,
      });
    }
    if (typeof value !== 'string' || value.split('.').length !== 3) {
      throw new AuthError({
        server,
        message: `The JWT bearer assertion for server "${server}" is not a JWT (expected header.payload.signature)`,
      });
    }
    this.options.onAssertion(value);
    return value;
  }
}
