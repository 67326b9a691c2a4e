/**
 * User-facing OAuth (authorization code + PKCE) with toolwire: where the redirect is handled.
 * A tiny Node HTTP app: each user gets their own registry and their own `OAuthClientProvider`
 * (tokens are the user's, so they never go into a shared store). When the MCP server needs
 * consent, the SDK calls `redirectToAuthorization(url)`; we send the browser there. The
 * authorization server then redirects to `/oauth/callback`, where `finishOAuth()` exchanges
 * the code and `registry.refresh()` connects with the new tokens.
 *
 * Type-checked in CI (tests/docs-snippets); see docs/auth.md.
 */
import { createServer } from 'node:http';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthDiscoveryState,
  OAuthTokens,
} from '@modelcontextprotocol/client';
import { createRegistry, finishOAuth, type Registry } from '@toolwire/core';

const MCP_URL = 'https://mcp.example.com/mcp';
const CALLBACK_URL = 'http://localhost:3000/oauth/callback';

/** One user's OAuth state. Persist it (encrypted) in your session store in a real app. */
class UserOAuthProvider {
  pendingAuthorizationUrl: URL | undefined;
  private client: OAuthClientInformationMixed | undefined;
  private savedTokens: OAuthTokens | undefined;
  private verifier = '';
  private discovery: OAuthDiscoveryState | undefined;

  get redirectUrl(): string {
    return CALLBACK_URL;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'My agent',
      redirect_uris: [CALLBACK_URL],
      grant_types: ['authorization_code', 'refresh_token'],
    };
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(client: OAuthClientInformationMixed) {
    this.client = client;
  }
  tokens() {
    return this.savedTokens;
  }
  saveTokens(tokens: OAuthTokens) {
    this.savedTokens = tokens;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
  /** Called by the SDK when consent is needed: remember where to send the user's browser. */
  redirectToAuthorization(url: URL) {
    this.pendingAuthorizationUrl = url;
  }
}

const sessions = new Map<string, { provider: UserOAuthProvider; registry: Registry }>();

createServer(async (request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost:3000');
  const user = 'demo-user'; // from your own login/session cookie
  if (url.pathname === '/tools') {
    let session = sessions.get(user);
    if (!session) {
      const provider = new UserOAuthProvider();
      const registry = await createRegistry({
        servers: { github: { url: MCP_URL, auth: { type: 'oauth', provider } } },
      });
      session = { provider, registry };
      sessions.set(user, session);
    }
    const authorizationUrl = session.provider.pendingAuthorizationUrl;
    if (session.registry.server('github')?.status !== 'active' && authorizationUrl) {
      response.writeHead(302, { location: authorizationUrl.href }).end();
      return;
    }
    response.end(JSON.stringify(session.registry.tools().map((tool) => tool.name)));
    return;
  }
  if (url.pathname === '/oauth/callback') {
    const session = sessions.get(user);
    if (!session) {
      response.writeHead(400).end('no login in progress');
      return;
    }
    // The redirect lands here: exchange the code, then reconnect the server with the new tokens.
    await finishOAuth({ serverUrl: MCP_URL, provider: session.provider, callbackUrl: url, server: 'github' });
    session.provider.pendingAuthorizationUrl = undefined;
    await session.registry.refresh('github');
    response.writeHead(302, { location: '/tools' }).end();
    return;
  }
  response.writeHead(404).end();
}).listen(3000, '127.0.0.1');
