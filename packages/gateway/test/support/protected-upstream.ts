/**
 * A protected upstream for the gateway's upstream-auth tests: our own publisher on loopback whose
 * HTTP endpoint accepts only JWT access tokens from the test's authorization server with the
 * upstream's own URL as audience (set once it listens), and whose `whoami` tool answers with the
 * token it was called with: subject, client and audience.
 */
import { createJWTVerifier, createPublisher, defineTool } from '../../../publisher/src/index.js';

export interface ProtectedUpstream {
  url: string;
  close(): Promise<void>;
}

export async function startProtectedUpstream(auth: {
  issuer: string;
  jwksUrl: string;
}): Promise<ProtectedUpstream> {
  let verifier: ReturnType<typeof createJWTVerifier> | undefined;
  const publisher = createPublisher({
    name: 'protected-upstream',
    version: '1.0.0',
    onError: () => {},
    http: {
      auth: {
        // The audience is the URL, known once listening: the verifier is made then.
        verify: async (token) => {
          if (!verifier) throw new Error('not listening yet');
          return verifier.verifyAccessToken(token);
        },
        authorizationServers: [auth.issuer],
      },
    },
    tools: [
      defineTool({
        name: 'whoami',
        description: 'Who the access token this call came with names.',
        execute: (_args, context) => {
          const claims = (context.authInfo?.extra?.claims ?? {}) as Record<string, unknown>;
          return {
            content: [{ type: 'text', text: String(claims.sub) }],
            structuredContent: { sub: claims.sub, client_id: claims.client_id, aud: claims.aud },
          };
        },
      }),
    ],
  });
  const listening = await publisher.listen();
  verifier = createJWTVerifier({ jwksUrl: auth.jwksUrl, issuer: auth.issuer, audience: listening.url });
  return { url: listening.url, close: () => publisher.close({ drainMs: 100 }) };
}
