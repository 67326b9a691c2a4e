import { describe, expect, it } from 'vitest';
import { AuthError } from '../errors/auth-error.js';
import { JWT_BEARER_GRANT_TYPE, JWTBearerGrant, type JWTBearerGrantOptions } from './jwt-bearer-grant.js';

const jwt = (subject: string) => `eyJhbGciOiJFUzI1NiJ9.${btoa(JSON.stringify({ sub: subject }))}.c2ln`;

function grant(overrides: Partial<JWTBearerGrantOptions> = {}) {
  const seen: string[] = [];
  const provider = new JWTBearerGrant({
    server: 'workload',
    clientId: 'wif-client',
    clientSecret: undefined,
    assertion: jwt('a'),
    scope: undefined,
    onAssertion: (assertion) => seen.push(assertion),
    ...overrides,
  });
  return { provider, seen };
}

describe('JWTBearerGrant (RFC 7523 §2.1)', () => {
  it('asks for the jwt-bearer grant with the assertion, as a public client without a secret', async () => {
    const { provider, seen } = grant();
    const params = await provider.prepareTokenRequest('mcp:tools');
    expect(Object.fromEntries(params)).toEqual({
      grant_type: JWT_BEARER_GRANT_TYPE,
      assertion: jwt('a'),
      scope: 'mcp:tools',
    });
    expect(seen).toEqual([jwt('a')]);
    expect(provider.clientInformation()).toEqual({ client_id: 'wif-client' });
    expect(provider.clientMetadata).toMatchObject({
      grant_types: [JWT_BEARER_GRANT_TYPE],
      token_endpoint_auth_method: 'none',
    });
    expect(provider.redirectUrl).toBeUndefined();
  });

  it('authenticates a confidential client with client_secret_basic, and prefers the configured scope', async () => {
    const { provider } = grant({ clientSecret: 'shh', scope: 'mcp:admin' });
    expect(provider.clientInformation()).toEqual({ client_id: 'wif-client', client_secret: 'shh' });
    expect(provider.clientMetadata.token_endpoint_auth_method).toBe('client_secret_basic');
    expect((await provider.prepareTokenRequest('mcp:tools')).get('scope')).toBe('mcp:admin');
  });

  it('never sends an assertion again after its token request failed, but a fresh one is fine', async () => {
    let next = 0;
    const assertions = [jwt('first'), jwt('first'), jwt('second')];
    const { provider } = grant({ assertion: () => assertions[next++] ?? jwt('later') });
    await provider.prepareTokenRequest();
    // No tokens were saved: the request with "first" failed.
    await expect(provider.prepareTokenRequest()).rejects.toThrow(/this same JWT bearer assertion failed/);
    expect((await provider.prepareTokenRequest()).get('assertion')).toBe(jwt('second'));
    provider.saveTokens({ access_token: 'at', token_type: 'Bearer' });
    expect(provider.tokens()).toEqual({ access_token: 'at', token_type: 'Bearer' });
  });

  it('sends a static assertion again once it was accepted (tokens expire, the assertion may not)', async () => {
    const { provider } = grant();
    await provider.prepareTokenRequest();
    provider.saveTokens({ access_token: 'at', token_type: 'Bearer' });
    provider.invalidateCredentials('tokens');
    expect(provider.tokens()).toBeUndefined();
    expect((await provider.prepareTokenRequest()).get('assertion')).toBe(jwt('a'));
  });

  it('refuses what is not a JWT, a failing source and a user redirect with AUTH_FAILED', async () => {
    const notJWT = grant({ assertion: 'opaque-token' }).provider;
    await expect(notJWT.prepareTokenRequest()).rejects.toSatisfy(
      (error) => AuthError.isInstance(error) && /is not a JWT/.test(error.message),
    );
    const failing = grant({
      assertion: () => {
        throw new Error('token file missing');
      },
    }).provider;
    await expect(failing.prepareTokenRequest()).rejects.toThrow(/could not be obtained: token file missing/);
    expect(() => notJWT.redirectToAuthorization()).toThrow(/no user is involved/);
  });
});
