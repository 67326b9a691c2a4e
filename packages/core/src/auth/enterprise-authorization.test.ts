import type { CrossAppAccessProvider } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { type LoopbackHttpServer, startLoopbackHttp } from '../../test/support/loopback-http.js';
import { AuthError } from '../errors/auth-error.js';
import { createEnterpriseAuthorization } from './enterprise-authorization.js';

const ID_JAG = 'eyJ0eXAiOiJvYXV0aC1pZC1qYWcrand0In0.eyJzdWIiOiJ1c2VyIn0.c2ln';
let idp: LoopbackHttpServer | undefined;

afterEach(async () => {
  await idp?.close();
  idp = undefined;
});

/** The provider as the SDK leaves it once discovery ran (it saves both URLs before the grant). */
function prepared(tokenUrl: string, onSecret: (secret: string) => void, idToken: string | (() => string)) {
  const provider = createEnterpriseAuthorization({
    server: 'crm',
    config: {
      type: 'enterprise',
      clientId: 'mcp-client',
      clientSecret: 'mcp-secret',
      idToken,
      idp: { tokenUrl, clientId: 'idp-client' },
      issuer: 'https://as.example.com',
    },
    fetch: (url, init) => fetch(url, init),
    onSecret,
  }) as CrossAppAccessProvider;
  provider.saveAuthorizationServerUrl('https://as.example.com');
  provider.saveResourceUrl?.('https://mcp.example.com/mcp');
  return provider;
}

describe('enterprise-managed authorization (SEP-990)', () => {
  it('exchanges the ID token at the IdP for an ID-JAG and presents it as a JWT bearer grant', async () => {
    idp = await startLoopbackHttp((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          access_token: ID_JAG,
          issued_token_type: 'urn:ietf:params:oauth:token-type:id-jag',
          token_type: 'N_A',
          expires_in: 300,
        }),
      );
    });
    const secrets: string[] = [];
    const provider = prepared(
      `${idp.origin}/token`,
      (secret) => secrets.push(secret),
      () => 'id-token-1',
    );
    const params = await provider.prepareTokenRequest('mcp:read');

    expect(Object.fromEntries(params)).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: ID_JAG,
      scope: 'mcp:read',
    });
    const exchange = new URLSearchParams(idp.requests[0]?.body);
    expect(Object.fromEntries(exchange)).toMatchObject({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      requested_token_type: 'urn:ietf:params:oauth:token-type:id-jag',
      subject_token: 'id-token-1',
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      audience: 'https://as.example.com',
      resource: 'https://mcp.example.com/mcp',
      client_id: 'idp-client',
      scope: 'mcp:read',
    });
    expect(secrets).toEqual(['id-token-1', ID_JAG]);
    expect(provider.clientInformation()).toMatchObject({
      client_id: 'mcp-client',
      client_secret: 'mcp-secret',
    });
  });

  it("turns the IdP's refusal into AUTH_FAILED naming the server", async () => {
    idp = await startLoopbackHttp((_request, response) => {
      response
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'invalid_grant', error_description: 'user not assigned to this app' }));
    });
    const provider = prepared(`${idp.origin}/token`, () => {}, 'id-token');
    const error = await provider.prepareTokenRequest().catch((caught: unknown) => caught);
    expect(AuthError.isInstance(error)).toBe(true);
    expect((error as AuthError).message).toMatch(
      /did not grant access to server "crm".*invalid_grant - user not assigned to this app/,
    );
  });

  it('refuses an empty ID token before contacting the IdP', async () => {
    idp = await startLoopbackHttp();
    const provider = prepared(
      `${idp.origin}/token`,
      () => {},
      () => '',
    );
    await expect(provider.prepareTokenRequest()).rejects.toThrow(/The ID token for server "crm" is empty/);
    expect(idp.requests).toHaveLength(0);
  });
});
