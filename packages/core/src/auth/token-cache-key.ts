/**
 * Cache keys for tokens: a SHA-256 digest of the client's parameters (token endpoint or server,
 * client id, scope, audience, resource) and its credential. Two workers with the same client
 * share a key; a rotated or wrong secret gets a key of its own instead of reusing a token minted
 * with other credentials. Only the digest is stored, never the credential. Web Crypto, so it
 * runs on edge runtimes too.
 */

export interface TokenKeyParts {
  /** The token endpoint, or `discover:<server url>` when the endpoint is discovered. */
  endpoint: string;
  clientId: string;
  scope: string | undefined;
  audience: string | undefined;
  resource: string | undefined;
  issuer: string | undefined;
  /** The client secret, private key or assertion: digested, never stored. */
  credential: string;
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
    parts.credential,
  ]);
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical));
  const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `token:${hex}`;
}
