/**
 * The caller's `principalKey` digest, computed once per verified token instead of once per use:
 * a forwarded call needs it for its upstream session key, and with a policy for the rate limiter
 * and the audit record too, and each digest is an asynchronous Web Crypto SHA-256. The cache is
 * keyed by the token together with every field `principalKey` reads (subject, issuer, client), so
 * a verifier that maps the same token to another principal gets another key; it holds a bounded
 * number of entries, in this process's memory only (never a store).
 */
import { principalKey, type RequestContext } from '@toolwire/publisher';

type CallerAuth = NonNullable<RequestContext['authInfo']>;

/** How many distinct callers' keys are kept; the oldest entry goes first. */
const MAX_ENTRIES = 1024;

const byAuthInfo = new WeakMap<CallerAuth, Promise<string>>();
const byToken = new Map<string, Promise<string>>();

/** `principalKey(authInfo)`, from the cache when this token and principal were seen before. */
export function callerPrincipalKey(authInfo: CallerAuth): Promise<string> {
  const known = byAuthInfo.get(authInfo);
  if (known) return known;
  const identity = tokenIdentity(authInfo);
  let key = byToken.get(identity);
  if (key === undefined) {
    key = principalKey(authInfo);
    const computed = key;
    byToken.set(identity, computed);
    computed.catch(() => byToken.delete(identity));
    if (byToken.size > MAX_ENTRIES) byToken.delete(byToken.keys().next().value as string);
  }
  byAuthInfo.set(authInfo, key);
  return key;
}

/** The token and the fields `principalKey` derives the principal from, as one string. */
function tokenIdentity(authInfo: CallerAuth): string {
  const extra = authInfo.extra ?? {};
  const claims = (typeof extra.claims === 'object' && extra.claims !== null ? extra.claims : {}) as Record<
    string,
    unknown
  >;
  return JSON.stringify([
    authInfo.token,
    authInfo.clientId,
    extra.subject,
    extra.issuer,
    'claims' in extra,
    claims.sub,
    claims.iss,
    claims.client_id,
    claims.azp,
  ]);
}
