/**
 * Who a request acts for, as the opaque key a session is bound to. With a subject (a JWT's
 * `iss` + `sub`, or `extra.issuer` / `extra.subject` from a custom verifier), the key is that
 * subject plus the client it used (`client_id` / `azp`, or the verifier's `clientId`), so a
 * renewed token continues the session and another user, or the same user through another
 * client, does not. Without a subject the session is bound to the token itself: nothing weaker
 * (a client id many users may share) would keep users apart; such a client re-initializes when
 * its token changes. Without auth every request is `anonymous`. Keys are SHA-256 digests, so
 * stores never hold identities or tokens.
 */
import type { AuthInfo } from '@modelcontextprotocol/server';

export const ANONYMOUS_OWNER = 'anonymous';

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The principal parts a session is bound to (before hashing): `['subject', issuer, subject, client]`,
 * or `['token', token]` for a token without a subject; `undefined` without auth. Exported for code
 * that needs the caller's subject or a cache key for `principalKey` (never store it: it may hold the token).
 */
export function principalOf(authInfo: AuthInfo | undefined): readonly string[] | undefined {
  if (!authInfo) return undefined;
  const extra = authInfo.extra ?? {};
  const claims = (typeof extra.claims === 'object' && extra.claims !== null ? extra.claims : {}) as Record<
    string,
    unknown
  >;
  const subject = text(extra.subject) ?? text(claims.sub);
  if (subject === undefined) return ['token', authInfo.token];
  const issuer = text(extra.issuer) ?? text(claims.iss) ?? '';
  // The JWT verifier falls back to `sub` for `clientId`; the client is what the token names.
  const client = 'claims' in extra ? (text(claims.client_id) ?? text(claims.azp) ?? '') : authInfo.clientId;
  return ['subject', issuer, subject, client];
}

/**
 * The key a session opened by this request is bound to: an opaque SHA-256 digest of the caller's
 * principal (issuer, subject and client; or the token itself without a subject), `anonymous`
 * without auth. Exported as `principalKey` for code that keeps per-caller state of its own (the
 * gateway keys each caller's upstream sessions with it): it never holds an identity or a token.
 *
 * @example
 * ```ts
 * execute: async (args, context) => lookup(await principalKey(context.authInfo)),
 * ```
 */
export async function sessionOwnerKey(authInfo: AuthInfo | undefined): Promise<string> {
  const principal = principalOf(authInfo);
  if (!principal) return ANONYMOUS_OWNER;
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(`toolwire-session-owner\n${JSON.stringify(principal)}`),
  );
  return `sha256:${[...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
