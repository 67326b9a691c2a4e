/**
 * Where OAuth discovery may go. A server's 401 can name any URL as its protected-resource
 * metadata (RFC 9728 §5.1, `WWW-Authenticate: Bearer resource_metadata="…"`), and that
 * metadata names the authorization servers. Fetching whatever a server names would let a
 * hostile or compromised server point this process at internal addresses, so:
 *
 * - protected-resource metadata is fetched where the header says, on any origin, as the MCP
 *   authorization spec (2025-11-25 and 2026-07-28, "Protected Resource Metadata Discovery
 *   Requirements") says clients MUST; `authDiscovery.allowedOrigins` narrows that to the MCP
 *   server's own origin plus a list, and a pointer anywhere else is then ignored (one warning)
 *   and discovery falls back to the well-known URIs on the server's origin, as the spec has
 *   clients do when the header names no metadata;
 * - plain-http metadata is fetched only from loopback hosts, and only for a server that is itself
 *   on a loopback host: a remote server cannot point this process at a local port;
 * - authorization servers are wherever the metadata says (the spec puts them on other origins
 *   as a matter of course), but with `issuer` configured only that one is contacted;
 * - every metadata URL and authorization server must be `https`, except on loopback hosts.
 *
 * The size cap and the redirect rules of these requests live in `auth-fetch.ts`.
 */
import { ConfigError } from '../errors/config-error.js';

/** The `authDiscovery` registry option. */
export interface AuthDiscoveryOptions {
  /**
   * Where a server's protected-resource metadata may come from when its 401 points there.
   * `'any'` (default): any `https` origin, as the MCP authorization spec requires. A list (e.g.
   * `['https://auth.example.com']`, or `[]`): only each server's own origin and these; a pointer
   * elsewhere is ignored and the server's well-known URIs are used instead. `https` only, except
   * for loopback hosts.
   */
  allowedOrigins?: string[] | 'any';
}

export class DiscoveryPolicy {
  /** `undefined`: any origin (the spec's rule). */
  private readonly allowedOrigins: ReadonlySet<string> | undefined;

  constructor(options: AuthDiscoveryOptions | undefined) {
    const allowed = options?.allowedOrigins ?? 'any';
    this.allowedOrigins = allowed === 'any' ? undefined : new Set(parseAllowedOrigins(allowed));
  }

  /**
   * Why the protected-resource metadata at `metadataUrl`, named by the server at `serverUrl`,
   * may not be fetched; `undefined` when it may.
   */
  refuseResourceMetadata(metadataUrl: URL, serverUrl: string): string | undefined {
    const insecure = refuseInsecure(metadataUrl);
    if (insecure) return insecure;
    const server = new URL(serverUrl);
    if (metadataUrl.protocol === 'http:' && !isLoopbackHost(server.hostname)) {
      return 'it is plain http on a loopback host, named by a server that is not on one';
    }
    if (metadataUrl.origin === server.origin) return undefined;
    if (this.allowedOrigins === undefined || this.allowedOrigins.has(metadataUrl.origin)) return undefined;
    return `it is on another origin than the server (${metadataUrl.origin}), and not in authDiscovery.allowedOrigins`;
  }
}

/** Why a URL must not be used for discovery or token requests: not https and not loopback. */
export function refuseInsecure(url: URL): string | undefined {
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  return `it is not https (plain http is accepted on loopback hosts only)`;
}

/** `localhost`, `*.localhost`, 127.0.0.0/8 and `::1`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  return /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** Checks `authDiscovery.allowedOrigins`: each entry an origin, https unless loopback. */
function parseAllowedOrigins(values: readonly string[]): string[] {
  if (!Array.isArray(values)) {
    throw new ConfigError({
      issues: [{ path: 'authDiscovery.allowedOrigins', message: 'expected "any" or a list of origins' }],
    });
  }
  return values.map((value, index) => {
    const path = `authDiscovery.allowedOrigins[${index}]`;
    let url: URL;
    try {
      url = new URL(String(value));
    } catch {
      throw new ConfigError({
        issues: [
          {
            path,
            message: `expected an origin such as "https://auth.example.com", got ${JSON.stringify(value)}`,
          },
        ],
      });
    }
    const insecure = refuseInsecure(url);
    if (insecure) throw new ConfigError({ issues: [{ path, message: `${url.origin}: ${insecure}` }] });
    if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
      throw new ConfigError({
        issues: [
          { path, message: `expected an origin (scheme, host and port only), got ${JSON.stringify(value)}` },
        ],
      });
    }
    return url.origin;
  });
}
