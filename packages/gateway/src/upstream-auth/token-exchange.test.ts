/**
 * The RFC 8693 request itself, against a scripted token endpoint on loopback: what is sent (grant,
 * subject token type, resource or audience, client authentication) and how answers the gateway
 * must not use are refused (a redirect, no access token, a token that is not a Bearer access token).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthError } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_TYPE, exchangeToken } from './token-exchange.js';
import type { TokenExchangeUpstreamAuth } from './upstream-auth-options.js';

let server: Server;
let endpoint: string;
let respond: (response: ServerResponse) => void;
const received: { headers: IncomingMessage['headers']; body: URLSearchParams }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body: new URLSearchParams(body) });
      respond(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const json = (status: number, value: unknown) => (response: ServerResponse) => {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
};

function exchange(config: Partial<TokenExchangeUpstreamAuth> = {}) {
  return exchangeToken({
    server: 'crm',
    config: {
      kind: 'token-exchange',
      tokenEndpoint: endpoint,
      clientId: 'gateway',
      clientSecret: 'gateway secret/+',
      ...config,
    },
    serverUrl: 'http://crm.internal/mcp',
    subjectToken: 'subject-token-value-0123456789',
    fetch: globalThis.fetch,
    redact: (text) => text.replaceAll('subject-token-value-0123456789', '[redacted]'),
  });
}

describe('exchangeToken', () => {
  it("sends the caller's token as an access-token subject, for the server's URL, with client_secret_basic", async () => {
    respond = json(200, {
      access_token: 'upstream-token',
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: 60,
    });
    expect(await exchange({ scope: ['a', 'b'] })).toEqual({
      accessToken: 'upstream-token',
      expiresInSeconds: 60,
    });
    const { headers, body } = received.at(-1) as (typeof received)[number];
    expect(Object.fromEntries(body)).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: 'subject-token-value-0123456789',
      subject_token_type: ACCESS_TOKEN_TYPE,
      requested_token_type: ACCESS_TOKEN_TYPE,
      resource: 'http://crm.internal/mcp',
      scope: 'a b',
    });
    // RFC 6749 §2.3.1: form-encoded, then Base64.
    expect(headers.authorization).toBe(
      `Basic ${Buffer.from('gateway:gateway+secret%2F%2B').toString('base64')}`,
    );
  });

  it('sends audience alone when only the audience is configured, and client_secret_post on request', async () => {
    respond = json(200, { access_token: 'upstream-token', token_type: 'bearer' });
    await exchange({ audience: 'crm', authMethod: 'client_secret_post' });
    const { headers, body } = received.at(-1) as (typeof received)[number];
    expect(body.get('audience')).toBe('crm');
    expect(body.has('resource')).toBe(false);
    expect(body.get('client_id')).toBe('gateway');
    expect(body.get('client_secret')).toBe('gateway secret/+');
    expect(headers.authorization).toBeUndefined();
  });

  it('refuses answers it must not use, as AUTH_FAILED naming the server', async () => {
    const cases: [(response: ServerResponse) => void, string][] = [
      [(response) => response.writeHead(307, { location: 'http://127.0.0.1:1/elsewhere' }).end(), 'redirect'],
      [json(200, { token_type: 'Bearer' }), 'without an access_token'],
      [json(200, { access_token: 'x', token_type: 'N_A' }), '"N_A" token'],
      [
        json(200, { access_token: 'x', issued_token_type: 'urn:ietf:params:oauth:token-type:id_token' }),
        'not an access token',
      ],
      [
        json(400, { error: 'invalid_grant', error_description: 'bad subject-token-value-0123456789' }),
        'invalid_grant: bad [redacted]',
      ],
    ];
    for (const [answer, expected] of cases) {
      respond = answer;
      const error = await exchange().catch((thrown: unknown) => thrown);
      expect(AuthError.isInstance(error), String(error)).toBe(true);
      expect((error as AuthError).server).toBe('crm');
      expect((error as AuthError).message).toContain(expected);
      expect((error as AuthError).message).not.toContain('subject-token-value');
    }
  });
});
