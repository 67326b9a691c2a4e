/**
 * JWT access tokens in depth, against a real listener on 127.0.0.1: tokens from the real OAuth
 * server (`oidc-provider`), and tokens the test signs with keys it serves over its own JWKS
 * endpoint (to forge a `typ`, move the clock, rotate keys, or stall the JWKS):
 * - `typ` must be `at+jwt` (RFC 9068 §4), unless `accessTokenTypes` accepts others;
 * - the clock tolerance applies to `exp`, `nbf` and `iat`;
 * - a rotated-in key is accepted once the (configurable, short) JWKS cooldown has passed, and
 *   made-up `kid`s do not refetch the JWKS more than once per cooldown;
 * - a JWKS slower than `jwksTimeoutMs` gives a prompt 503, and the operator hears why.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ToolwireError } from '@toolwire/core';
import { decodeProtectedHeader, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, defineTool, type JWTVerifierOptions, type Publisher } from '../src/index.js';
import { type OAuthServer, startOAuthServer } from './support/oauth-server.js';
import { waitPastExpiry } from './support/past-expiry.js';

const RESOURCE = 'http://toolwire.test/mcp';
const ISSUER = 'http://issuer.toolwire.test';

/** A JWKS endpoint the test controls: which keys it serves, how slowly, and how often it was asked. */
interface KeyServer {
  url: string;
  keys: JWK[];
  delayMs: number;
  fetches: number;
  close(): Promise<void>;
}

async function startKeyServer(): Promise<KeyServer> {
  const state = { keys: [] as JWK[], delayMs: 0, fetches: 0 };
  const server: Server = createServer((_request, response) => {
    state.fetches++;
    setTimeout(() => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: state.keys }));
    }, state.delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  return Object.assign(state, {
    url,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** Signs a token; `typ: null` leaves the header without `typ`. Times are seconds from now. */
async function sign(
  key: SigningKey,
  options: { typ?: string | null; kid?: string; exp?: number; nbf?: number; iat?: number } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const typ = options.typ === undefined ? 'at+jwt' : options.typ;
  const claims: Record<string, unknown> = { scope: 'mcp', client_id: 'agent', sub: 'agent' };
  if (options.nbf !== undefined) claims.nbf = now + options.nbf;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? key.kid, ...(typ === null ? {} : { typ }) })
    .setIssuer(ISSUER)
    .setAudience(RESOURCE)
    .setIssuedAt(now + (options.iat ?? 0))
    .setExpirationTime(now + (options.exp ?? 300))
    .sign(key.privateKey);
}

let keys: KeyServer;
let keyA: SigningKey;
let oauth: OAuthServer;
const open: Publisher[] = [];

beforeAll(async () => {
  [keys, keyA, oauth] = await Promise.all([startKeyServer(), signingKey('key-a'), startOAuthServer()]);
  keys.keys = [keyA.jwk];
});

afterEach(async () => {
  keys.delayMs = 0;
  await Promise.all(open.splice(0).map((publisher) => publisher.close({ drainMs: 100 })));
});

afterAll(async () => {
  await Promise.all([keys?.close(), oauth?.close()]);
});

/** A listening publisher that verifies tokens with `jwt` (test JWKS and issuer by default). */
async function listen(
  jwt: Partial<JWTVerifierOptions> = {},
  onError: (error: Error) => void = () => {},
): Promise<string> {
  const publisher = createPublisher({
    name: 'jwt',
    version: '1.0.0',
    tools: [defineTool({ name: 'ping', description: 'Answers.', execute: () => 'pong' })],
    http: {
      auth: {
        jwt: { jwksUrl: keys.url, issuer: ISSUER, audience: RESOURCE, ...jwt },
        authorizationServers: [ISSUER],
        resourceUrl: RESOURCE,
      },
    },
    onError,
  });
  open.push(publisher);
  return (await publisher.listen()).url;
}

/** Sends `initialize` with the token; returns the status and the challenge. */
async function present(url: string, token: string): Promise<{ status: number; challenge: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'jwt', version: '1' } },
    }),
  });
  await response.text();
  return { status: response.status, challenge: response.headers.get('www-authenticate') ?? '' };
}

describe('the typ header (RFC 9068 §4)', () => {
  it('accepts at+jwt (as the real OAuth server issues them) and refuses typ JWT or none by default', async () => {
    const url = await listen();
    expect((await present(url, await sign(keyA, { typ: 'at+jwt' }))).status).toBe(200);
    expect((await present(url, await sign(keyA, { typ: 'application/at+jwt' }))).status).toBe(200);
    const idTokenLike = await present(url, await sign(keyA, { typ: 'JWT' }));
    expect(idTokenLike.status).toBe(401);
    expect(idTokenLike.challenge).toContain('not an access token');
    expect((await present(url, await sign(keyA, { typ: null }))).status).toBe(401);

    // The real authorization server's JWT access tokens carry typ at+jwt.
    const real = await oauth.token({ resource: RESOURCE, scope: 'mcp' });
    expect(decodeProtectedHeader(real).typ).toBe('at+jwt');
  });

  it('accessTokenTypes accepts typ JWT for identity providers that issue it, and "any" accepts none', async () => {
    const withJWT = await listen({ accessTokenTypes: ['at+jwt', 'JWT'] });
    expect((await present(withJWT, await sign(keyA, { typ: 'JWT' }))).status).toBe(200);
    expect((await present(withJWT, await sign(keyA, { typ: null }))).status).toBe(401);
    const anything = await listen({ accessTokenTypes: 'any' });
    expect((await present(anything, await sign(keyA, { typ: null }))).status).toBe(200);
  });
});

describe('clock tolerance', () => {
  it('applies to exp: a token from the real OAuth server expired a moment ago is accepted within the tolerance', async () => {
    const tolerant = await startRealIssuerPublisher(30);
    const strict = await startRealIssuerPublisher(0);
    const token = await oauth.token({ resource: RESOURCE, scope: 'mcp', ttlSeconds: 1 });
    await waitPastExpiry(token);
    expect((await present(tolerant, token)).status).toBe(200);
    const refused = await present(strict, token);
    expect(refused.status).toBe(401);
    expect(refused.challenge).toContain('expired');
  });

  it('applies to nbf and to an iat in the future', async () => {
    const tolerant = await listen({ clockToleranceSeconds: 30 });
    const strict = await listen({ clockToleranceSeconds: 2 });
    const expiredAgo = await sign(keyA, { exp: -10 });
    expect((await present(tolerant, expiredAgo)).status).toBe(200);
    expect((await present(strict, expiredAgo)).status).toBe(401);
    const notYet = await sign(keyA, { nbf: 10 });
    expect((await present(tolerant, notYet)).status).toBe(200);
    expect((await present(strict, notYet)).status).toBe(401);
    const fromTheFuture = await sign(keyA, { iat: 120, exp: 600 });
    const refused = await present(tolerant, fromTheFuture);
    expect(refused.status).toBe(401);
    expect(refused.challenge).toContain('issued in the future');
  });

  async function startRealIssuerPublisher(clockToleranceSeconds: number): Promise<string> {
    return listen({ jwksUrl: oauth.jwksUrl, issuer: oauth.issuer, clockToleranceSeconds });
  }
});

describe('the JWKS', () => {
  it('accepts a rotated-in key once jwksCooldownMs has passed', async () => {
    const url = await listen({ jwksCooldownMs: 300 });
    expect((await present(url, await sign(keyA))).status).toBe(200);
    const keyB = await signingKey('key-b');
    keys.keys = [keyA.jwk, keyB.jwk];
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await present(url, await sign(keyB))).status).toBe(200);
  });

  it('refetches the key set for made-up kids at most once per jwksCooldownMs', async () => {
    // A cooldown no test run outlasts: however slow the machine, the five tries fall inside it.
    const url = await listen({ jwksCooldownMs: 10 * 60_000 });
    expect((await present(url, await sign(keyA))).status).toBe(200);
    const before = keys.fetches;
    for (let attempt = 0; attempt < 5; attempt++) {
      const forged = await present(url, await sign(keyA, { kid: `made-up-${attempt}` }));
      expect(forged.status).toBe(401);
    }
    expect(keys.fetches - before).toBeLessThanOrEqual(1);
  });

  it('a JWKS slower than jwksTimeoutMs gives a prompt 503 naming the key set, and onError hears it', async () => {
    const reported: Error[] = [];
    const url = await listen({ jwksTimeoutMs: 300 }, (error) => reported.push(error));
    // The key set would answer after 10 s (and the request then pass): a 503 is the deadline's.
    keys.delayMs = 10_000;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${await sign(keyA)}`,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    const body = (await response.json()) as { error: string; error_description: string };
    expect(body.error).toBe('temporarily_unavailable');
    expect(body.error_description).toContain(`${new URL(keys.url).origin}/jwks`);
    expect(body.error_description).toContain('timed out');
    expect(reported.some((error) => ToolwireError.isInstance(error) && error.code === 'AUTH_FAILED')).toBe(
      true,
    );
  });
});
