/**
 * Streamable HTTP and legacy SSE transports over the SDK v2 client, with static headers on every
 * request and the function form of `headers` evaluated per request with the context of the caller
 * that request was sent for (so a per-conversation token is always current, and never another
 * caller's, on a shared connection). Every response body is bounded (`bounded-fetch.ts`).
 */
import {
  type FetchLike,
  SSEClientTransport,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import type { HttpServerDefinition } from '../config/server-config.js';
import { boundResponses } from './bounded-fetch.js';
import { markUndelivered } from './delivery.js';
import { platformFetch } from './platform-fetch.js';
import { ownRequestSignals } from './request-signals.js';
import type { TransportContext } from './transport-context.js';

export function createStreamableHTTPTransport(
  definition: HttpServerDefinition,
  context: TransportContext,
): StreamableHTTPClientTransport {
  const { requestInit, fetch } = httpOptions(definition, context);
  return new StreamableHTTPClientTransport(new URL(definition.url), {
    ...(requestInit ? { requestInit } : {}),
    fetch,
    ...(context.authProvider ? { authProvider: context.authProvider } : {}),
  });
}

export function createSSETransport(
  definition: HttpServerDefinition,
  context: TransportContext,
): SSEClientTransport {
  const { requestInit, fetch } = httpOptions(definition, context);
  return new SSEClientTransport(new URL(definition.url), {
    ...(requestInit ? { requestInit } : {}),
    fetch,
    ...(context.authProvider ? { authProvider: context.authProvider } : {}),
  });
}

function httpOptions(
  definition: HttpServerDefinition,
  context: TransportContext,
): { requestInit: RequestInit | undefined; fetch: FetchLike } {
  const headers = definition.headers;
  const staticHeaders: Record<string, string> = {};
  if (headers !== undefined && typeof headers !== 'function') Object.assign(staticHeaders, headers);
  if (definition.auth?.type === 'bearer') staticHeaders.Authorization = `Bearer ${definition.auth.token}`;
  const requestInit = Object.keys(staticHeaders).length > 0 ? { headers: staticHeaders } : undefined;

  const baseFetch: FetchLike = context.fetch ?? platformFetch;
  const bounded = ownRequestSignals(boundResponses(markUndelivered(baseFetch), definition.maxMessageBytes));
  if (typeof headers !== 'function') return { requestInit, fetch: bounded };
  const dynamicHeaders = headers;
  const fetchWithHeaders: FetchLike = async (url, init) => {
    const merged = new Headers(init?.headers);
    // The caller this request was sent for; requests no caller made get the connection's own.
    const caller = context.requestContexts?.take(merged);
    const sessionKey = caller ? caller.sessionKey : context.sessionKey;
    const extra = await dynamicHeaders({ server: definition.name, sessionKey });
    for (const [name, value] of Object.entries(extra)) merged.set(name, value);
    return bounded(url, { ...init, headers: merged });
  };
  return { requestInit, fetch: fetchWithHeaders };
}
