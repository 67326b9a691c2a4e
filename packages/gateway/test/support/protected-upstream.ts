/**
 * A protected upstream for the gateway's upstream-auth tests: our own publisher on loopback whose
 * HTTP endpoint accepts only JWT access tokens from the test's authorization server with the
 * upstream's own URL as audience (set once it listens), and whose `whoami` tool answers with the
 * token it was called with: subject, client and audience. `revoke(subject)` makes it refuse (401)
 * every token of that subject it has seen so far, as a server whose tokens were revoked would.
 */
import {
  createJWTVerifier,
  createPublisher,
  definePrompt,
  defineResource,
  defineTool,
} from '../../../publisher/src/index.js';

export interface ProtectedUpstream {
  url: string;
  /** Refuses from now on every token of `subject` this server has accepted until now. */
  revoke(subject: string): void;
  close(): Promise<void>;
}

export async function startProtectedUpstream(auth: {
  issuer: string;
  jwksUrl: string;
}): Promise<ProtectedUpstream> {
  let verifier: ReturnType<typeof createJWTVerifier> | undefined;
  const seen = new Map<string, Set<string>>();
  const revoked = new Set<string>();
  const publisher = createPublisher({
    name: 'protected-upstream',
    version: '1.0.0',
    onError: () => {},
    http: {
      auth: {
        // The audience is the URL, known once listening: the verifier is made then.
        verify: async (token) => {
          if (!verifier) throw new Error('not listening yet');
          const info = await verifier.verifyAccessToken(token);
          const subject = String((info.extra?.claims as { sub?: unknown } | undefined)?.sub);
          if (revoked.has(token)) throw new Error('revoked');
          const tokens = seen.get(subject) ?? new Set<string>();
          seen.set(subject, tokens.add(token));
          return info;
        },
        authorizationServers: [auth.issuer],
      },
    },
    // The same answer for a resource read and a prompt, which the gateway forwards per caller too.
    resources: [
      defineResource({
        uri: 'whoami://subject',
        name: 'subject',
        mimeType: 'text/plain',
        read: (_uri, _variables, context) =>
          String((context.authInfo?.extra?.claims as { sub?: unknown } | undefined)?.sub),
      }),
    ],
    prompts: [
      definePrompt({
        name: 'whoami',
        description: 'Names the subject of the token it was asked with.',
        get: (_args, context) => ({
          messages: [
            {
              role: 'user',
              content: {
                type: 'text',
                text: String((context.authInfo?.extra?.claims as { sub?: unknown } | undefined)?.sub),
              },
            },
          ],
        }),
      }),
    ],
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
  return {
    url: listening.url,
    revoke: (subject) => {
      for (const token of seen.get(subject) ?? []) revoked.add(token);
    },
    close: () => publisher.close({ drainMs: 100 }),
  };
}
