import { principalKey } from '@toolwire/publisher';
import { describe, expect, it } from 'vitest';
import { callerPrincipalKey } from './caller-principal.js';

const jwtCaller = (token: string, sub: string, clientId = 'app') => ({
  token,
  clientId,
  scopes: [],
  extra: { claims: { iss: 'https://issuer.test', sub, client_id: clientId } },
});

describe('callerPrincipalKey', () => {
  it('is principalKey, for a token seen once and for the same token in a new request', async () => {
    const first = jwtCaller('token-a', 'alice');
    expect(await callerPrincipalKey(first)).toBe(await principalKey(first));
    const again = jwtCaller('token-a', 'alice');
    expect(await callerPrincipalKey(again)).toBe(await principalKey(again));
  });

  it('keeps callers apart: another subject, another client or another token without a subject', async () => {
    const alice = await callerPrincipalKey(jwtCaller('token-b', 'alice'));
    const bob = await callerPrincipalKey(jwtCaller('token-c', 'bob'));
    const aliceOtherClient = await callerPrincipalKey(jwtCaller('token-d', 'alice', 'cli'));
    const opaqueOne = await callerPrincipalKey({ token: 'opaque-1', clientId: 'x', scopes: [] });
    const opaqueTwo = await callerPrincipalKey({ token: 'opaque-2', clientId: 'x', scopes: [] });
    expect(new Set([alice, bob, aliceOtherClient, opaqueOne, opaqueTwo]).size).toBe(5);
  });

  it('does not reuse a key when a verifier maps the same token to another subject', async () => {
    const asAlice = { token: 'shared-token', clientId: 'x', scopes: [], extra: { subject: 'alice' } };
    const asBob = { token: 'shared-token', clientId: 'x', scopes: [], extra: { subject: 'bob' } };
    expect(await callerPrincipalKey(asAlice)).toBe(await principalKey(asAlice));
    expect(await callerPrincipalKey(asBob)).toBe(await principalKey(asBob));
    expect(await callerPrincipalKey(asBob)).not.toBe(await callerPrincipalKey(asAlice));
  });
});
