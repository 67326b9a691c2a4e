import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { type LoopbackHttpServer, startLoopbackHttp } from '../../test/support/loopback-http.js';
import type { HttpServerDefinition } from '../config/server-config.js';
import { silentLogger } from '../logging/logger.js';
import { DiscoveryPolicy } from './discovery-policy.js';
import { UserOAuth } from './user-oauth.js';

let server: LoopbackHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const cached: OAuthDiscoveryState = { authorizationServerUrl: 'https://as-one.example.com' };

function providerWithDiscovery() {
  let state: OAuthDiscoveryState | undefined = cached;
  const provider = {
    tokens: () => undefined,
    clientInformation: () => undefined,
    discoveryState: () => state,
    saveDiscoveryState: (next: OAuthDiscoveryState) => {
      state = next;
    },
  };
  return provider as unknown as OAuthClientProvider;
}

async function setUp() {
  // The MCP endpoint refuses every token; the token endpoint (same origin) refuses client auth.
  server = await startLoopbackHttp((_request, response) => {
    response.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
  });
  const definition = { name: 'crm', url: `${server.origin}/mcp` } as HttpServerDefinition;
  const auth = new UserOAuth(
    definition,
    providerWithDiscovery(),
    new DiscoveryPolicy(undefined),
    silentLogger,
  );
  const fetch = auth.wrapFetch((url, init) => globalThis.fetch(url, init));
  return { auth, fetch, origin: server.origin };
}

describe('UserOAuth: authorization server migration (SEP-2352)', () => {
  it('hides the cached discovery state once the server refused a token, until a fresh one is saved', async () => {
    const { auth, fetch, origin } = await setUp();
    const provider = auth.authProvider;
    expect(await provider.discoveryState?.()).toEqual(cached);

    await fetch(`${origin}/mcp`, { method: 'POST', headers: { authorization: 'Bearer old' }, body: '{}' });
    expect(await provider.discoveryState?.()).toBeUndefined();

    const fresh = { authorizationServerUrl: 'https://as-two.example.com' };
    await provider.saveDiscoveryState?.(fresh);
    expect(await provider.discoveryState?.()).toEqual(fresh);
  });

  it('keeps it on a first 401 without a token, and on a refused token request', async () => {
    const { auth, fetch, origin } = await setUp();
    await fetch(`${origin}/mcp`, { method: 'POST', body: '{}' });
    await fetch(`${origin}/token`, {
      method: 'POST',
      headers: {
        authorization: 'Basic Y2xpZW50OnNlY3JldA==',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=refresh_token&refresh_token=r',
    });
    expect(await auth.authProvider.discoveryState?.()).toEqual(cached);
  });
});
