/**
 * The cache key of a server: a SHA-256 digest of what identifies it (its configured name,
 * transport, URL or command and arguments, tool filters, protocol choice). The name keeps apart
 * two servers that run the same program with different settings. Secrets never enter it: no headers, no auth, no
 * environment values (only the names of the variables), and a URL's query string contributes only
 * its parameter names. What the key cannot see (a changed env value, a redeployed server) is
 * caught by the drift check when the server is next connected.
 */
import type { ServerDefinition } from '../config/server-config.js';

/** Bumped when the stored shape changes, so old entries are simply missed. */
export const SCHEMA_CACHE_FORMAT = 1;

/** The identity the digest is taken over, as a canonical object (exported for tests and `doctor`). */
export function serverIdentity(definition: ServerDefinition): Record<string, unknown> {
  const common = {
    format: SCHEMA_CACHE_FORMAT,
    name: definition.name,
    protocol: definition.protocol,
    enabledTools: definition.enabledTools ?? null,
    disabledTools: definition.disabledTools ?? null,
  };
  if (definition.transport === 'stdio') {
    return {
      ...common,
      transport: 'stdio',
      command: definition.command,
      args: definition.args,
      cwd: definition.cwd ?? null,
      envNames: Object.keys(definition.env).sort(),
    };
  }
  return { ...common, transport: definition.transport, url: urlIdentity(definition.url) };
}

/** The hex SHA-256 digest of a server's identity: its schema cache key. */
export async function serverFingerprint(definition: ServerDefinition): Promise<string> {
  return sha256Hex(stableStringify(serverIdentity(definition)));
}

/** JSON with object keys sorted, so equal values always give equal text. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== undefined) sorted[key] = sortKeys(child);
    }
    return sorted;
  }
  return value;
}

/** Web Crypto digest: available on Node ≥ 20, Deno, Bun, workers and browsers alike. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

function urlIdentity(value: string): string {
  try {
    const url = new URL(value);
    const names = [...new Set(url.searchParams.keys())].sort();
    return `${url.protocol}//${url.host}${url.pathname}${names.length > 0 ? `?${names.join('&')}` : ''}`;
  } catch {
    return '(invalid url)';
  }
}
