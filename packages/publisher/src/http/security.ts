/**
 * Request checks that run before anything is parsed: DNS-rebinding protection (the `Host`
 * header must name an allowed host, a browser `Origin` must be allowed) and CORS. Both
 * allow-lists default to the loopback names, so a publisher is safe out of the box and a
 * deployment on another interface must name its hosts.
 */
import {
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  validateHostHeader,
  validateOriginHeader,
} from '@modelcontextprotocol/server';
import { movePlainAnswer } from './plain-answer.js';

export interface CORSOptions {
  /** Allowed browser origins (`https://app.example.com`), or `'*'` for any. */
  origins: readonly string[] | '*';
  /** Extra request headers to allow (the MCP ones are always allowed). */
  allowHeaders?: readonly string[] | undefined;
  /** `Access-Control-Max-Age` in seconds. Default 600. */
  maxAgeSeconds?: number | undefined;
}

export interface HostCheck {
  /** Hostnames (no port) accepted in `Host`; `'any'` disables the check (e.g. behind a proxy that checks it). */
  allowedHosts: readonly string[] | 'any';
  /** Hostnames accepted in a browser's `Origin`; `'any'` disables the check. */
  allowedOrigins: readonly string[] | 'any';
}

const MCP_HEADERS = [
  'content-type',
  'authorization',
  'mcp-session-id',
  'mcp-protocol-version',
  'last-event-id',
  'accept',
];
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

/** The default allow-lists: loopback names only. */
export function defaultHostCheck(): HostCheck {
  return { allowedHosts: localhostAllowedHostnames(), allowedOrigins: localhostAllowedOrigins() };
}

function forbidden(message: string): Response {
  return Response.json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }, { status: 403 });
}

/** Returns a 403 when the request's Host or Origin is not allowed. */
export function checkHostAndOrigin(request: Request, check: HostCheck): Response | undefined {
  if (check.allowedHosts !== 'any') {
    // Fetch runtimes that omit the Host header (it is a forbidden header for `new Request`) put it in the URL.
    const host = request.headers.get('host') ?? new URL(request.url).host;
    const result = validateHostHeader(host, [...check.allowedHosts]);
    if (!result.ok)
      return forbidden(
        `${result.message} Allow it with http.allowedHosts when the publisher is reached by that name.`,
      );
  }
  const origin = request.headers.get('origin');
  if (origin && check.allowedOrigins !== 'any') {
    const result = validateOriginHeader(origin, [...check.allowedOrigins]);
    if (!result.ok) return forbidden(`${result.message} Allow it with http.allowedOrigins.`);
  }
  return undefined;
}

/** CORS headers for a request from an allowed browser origin (none for other requests). */
export function corsHeaders(request: Request, cors: CORSOptions | undefined): Record<string, string> {
  const origin = request.headers.get('origin');
  if (!cors || !origin) return {};
  const allowed = cors.origins === '*' || cors.origins.includes(origin);
  if (!allowed) return {};
  return {
    'Access-Control-Allow-Origin': cors.origins === '*' ? '*' : origin,
    'Access-Control-Expose-Headers': 'mcp-session-id, mcp-protocol-version, www-authenticate',
    ...(cors.origins === '*' ? {} : { Vary: 'Origin' }),
  };
}

/** Answers a CORS preflight. */
export function preflight(request: Request, cors: CORSOptions): Response {
  const headers = corsHeaders(request, cors);
  if (!headers['Access-Control-Allow-Origin']) return new Response(null, { status: 403 });
  return new Response(null, {
    status: 204,
    headers: {
      ...headers,
      'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': [...MCP_HEADERS, ...(cors.allowHeaders ?? [])].join(', '),
      'Access-Control-Max-Age': String(cors.maxAgeSeconds ?? 600),
    },
  });
}

/** Copies a response with extra headers (responses from the SDK may have immutable headers). */
export function withHeaders(response: Response, extra: Record<string, string>): Response {
  const keys = Object.keys(extra);
  if (keys.length === 0) return response;
  const headers = new Headers(response.headers);
  for (const key of keys) headers.set(key, extra[key] as string);
  const copy = new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
  // A plain answer's text is kept beside it, not in its body (`plain-answer.ts`): it goes with the copy.
  movePlainAnswer(response, copy, extra);
  return copy;
}
