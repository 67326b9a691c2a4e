/**
 * One OAuth 2.0 client-credentials token request to a known token endpoint (RFC 6749 §4.4),
 * authenticated with `client_secret_basic`, `client_secret_post` or `private_key_jwt`
 * (RFC 7523). Refusals become `AuthError`s carrying the endpoint's own error code and text;
 * nothing secret reaches a message. The request goes through `auth-fetch.ts`: no redirect is
 * followed, the answer is read up to a size cap, and it has a deadline.
 */
import type { AddClientAuthentication, FetchLike } from '@modelcontextprotocol/client';
import { AuthError } from '../errors/auth-error.js';
import type { Redactor } from '../redaction/redactor.js';
import { safeUrl } from '../redaction/safe-url.js';
import { guardAuthFetch } from './auth-fetch.js';
import type { TokenGrant } from './token-manager.js';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';

export interface ClientCredentialsRequest {
  /** The configured server name, for messages. */
  server: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string | undefined;
  authMethod: ClientAuthMethod;
  /** Adds `client_assertion` for `private_key_jwt`. */
  addClientAssertion: AddClientAuthentication | undefined;
  scope: string | undefined;
  audience: string | undefined;
  resource: string | undefined;
  fetch: FetchLike;
  /** The registry's redaction: the endpoint's text may echo what we sent, in any encoding. */
  redactor: Redactor;
}

export async function requestClientCredentialsToken(request: ClientCredentialsRequest): Promise<TokenGrant> {
  const { server, tokenUrl, clientId } = request;
  const where = safeUrl(tokenUrl);
  const body = new URLSearchParams({ grant_type: 'client_credentials' });
  if (request.scope) body.set('scope', request.scope);
  if (request.audience) body.set('audience', request.audience);
  if (request.resource) body.set('resource', request.resource);
  const headers = new Headers({
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  });
  if (request.authMethod === 'client_secret_basic') {
    // RFC 6749 §2.3.1: both parts are form-encoded before Base64.
    const credentials = `${formEncode(clientId)}:${formEncode(request.clientSecret ?? '')}`;
    headers.set('authorization', `Basic ${base64(credentials)}`);
  } else if (request.authMethod === 'client_secret_post') {
    body.set('client_id', clientId);
    body.set('client_secret', request.clientSecret ?? '');
  } else {
    body.set('client_id', clientId);
    await request.addClientAssertion?.(headers, body, tokenUrl);
  }

  let response: Response;
  try {
    response = await guardAuthFetch(request.fetch, 'token', { server })(tokenUrl, {
      method: 'POST',
      headers,
      body,
    });
  } catch (error) {
    if (AuthError.isInstance(error)) throw error;
    const reason = describeNetworkError(error);
    throw new AuthError({
      server,
      cause: error,
      message: `Could not reach the token endpoint ${where} for server "${server}": ${reason}`,
    });
  }

  const text = await response.text().catch(() => '');
  const json = parseJSON(text);
  if (!response.ok) {
    const { redactor } = request;
    const oauthError = typeof json?.error === 'string' ? redactor.text(json.error) : undefined;
    const description = typeof json?.error_description === 'string' ? json.error_description : undefined;
    // Redacted before it is cut: a cut could leave half a secret no matcher recognises.
    const detail = oauthError
      ? `${oauthError}${description ? `: ${redactor.text(description)}` : ''}`
      : `HTTP ${response.status}${text ? `: ${redactor.text(text).slice(0, 200)}` : ''}`;
    throw new AuthError({
      server,
      oauthError,
      message: redactor.text(
        `Token endpoint ${where} refused client "${clientId}" for server "${server}" (HTTP ${response.status}): ${detail}`,
      ),
    });
  }
  return parseTokenResponse(json, { server, where });
}

/** Reads a token endpoint's success body; also used for discovered endpoints. */
export function parseTokenResponse(
  json: Record<string, unknown> | undefined,
  context: { server: string; where: string },
): TokenGrant {
  const accessToken = json?.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new AuthError({
      server: context.server,
      message: `Token endpoint ${context.where} for server "${context.server}" answered without an access_token`,
    });
  }
  const tokenType = typeof json?.token_type === 'string' ? json.token_type : undefined;
  if (tokenType !== undefined && tokenType.toLowerCase() !== 'bearer') {
    throw new AuthError({
      server: context.server,
      message: `Token endpoint ${context.where} for server "${context.server}" issued a "${tokenType}" token; only Bearer tokens are supported for client credentials`,
    });
  }
  const expiresIn = Number(json?.expires_in);
  return {
    accessToken,
    tokenType,
    expiresInSeconds: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : undefined,
    scope: typeof json?.scope === 'string' ? json.scope : undefined,
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

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function describeNetworkError(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (code === 'ECONNREFUSED') return 'connection refused';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
    current = (current as { cause?: unknown }).cause;
  }
  return (error as Error | undefined)?.message ?? String(error);
}
