/**
 * Cache keys for tokens: a SHA-256 of the client's public parameters (token endpoint or server,
 * client id, scope, audience, resource). Two workers with the same client share a key; no
 * secret, assertion or key material goes into it. Web Crypto, so it runs on edge runtimes too.
 */

export interface TokenKeyParts {
  /** The token endpoint, or `discover:<server url>` when the endpoint is discovered. */
  endpoint: string;
  clientId: string;
  scope: string | undefined;
  audience: string | undefined;
  resource: string | undefined;
  issuer: string | undefined;
}

export async function tokenCacheKey(parts: TokenKeyParts): Promise<string> {
  const canonical = JSON.stringify([
    'v1',
    parts.endpoint,
    parts.clientId,
    parts.scope ?? null,
    parts.audience ?? null,
    parts.resource ?? null,
    parts.issuer ?? null,
  ]);
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical));
  const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `token:${hex}`;
}
