/**
 * The one path for the limits of HTTP requests the auth layer makes on its own behalf (token
 * requests, client registration, discovery metadata), whoever builds them: our client
 * credentials code, or the SDK's discovery and token helpers through the `fetchFn` we give them.
 *
 * - Token and registration requests never follow a redirect: a `3xx` is an `AuthError` naming
 *   the status and the target, and the request is not re-sent there (a 307/308 would re-send
 *   the POST, client secret and all).
 * - Metadata requests are sent with `redirect: 'manual'` so the fetch underneath never follows
 *   a redirect by itself; the SDK's discovery helpers follow those that stay within the origin
 *   and stop at any other.
 * - Every URL is `https`, except on loopback hosts.
 * - A response body is read up to {@link MAX_AUTH_RESPONSE_BYTES}; a bigger one is cut off
 *   (the connection is dropped) and the request fails with an `AuthError`.
 * - Each request has a deadline ({@link AUTH_REQUEST_TIMEOUT_MS}) unless the caller's is sooner.
 */
import type { FetchLike } from '@modelcontextprotocol/client';
import { AuthError } from '../errors/auth-error.js';
import { safeUrl } from '../redaction/safe-url.js';
import { refuseInsecure } from './discovery-policy.js';

/** Largest token, registration or metadata response read (bytes): 256 KiB. */
export const MAX_AUTH_RESPONSE_BYTES = 256 * 1024;
/** A token or metadata request gives up after this long (the endpoint is down or stalls). */
export const AUTH_REQUEST_TIMEOUT_MS = 30_000;

/** What a request is for: it decides the redirect rule and the wording of errors. */
export type AuthRequestKind = 'token' | 'registration' | 'metadata';

export interface AuthFetchContext {
  /** The configured server name, for messages. */
  server: string | undefined;
  /** Overrides the body cap (tests). */
  maxResponseBytes?: number;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** `base` with the limits of one kind of auth request (see the file header). */
export function guardAuthFetch(base: FetchLike, kind: AuthRequestKind, context: AuthFetchContext): FetchLike {
  return (input, init) => sendAuthRequest(base, kind, context, input, init);
}

/**
 * For a fetch that carries both MCP traffic and the auth requests the SDK makes on a user
 * OAuth provider's behalf: guards what is auth traffic (token grants, requests to other
 * origins, `/.well-known/` documents) and passes MCP requests through untouched.
 */
export function guardMixedFetch(base: FetchLike, serverUrl: string, context: AuthFetchContext): FetchLike {
  const serverOrigin = originOf(serverUrl);
  return (input, init) => {
    const kind = classify(new URL(String(input)), init, serverOrigin);
    return kind ? sendAuthRequest(base, kind, context, input, init) : base(input, init);
  };
}

/** A fetch for requests that are all auth traffic (`finishOAuth`): GETs are metadata, POSTs tokens. */
export function guardStandaloneFetch(base: FetchLike, context: AuthFetchContext): FetchLike {
  return (input, init) => {
    const method = (init?.method ?? 'GET').toUpperCase();
    const kind: AuthRequestKind =
      method === 'GET' ? 'metadata' : isTokenRequest(init) ? 'token' : 'registration';
    return sendAuthRequest(base, kind, context, input, init);
  };
}

function classify(
  url: URL,
  init: RequestInit | undefined,
  serverOrigin: string | undefined,
): AuthRequestKind | undefined {
  const method = (init?.method ?? 'GET').toUpperCase();
  if (method === 'POST' && isTokenRequest(init)) return 'token';
  const elsewhere = url.origin !== serverOrigin;
  if (method === 'GET' && (elsewhere || url.pathname.includes('/.well-known/'))) return 'metadata';
  if (method === 'POST' && elsewhere) return 'registration';
  return undefined;
}

/** A form-encoded body with a `grant_type`: what every OAuth token request sends (RFC 6749 §3.2). */
function isTokenRequest(init: RequestInit | undefined): boolean {
  const body = init?.body;
  if (body instanceof URLSearchParams) return body.has('grant_type');
  if (typeof body !== 'string') return false;
  const type = new Headers(init?.headers).get('content-type') ?? '';
  return type.includes('application/x-www-form-urlencoded') && new URLSearchParams(body).has('grant_type');
}

async function sendAuthRequest(
  base: FetchLike,
  kind: AuthRequestKind,
  context: AuthFetchContext,
  input: string | URL,
  init: RequestInit | undefined,
): Promise<Response> {
  const url = new URL(String(input));
  const where = safeUrl(url.href);
  const subject = describeKind(kind, where, context.server);
  const insecure = refuseInsecure(url);
  if (insecure) {
    throw new AuthError({ server: context.server, message: `Not sending ${subject}: ${insecure}` });
  }
  const deadline = AbortSignal.timeout(AUTH_REQUEST_TIMEOUT_MS);
  const signal = init?.signal ? anySignal([init.signal, deadline]) : deadline;
  let response: Response;
  try {
    response = await base(url, { ...init, redirect: 'manual', signal });
  } catch (error) {
    if (deadline.aborted && !init?.signal?.aborted) {
      throw new AuthError({
        server: context.server,
        cause: error,
        message: `No answer to ${subject} within ${AUTH_REQUEST_TIMEOUT_MS / 1000} s`,
      });
    }
    throw error;
  }
  const redirect = redirectOf(response, url);
  if (redirect !== undefined && kind !== 'metadata') {
    await response.body?.cancel().catch(() => {});
    throw new AuthError({
      server: context.server,
      message: `${capitalize(subject)} was answered with HTTP ${response.status}${redirect ? ` (a redirect to ${redirect})` : ''}; token and registration requests never follow redirects, so nothing was sent there. Configure the endpoint the redirect names if it is the intended one.`,
    });
  }
  if (redirect !== undefined) return response;
  return capBody(response, context.maxResponseBytes ?? MAX_AUTH_RESPONSE_BYTES, subject, context.server);
}

/** The target of a redirect response (`''` when it names none), or `undefined` for any other response. */
function redirectOf(response: Response, requested: URL): string | undefined {
  if (response.type === 'opaqueredirect') return '';
  if (response.redirected) {
    // A fetch that ignored `redirect: 'manual'` already followed it.
    return safeUrl(response.url || requested.href);
  }
  if (!REDIRECT_STATUSES.has(response.status)) return undefined;
  const location = response.headers.get('location');
  if (!location) return '';
  try {
    return safeUrl(new URL(location, requested).href);
  } catch {
    return '';
  }
}

/** The response with its body read into memory, at most `limit` bytes of it. */
async function capBody(
  response: Response,
  limit: number,
  subject: string,
  server: string | undefined,
): Promise<Response> {
  const tooBig = () =>
    new AuthError({
      server,
      message: `The answer to ${subject} is larger than ${formatBytes(limit)}; not reading the rest`,
    });
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => {});
    throw tooBig();
  }
  let bytes: Uint8Array<ArrayBuffer>;
  if (!response.body) {
    bytes = new Uint8Array(0);
  } else {
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => {});
        throw tooBig();
      }
      chunks.push(value);
    }
    bytes = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
  }
  const headers = new Headers(response.headers);
  // The body is now plain bytes of a known length.
  headers.delete('content-encoding');
  headers.delete('content-length');
  return new Response(NULL_BODY_STATUSES.has(response.status) ? null : bytes, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

function describeKind(kind: AuthRequestKind, where: string, server: string | undefined): string {
  const forServer = server === undefined ? '' : ` for server "${server}"`;
  if (kind === 'token') return `the token request${forServer} to ${where}`;
  if (kind === 'registration') return `the client registration request${forServer} to ${where}`;
  return `the authorization metadata request${forServer} to ${where}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 && bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** `AbortSignal.any` where the runtime has it; otherwise a small equivalent. */
function anySignal(signals: AbortSignal[]): AbortSignal {
  const any = (AbortSignal as { any?: (signals: AbortSignal[]) => AbortSignal }).any;
  if (any) return any(signals);
  const controller = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}
