/**
 * One OAuth 2.0 Token Exchange request (RFC 8693 §2.1): the caller's access token as the
 * `subject_token`, for a token for one upstream (`audience` / `resource`). Refusals become
 * `AuthError`s (`AUTH_FAILED`) naming the server, the endpoint (origin and path) and the
 * authorization server's own error, redacted by the registry (which knows the subject token);
 * no redirect is followed and the request has a deadline.
 */
import { AuthError } from '@toolwire/core';
import type { TokenExchangeUpstreamAuth } from './upstream-auth-options.js';

export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** A token endpoint that has not answered by then is given up on. */
const EXCHANGE_TIMEOUT_MS = 30_000;
/** Largest token response read (bytes). */
const MAX_RESPONSE_CHARS = 256 * 1024;

export interface TokenExchangeRequest {
  server: string;
  config: TokenExchangeUpstreamAuth;
  /** The upstream's URL: the `resource` when neither `audience` nor `resource` is configured. */
  serverUrl: string | undefined;
  subjectToken: string;
  fetch: typeof fetch;
  /** The registry's redaction (it knows the subject token and the client secret). */
  redact: (text: string) => string;
  signal?: AbortSignal | undefined;
}

export interface ExchangedToken {
  accessToken: string;
  /** Seconds, when the endpoint said. */
  expiresInSeconds: number | undefined;
}

export async function exchangeToken(request: TokenExchangeRequest): Promise<ExchangedToken> {
  const { server, config, redact } = request;
  const endpoint = new URL(config.tokenEndpoint);
  const where = `${endpoint.origin}${endpoint.pathname}`;
  const body = new URLSearchParams({
    grant_type: TOKEN_EXCHANGE_GRANT,
    subject_token: request.subjectToken,
    subject_token_type: ACCESS_TOKEN_TYPE,
    requested_token_type: ACCESS_TOKEN_TYPE,
  });
  if (config.audience) body.set('audience', config.audience);
  const resource = config.resource ?? (config.audience ? undefined : request.serverUrl);
  if (resource) body.set('resource', resource);
  const scope = Array.isArray(config.scope) ? config.scope.join(' ') : config.scope;
  if (scope) body.set('scope', scope as string);
  const headers = new Headers({
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  });
  if (config.authMethod === 'client_secret_post') {
    body.set('client_id', config.clientId);
    body.set('client_secret', config.clientSecret);
  } else {
    // RFC 6749 §2.3.1: both parts are form-encoded before Base64.
    const credentials = `${formEncode(config.clientId)}:${formEncode(config.clientSecret)}`;
    headers.set(
      'authorization',
      `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(credentials)))}`,
    );
  }

  const deadline = AbortSignal.timeout(EXCHANGE_TIMEOUT_MS);
  let response: Response;
  try {
    response = await request.fetch(endpoint.href, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: request.signal ? AbortSignal.any([request.signal, deadline]) : deadline,
    });
  } catch (error) {
    throw new AuthError({
      server,
      message: redact(
        `Token exchange for server "${server}" could not reach ${where}: ${deadline.aborted ? 'no answer within 30 s' : describe(error)}`,
      ),
    });
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => {});
    throw new AuthError({
      server,
      message: `Token exchange for server "${server}": ${where} answered with a redirect (HTTP ${response.status}), which is not followed`,
    });
  }
  const text = (await response.text().catch(() => '')).slice(0, MAX_RESPONSE_CHARS);
  const json = parseJSON(text);
  if (!response.ok) {
    const oauthError = typeof json?.error === 'string' ? redact(json.error) : undefined;
    const description = typeof json?.error_description === 'string' ? redact(json.error_description) : '';
    const detail = oauthError
      ? `${oauthError}${description ? `: ${description}` : ''}`
      : `HTTP ${response.status}`;
    throw new AuthError({
      server,
      oauthError,
      message: redact(
        `Token exchange for server "${server}" refused by ${where} (client "${config.clientId}", HTTP ${response.status}): ${detail}`.slice(
          0,
          1000,
        ),
      ),
    });
  }
  const accessToken = json?.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new AuthError({
      server,
      message: `Token exchange for server "${server}": ${where} answered without an access_token`,
    });
  }
  const tokenType = json?.token_type;
  if (typeof tokenType === 'string' && tokenType.toLowerCase() !== 'bearer') {
    throw new AuthError({
      server,
      message: `Token exchange for server "${server}": ${where} issued a "${redact(tokenType)}" token; only Bearer tokens can be sent upstream`,
    });
  }
  const issuedType = json?.issued_token_type;
  if (issuedType !== undefined && issuedType !== ACCESS_TOKEN_TYPE) {
    throw new AuthError({
      server,
      message: `Token exchange for server "${server}": ${where} issued a token of type ${JSON.stringify(redact(String(issuedType)))}, not an access token`,
    });
  }
  const expiresIn = Number(json?.expires_in);
  return {
    accessToken,
    expiresInSeconds: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : undefined,
  };
}

function parseJSON(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

function describe(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (code === 'ECONNREFUSED') return 'connection refused';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
    current = (current as { cause?: unknown }).cause;
  }
  return 'network error';
}
