import { describe, expect, it } from 'vitest';
import { AuthError } from '../errors/auth-error.js';
import { silentLogger } from '../logging/logger.js';
import { GuardedTokenStore } from './guarded-token-store.js';
import { type TokenGrant, TokenManager } from './token-manager.js';
import { createMemoryTokenStore, type TokenStore } from './token-store.js';

function manager(request: () => Promise<TokenGrant>, store: TokenStore = createMemoryTokenStore()) {
  return new TokenManager({
    key: 'token:test',
    store: new GuardedTokenStore(store, { timeoutMs: 1_000, log: () => {} }),
    request,
    server: 'crm',
    logger: silentLogger,
  });
}

const grant = (accessToken: string, expiresInSeconds?: number): TokenGrant => ({
  accessToken,
  tokenType: 'Bearer',
  expiresInSeconds,
  scope: undefined,
});

describe('TokenManager', () => {
  it('shares one request among concurrent callers and caches the token', async () => {
    let requests = 0;
    const tokens = manager(async () => {
      requests++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return grant(`token-${requests}`, 3600);
    });
    const results = await Promise.all(Array.from({ length: 50 }, () => tokens.token()));
    expect(new Set(results)).toEqual(new Set(['token-1']));
    expect(await tokens.token()).toBe('token-1');
    expect(requests).toBe(1);
  });

  it('refreshes ahead of expiry in the background, still serving the current token', async () => {
    let requests = 0;
    const tokens = manager(async () => {
      requests++;
      return grant(`token-${requests}`, 4);
    });
    expect(await tokens.token()).toBe('token-1');
    // Lifetime counts as 3 s (4 s less a second of rounding); refresh starts at 75 % of it.
    await new Promise((resolve) => setTimeout(resolve, 2_400));
    expect(await tokens.token()).toBe('token-1');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requests).toBe(2);
    expect(await tokens.token()).toBe('token-2');
  });

  it('replaces a rejected token once, however many callers saw the rejection', async () => {
    let requests = 0;
    const tokens = manager(async () => {
      requests++;
      return grant(`token-${requests}`, 3600);
    });
    const first = await tokens.token();
    await Promise.all(Array.from({ length: 10 }, () => tokens.handleRejected(first)));
    expect(requests).toBe(2);
    expect(await tokens.token()).toBe('token-2');
    // A late 401 for the old token does not trigger another request.
    await tokens.handleRejected(first);
    expect(requests).toBe(2);
  });

  it('remembers a definitive refusal for a cool-down instead of asking again', async () => {
    let requests = 0;
    const tokens = manager(async () => {
      requests++;
      throw new AuthError({ message: 'refused', oauthError: 'invalid_client' });
    });
    await expect(tokens.token()).rejects.toMatchObject({ code: 'AUTH_FAILED', oauthError: 'invalid_client' });
    await expect(tokens.token()).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(requests).toBe(1);
  });

  it('asks again after a transient failure', async () => {
    let requests = 0;
    const tokens = manager(async () => {
      requests++;
      if (requests === 1) throw new AuthError({ message: 'could not reach the token endpoint' });
      return grant('token-2', 3600);
    });
    await expect(tokens.token()).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(await tokens.token()).toBe('token-2');
  });

  it('uses a token another process put in the shared store', async () => {
    const store = createMemoryTokenStore();
    let requests = 0;
    const request = async () => {
      requests++;
      return grant(`token-${requests}`, 3600);
    };
    expect(await manager(request, store).token()).toBe('token-1');
    expect(await manager(request, store).token()).toBe('token-1');
    expect(requests).toBe(1);
  });
});
