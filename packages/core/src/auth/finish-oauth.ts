/**
 * The redirect side of user-facing OAuth (authorization code + PKCE). When a server with
 * `auth: { type: 'oauth', provider }` needs the user's consent, the SDK calls the provider's
 * `redirectToAuthorization(url)` and the server's status becomes `failed` with `AUTH_FAILED`.
 * Your redirect route then calls `finishOAuth()` with the callback URL (or the code), which
 * exchanges the code for tokens through the same provider, and `registry.refresh(server)`.
 * Its requests (metadata, token) go through `auth-fetch.ts`: no redirect is followed for the
 * code exchange, every answer is size-capped and has a deadline.
 */
import { auth, type FetchLike, type OAuthClientProvider, OAuthError } from '@modelcontextprotocol/client';
import { AuthError } from '../errors/auth-error.js';
import { Redactor } from '../redaction/redactor.js';
import { redactURLs, safeUrl } from '../redaction/safe-url.js';
import { secretSensingFetch } from '../redaction/secret-sources.js';
import { guardStandaloneFetch } from './auth-fetch.js';
import { providerForCodeExchange } from './dpop.js';

export interface FinishOAuthOptions {
  /** The MCP server's URL, as configured. */
  serverUrl: string | URL;
  /** The same provider the server's `auth` entry uses. */
  provider: OAuthClientProvider;
  /** The full redirect URL the user agent arrived at (`code`, `state`, `iss` are read from it). */
  callbackUrl?: string | URL | undefined;
  /** The `code` parameter, when you parsed the callback yourself. */
  authorizationCode?: string | undefined;
  /** The `iss` parameter of the callback, when present (RFC 9207). */
  iss?: string | undefined;
  /**
   * The `state` you expect (what `provider.state()` returned). When given, a callback whose
   * `state` differs is rejected.
   */
  expectedState?: string | undefined;
  /** Replaces the global `fetch` (the limits of token and metadata requests still apply). */
  fetch?: FetchLike | undefined;
  /** The configured server name, for error messages. */
  server?: string | undefined;
}

/**
 * Completes an authorization-code flow: validates the callback and exchanges the code for tokens,
 * which the provider saves. Throws `AuthError` (`AUTH_FAILED`) when the user denied access, the
 * callback is invalid, or the token endpoint refused the code.
 *
 * @example
 * ```ts
 * app.get('/oauth/callback', async (request, response) => {
 *   await finishOAuth({ serverUrl, provider, callbackUrl: new URL(request.url, 'https://agent.example.com') });
 *   await registry.refresh('github');
 *   response.redirect('/');
 * });
 * ```
 */
export async function finishOAuth(options: FinishOAuthOptions): Promise<void> {
  const server = options.server;
  const label = server === undefined ? safeUrl(String(options.serverUrl)) : `server "${server}"`;
  let code = options.authorizationCode;
  let iss = options.iss;
  if (options.callbackUrl !== undefined) {
    const callback = new URL(String(options.callbackUrl));
    const error = callback.searchParams.get('error');
    if (error) {
      const description = callback.searchParams.get('error_description');
      throw new AuthError({
        server,
        oauthError: error,
        message: `Authorization for ${label} was not granted: ${error}${description ? `: ${description}` : ''}`,
      });
    }
    const state = callback.searchParams.get('state') ?? undefined;
    if (options.expectedState !== undefined && state !== options.expectedState) {
      throw new AuthError({
        server,
        message: `Authorization callback for ${label} carries an unexpected state; ignoring it (possible CSRF)`,
      });
    }
    code ??= callback.searchParams.get('code') ?? undefined;
    iss ??= callback.searchParams.get('iss') ?? undefined;
  }
  if (!code) {
    throw new AuthError({ server, message: `Authorization callback for ${label} has no code` });
  }
  // Not inside a registry, so this call has a redaction of its own: the code, the client's
  // secret and everything the exchange sends (verifier, assertions) may come back in an error.
  const redactor = new Redactor();
  redactor.secrets.add(code);
  const client = await Promise.resolve(options.provider.clientInformation()).catch(() => undefined);
  if (client?.client_secret !== undefined) {
    redactor.secrets.add(client.client_secret);
    redactor.secrets.addBasic(client.client_id, client.client_secret);
  }
  try {
    // Signed with the registry's DPoP key when the server's entry has `dpop: true`.
    const result = await auth(providerForCodeExchange(options.provider), {
      serverUrl: options.serverUrl,
      authorizationCode: code,
      ...(iss === undefined ? {} : { iss }),
      fetchFn: guardStandaloneFetch(secretSensingFetch(options.fetch, redactor.secrets), { server }),
    });
    if (result !== 'AUTHORIZED') {
      throw new AuthError({ server, message: `Authorization for ${label} did not complete` });
    }
  } catch (error) {
    if (AuthError.isInstance(error)) throw redactor.error(error);
    const detail =
      error instanceof OAuthError
        ? `${error.code}${error.message ? `: ${error.message}` : ''}`
        : String((error as Error | undefined)?.message ?? error);
    throw redactor.error(
      new AuthError({
        server,
        oauthError: error instanceof OAuthError ? error.code : undefined,
        cause: error,
        message: `Could not exchange the authorization code for ${label}: ${redactURLs(detail)}`,
      }),
    );
  }
}
