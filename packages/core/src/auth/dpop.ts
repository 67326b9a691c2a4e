/**
 * DPoP (RFC 9449; MCP's SEP-1932 authorization extension) for user OAuth
 * (`auth: { type: 'oauth', provider, dpop: true }`): the access token is bound to a key only this
 * registry holds, so a token copied out of a log or a store is useless elsewhere.
 *
 * The SDK does the protocol work once an `OAuthClientProvider` has a `dpop()` method returning a
 * `DpopSession`: a proof in the token request (retried once with the authorization server's
 * nonce on `use_dpop_nonce`, RFC 9449 §8), `Authorization: DPoP …` plus a fresh proof on every
 * MCP request (retried once with the resource server's nonce, §9), nonces remembered per origin.
 * What we add: the key (one per registry, generated on first use unless you pass one, non-
 * extractable by default), a session per server signing with it, and the provider wrapper that
 * gives your provider that `dpop()` (a provider with its own `dpop()` keeps it). `finishOAuth`
 * finds the session of the provider you hand it, so the code exchange is bound to the same key.
 */
import {
  type DpopAlg,
  type DpopKeyPair,
  DpopSession,
  generateDpopKeyPair,
  type OAuthClientProvider,
} from '@modelcontextprotocol/client';

/** The registry's DPoP key (`createRegistry({ dpop })`). */
export interface DPoPOptions {
  /**
   * The key pair to sign proofs with, e.g. one you keep across restarts because your token store
   * outlives the process (a DPoP-bound token is useless without its key). Default: a new
   * non-extractable key pair per registry, made on first use.
   */
  keyPair?: DpopKeyPair | undefined;
  /** The algorithm of the generated key pair (ignored with `keyPair`). Default `'ES256'`. */
  algorithm?: DpopAlg | undefined;
}

/** A server's DPoP session, made on first use. */
export type DPoPSessionSource = () => Promise<DpopSession>;

/** One registry's DPoP key, and a session per server that signs with it. */
export class DPoPKey {
  private pair: Promise<DpopKeyPair> | undefined;
  private readonly options: DPoPOptions | undefined;

  constructor(options: DPoPOptions | undefined) {
    this.options = options;
  }

  /** A new session source: its own nonce memory (per origin), this registry's key. */
  session(): DPoPSessionSource {
    let session: Promise<DpopSession> | undefined;
    return () => {
      session ??= this.keyPair().then((keyPair) => DpopSession.create({ keyPair }));
      return session;
    };
  }

  private keyPair(): Promise<DpopKeyPair> {
    if (this.pair === undefined) {
      const given = this.options?.keyPair;
      this.pair = given
        ? Promise.resolve(given)
        : generateDpopKeyPair(this.options?.algorithm ? { alg: this.options.algorithm } : {});
    }
    return this.pair;
  }
}

/** The DPoP session each provider was given, so `finishOAuth` signs with the same key. */
const sessionsByProvider = new WeakMap<OAuthClientProvider, DPoPSessionSource>();

/**
 * `provider` as the transports should see it (`wrapped`, e.g. the redaction view of it), with
 * `dpop()` answering from `session`. Remembers the pairing for `finishOAuth`. A provider with a
 * `dpop()` of its own is left as it is.
 */
export function withDPoP(
  provider: OAuthClientProvider,
  wrapped: OAuthClientProvider,
  session: DPoPSessionSource,
): OAuthClientProvider {
  if (typeof provider.dpop === 'function') return wrapped;
  sessionsByProvider.set(provider, session);
  return addDPoP(wrapped, session);
}

/** The provider `finishOAuth` should use: with its registry's DPoP session, when it has one. */
export function providerForCodeExchange(provider: OAuthClientProvider): OAuthClientProvider {
  const session = sessionsByProvider.get(provider);
  return session ? addDPoP(provider, session) : provider;
}

function addDPoP(provider: OAuthClientProvider, session: DPoPSessionSource): OAuthClientProvider {
  return new Proxy(provider, {
    get(target, property) {
      if (property === 'dpop') return session;
      const value = Reflect.get(target, property, target) as unknown;
      // Bound to the provider itself: a class provider's private fields need `this` to be it.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    has(target, property) {
      return property === 'dpop' || Reflect.has(target, property);
    },
  });
}
