/**
 * The caller's `principalKey` digest, computed once per verified token instead of once per use:
 * a forwarded call needs it for its upstream session key, and with a policy for the rate limiter
 * and the audit record too, and each digest is an asynchronous Web Crypto SHA-256. The cache is
 * keyed by the principal parts `principalKey` hashes (`principalOf`: issuer, subject and client, or
 * the token without a subject), so a verifier that maps the same token to another principal gets
 * another key; it holds a bounded
 * number of entries, in this process's memory only (never a store).
 */
import { principalKey, principalOf, type RequestContext } from '@toolwire/publisher';

type CallerAuth = NonNullable<RequestContext['authInfo']>;

/** How many distinct callers' keys are kept; the oldest entry goes first. */
const MAX_ENTRIES = 1024;

const byAuthInfo = new WeakMap<CallerAuth, Promise<string>>();
const byPrincipal = new Map<string, Promise<string>>();

/** `principalKey(authInfo)`, from the cache when this principal was seen before. */
export function callerPrincipalKey(authInfo: CallerAuth): Promise<string> {
  const known = byAuthInfo.get(authInfo);
  if (known) return known;
  const identity = JSON.stringify(principalOf(authInfo));
  let key = byPrincipal.get(identity);
  if (key === undefined) {
    key = principalKey(authInfo);
    const computed = key;
    byPrincipal.set(identity, computed);
    computed.catch(() => byPrincipal.delete(identity));
    if (byPrincipal.size > MAX_ENTRIES) byPrincipal.delete(byPrincipal.keys().next().value as string);
  }
  byAuthInfo.set(authInfo, key);
  return key;
}
