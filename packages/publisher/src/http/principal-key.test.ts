/**
 * `principalKey` (exported for code keeping per-caller state, such as the gateway's upstream
 * sessions): one opaque key per principal, the same across token renewals, different for another
 * subject or another client, and never containing the token or the identity it digests.
 */
import { describe, expect, it } from 'vitest';
import { principalKey } from '../index.js';

const jwt = (token: string, claims: Record<string, unknown>) => ({
  token,
  clientId: String(claims.sub),
  scopes: [],
  extra: { claims },
});

describe('principalKey', () => {
  it('is one digest per subject and client, whatever the token', async () => {
    const alice = await principalKey(jwt('token-1', { iss: 'https://issuer', sub: 'alice', azp: 'app' }));
    const aliceRenewed = await principalKey(
      jwt('token-2', { iss: 'https://issuer', sub: 'alice', azp: 'app' }),
    );
    const bob = await principalKey(jwt('token-3', { iss: 'https://issuer', sub: 'bob', azp: 'app' }));
    const aliceOtherApp = await principalKey(
      jwt('token-4', { iss: 'https://issuer', sub: 'alice', azp: 'cli' }),
    );
    expect(alice).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(aliceRenewed).toBe(alice);
    expect(new Set([alice, bob, aliceOtherApp]).size).toBe(3);
    expect(alice).not.toContain('alice');
  });

  it('binds to the token itself without a subject, and is anonymous without auth', async () => {
    const opaque = await principalKey({
      token: 'opaque-secret-token',
      clientId: 'shared-client',
      scopes: [],
    });
    expect(opaque).not.toContain('opaque-secret-token');
    expect(await principalKey({ token: 'another-token', clientId: 'shared-client', scopes: [] })).not.toBe(
      opaque,
    );
    expect(await principalKey(undefined)).toBe('anonymous');
  });
});
