import { DpopSession, generateDpopKeyPair, type OAuthClientProvider } from '@modelcontextprotocol/client';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { DPoPKey, providerForCodeExchange, withDPoP } from './dpop.js';

/** A provider with private state, as class providers have: `this` must stay the object itself. */
class MemoryProvider {
  #tokens: { access_token: string; token_type: string } | undefined = {
    access_token: 'at',
    token_type: 'DPoP',
  };
  readonly redirectUrl = 'http://127.0.0.1/callback';
  readonly clientMetadata = { redirect_uris: ['http://127.0.0.1/callback'] };
  clientInformation() {
    return { client_id: 'client' };
  }
  tokens() {
    return this.#tokens;
  }
  saveTokens(tokens: { access_token: string; token_type: string }) {
    this.#tokens = tokens;
  }
  redirectToAuthorization() {}
  saveCodeVerifier() {}
  codeVerifier() {
    return 'verifier';
  }
}

const asProvider = (value: object) => value as unknown as OAuthClientProvider;

describe('DPoP for user OAuth', () => {
  it('signs every server with the registry key, each server keeping its own nonces', async () => {
    const key = new DPoPKey(undefined);
    const first = await key.session()();
    const second = await key.session()();
    expect(first).not.toBe(second);
    expect(first.thumbprint).toBe(second.thumbprint);
    first.rememberNonce('https://as.example', 'n-1');
    expect(second.nonceFor('https://as.example')).toBeUndefined();

    const proof = await first.buildProof({
      htm: 'post',
      htu: 'https://as.example/token?x=1',
      accessToken: 'at',
    });
    const header = decodeProtectedHeader(proof);
    const claims = decodeJwt(proof);
    expect(header.typ).toBe('dpop+jwt');
    expect(header.jwk).toEqual(first.publicJwk);
    expect(claims).toMatchObject({ htm: 'POST', htu: 'https://as.example/token', nonce: 'n-1' });
    expect(typeof claims.ath).toBe('string');
  });

  it('uses the key pair you pass (kept across restarts), and another registry gets another key', async () => {
    const keyPair = await generateDpopKeyPair({ alg: 'ES384' });
    const session = await new DPoPKey({ keyPair }).session()();
    expect(session.thumbprint).toBe(keyPair.thumbprint);
    expect(session.alg).toBe('ES384');
    const other = await new DPoPKey(undefined).session()();
    expect(other.thumbprint).not.toBe(keyPair.thumbprint);
  });

  it('gives the provider a dpop() the transports see, and keeps its own methods working', async () => {
    const provider = asProvider(new MemoryProvider());
    const session = new DPoPKey(undefined).session();
    const wrapped = withDPoP(provider, provider, session);
    expect('dpop' in wrapped).toBe(true);
    expect(await wrapped.dpop?.()).toBe(await session());
    expect(await wrapped.tokens()).toEqual({ access_token: 'at', token_type: 'DPoP' });
    await wrapped.saveTokens({ access_token: 'next', token_type: 'DPoP' });
    expect(await provider.tokens()).toEqual({ access_token: 'next', token_type: 'DPoP' });
  });

  it('lets finishOAuth find the same session from the provider you hand it', async () => {
    const provider = asProvider(new MemoryProvider());
    expect(providerForCodeExchange(provider)).toBe(provider);
    const session = new DPoPKey(undefined).session();
    withDPoP(provider, provider, session);
    const forExchange = providerForCodeExchange(provider);
    expect(await forExchange.dpop?.()).toBe(await session());
  });

  it("leaves a provider's own dpop() alone", async () => {
    const own = await DpopSession.create();
    const provider = asProvider(Object.assign(new MemoryProvider(), { dpop: () => own }));
    const wrapped = withDPoP(provider, provider, new DPoPKey(undefined).session());
    expect(await wrapped.dpop?.()).toBe(own);
    expect(providerForCodeExchange(provider)).toBe(provider);
  });
});
