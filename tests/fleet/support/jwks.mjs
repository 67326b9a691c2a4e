// A local issuer for the fleet's JWT auth: one ES256 key, its JWKS served on 127.0.0.1 (port 0),
// and RFC 9068 access tokens (`typ: at+jwt`) for any subject.
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export async function startJWKS() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'fleet-key', alg: 'ES256', use: 'sig' };
  const server = createServer((request, response) => {
    if (request.url !== '/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const issuer = `${origin}/`;
  const audience = 'https://fleet.toolwire.test/mcp';
  return {
    auth: { jwksUrl: `${origin}/jwks.json`, issuer, audience },
    /** An access token for `subject`, valid for ten minutes. */
    token(subject) {
      return new SignJWT({ client_id: 'fleet-client', scope: 'mcp' })
        .setProtectedHeader({ alg: 'ES256', kid: 'fleet-key', typ: 'at+jwt' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey);
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
