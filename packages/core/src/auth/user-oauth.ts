/**
 * A user's OAuth (`auth: { type: 'oauth', provider }`): the SDK's `OAuthClientProvider` goes
 * to the transports as is, and they run discovery, refresh and step-up through it. We stand in
 * the transport's fetch so the SDK's own auth requests get the limits of `auth-fetch.ts`, and
 * so the discovery policy (`discovery-policy.ts`) applies to the metadata pointer a 401 or 403
 * carries.
 */
import type { FetchLike, OAuthClientProvider } from '@modelcontextprotocol/client';
import type { HttpServerDefinition } from '../config/server-config.js';
import type { Logger } from '../logging/logger.js';
import { safeUrl } from '../redaction/safe-url.js';
import { guardMixedFetch } from './auth-fetch.js';
import type { DiscoveryPolicy } from './discovery-policy.js';
import type { ServerAuth } from './server-auth.js';

/**
 * A user's OAuth provider, handed to the SDK transports as is (they run discovery, refresh and
 * step-up through it). We stand in the transport's fetch: the SDK's token, registration and
 * metadata requests get the limits of `auth-fetch.ts`, and a 401 or 403 whose metadata pointer
 * breaks the discovery policy reaches the SDK without that pointer, so it looks at the
 * server's own well-known URIs instead.
 */
export class UserOAuth implements ServerAuth {
  readonly authProvider: OAuthClientProvider;
  private readonly definition: HttpServerDefinition;
  private readonly policy: DiscoveryPolicy;
  private readonly logger: Logger;
  private readonly warned = new Set<string>();

  constructor(
    definition: HttpServerDefinition,
    provider: OAuthClientProvider,
    policy: DiscoveryPolicy,
    logger: Logger,
  ) {
    this.definition = definition;
    this.authProvider = provider;
    this.policy = policy;
    this.logger = logger;
  }

  wrapFetch(fetch: FetchLike): FetchLike {
    const { name: server, url: serverUrl } = this.definition;
    const guarded = guardMixedFetch(fetch, serverUrl, { server });
    return async (url, init) => {
      const response = await guarded(url, init);
      if (response.status !== 401 && response.status !== 403) return response;
      return withoutRefusedPointer(response, serverUrl, this.policy, (pointer, refusal) => {
        if (this.warned.has(pointer)) return;
        this.warned.add(pointer);
        this.logger.warn(
          `[${server}] not fetching the resource metadata its ${response.status} points at (${safeUrl(pointer)}): ${refusal}; looking at the well-known URIs of ${safeUrl(serverUrl)} instead`,
          { server },
        );
      });
    };
  }
}

/** The response, or a copy whose `WWW-Authenticate` lost a `resource_metadata` the policy refuses. */
function withoutRefusedPointer(
  response: Response,
  serverUrl: string,
  policy: DiscoveryPolicy,
  onRefused: (pointer: string, refusal: string) => void,
): Response {
  const challenge = response.headers.get('www-authenticate');
  const match = challenge ? /resource_metadata=(?:"([^"]*)"|([^\s,]+))/.exec(challenge) : null;
  const pointer = match?.[1] ?? match?.[2];
  if (!challenge || !match || !pointer) return response;
  let refusal: string | undefined;
  try {
    refusal = policy.refuseResourceMetadata(new URL(pointer), serverUrl);
  } catch {
    refusal = 'it is not a valid URL';
  }
  if (refusal === undefined) return response;
  onRefused(pointer, refusal);
  const headers = new Headers(response.headers);
  const rest = challenge
    .replace(match[0], '')
    .replace(/,\s*,/g, ',')
    .replace(/^(\S+)\s*,\s*/, '$1 ')
    .replace(/,\s*$/, '')
    .trim();
  headers.set('www-authenticate', rest);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
