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

  /** Set when the server refused a token we sent; cleared once discovery ran again. */
  private rediscover = false;

  constructor(
    definition: HttpServerDefinition,
    provider: OAuthClientProvider,
    policy: DiscoveryPolicy,
    logger: Logger,
  ) {
    this.definition = definition;
    this.authProvider = this.withFreshDiscovery(provider);
    this.policy = policy;
    this.logger = logger;
  }

  /**
   * SEP-2352 (authorization server binding and migration): a server may move to another
   * authorization server, and credentials of the old one must not be presented to the new one.
   * The SDK keeps them apart by the issuer stamped on stored credentials, but it only learns of
   * a move by discovering again, and a provider that caches its discovery state
   * (`discoveryState()`, as it should for the redirect) would keep it forever. So once the server
   * refuses a token we sent, the cached state is hidden from the SDK until it has saved a fresh
   * one: it reads the server's resource metadata again, and registers anew if the authorization
   * server changed.
   */
  private withFreshDiscovery(provider: OAuthClientProvider): OAuthClientProvider {
    if (typeof provider.discoveryState !== 'function') return provider;
    return new Proxy(provider, {
      get: (target, property) => {
        if (property === 'discoveryState') {
          return () => (this.rediscover ? undefined : target.discoveryState?.());
        }
        if (property === 'saveDiscoveryState') {
          return (state: Parameters<NonNullable<OAuthClientProvider['saveDiscoveryState']>>[0]) => {
            this.rediscover = false;
            return target.saveDiscoveryState?.(state);
          };
        }
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
      has: (target, property) => Reflect.has(target, property),
    });
  }

  wrapFetch(fetch: FetchLike): FetchLike {
    const { name: server, url: serverUrl } = this.definition;
    const guarded = guardMixedFetch(fetch, serverUrl, { server });
    return async (url, init) => {
      const response = await guarded(url, init);
      if (
        response.status === 401 &&
        isServerEndpoint(url, serverUrl) &&
        new Headers(init?.headers).has('authorization')
      ) {
        this.rediscover = true;
      }
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

/** Whether `url` is the MCP endpoint itself (not a token or metadata endpoint of the same origin). */
function isServerEndpoint(url: string | URL, serverUrl: string): boolean {
  try {
    const target = new URL(String(url));
    const server = new URL(serverUrl);
    return target.origin === server.origin && target.pathname === server.pathname;
  } catch {
    return false;
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
