/**
 * The inspector as a web `fetch` handler, `(request) => Promise<Response>`: the page and its
 * assets (embedded, so it works offline and on any runtime), a JSON snapshot, a server-sent event
 * stream, the catalogue search, and — unless switched off — tool calls and server refreshes.
 * Runtime-neutral: no `node:` import (the Node `http` form is in `@toolwire/inspector/node`).
 */
import { type Registry, ToolwireError } from '@toolwire/core';
import { TokenGate } from '../access/token-gate.js';
import { LiveFeed } from '../state/live-feed.js';
import { callResultView, errorView, serverViews, statsView, toolViews } from '../state/views.js';
import { uiAssets } from '../ui/ui-assets.js';
import { eventStreamResponse } from './event-stream.js';
import { RequestBodyError, readJSONBody } from './read-body.js';

export interface InspectorOptions {
  /**
   * The path the page lives under, e.g. `'/inspect'` (default `''`: the root). Requests outside
   * it get a 404, so the handler can sit behind a router that forwards a prefix.
   */
  basePath?: string | undefined;
  /**
   * A token the page must be opened with once (`<base>/?token=…`); it is exchanged for an
   * HttpOnly, SameSite=Strict session cookie and refused ever after. This is what
   * `toolwire inspect` uses. Leave it out when mounting behind your app's own authentication:
   * the handler then trusts every request that reaches it.
   */
  oneTimeToken?: string | undefined;
  /** Whether the page may call tools and refresh servers. Default `true`. */
  allowCalls?: boolean | undefined;
  /**
   * Runs before anything else; return a `Response` to refuse the request (e.g. a Host/Origin
   * check for DNS-rebinding protection, or your own authentication).
   */
  guard?: ((request: Request) => Response | undefined | Promise<Response | undefined>) | undefined;
  /** Longest a call from the page may take (ms); the page may ask for less. Default: the server's `callTimeoutMs`. */
  maxCallTimeoutMs?: number | undefined;
}

/** A fetch handler with a `close()` that ends its event streams and its registry subscriptions. */
export interface InspectorHandler {
  (request: Request): Promise<Response>;
  /** Ends every open event stream and unsubscribes from the registry. The registry stays open. */
  close(): void;
}

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Creates the inspector for a registry, as a `fetch` handler.
 *
 * @example
 * ```ts
 * const inspector = createInspectorHandler(registry, { basePath: '/inspect' });
 * // in your authenticated route: return inspector(request);
 * ```
 */
export function createInspectorHandler(registry: Registry, options: InspectorOptions = {}): InspectorHandler {
  const basePath = normalizeBasePath(options.basePath);
  const allowCalls = options.allowCalls ?? true;
  const gate =
    options.oneTimeToken === undefined ? undefined : new TokenGate(options.oneTimeToken, `${basePath}/`);
  const feed = new LiveFeed(registry);
  const closing = new AbortController();

  const snapshot = () => ({
    servers: serverViews(registry),
    tools: toolViews(registry),
    stats: statsView(registry),
    calls: feed.recentCalls(),
    allowCalls,
  });

  const handle = async (request: Request): Promise<Response> => {
    const refused = await options.guard?.(request);
    if (refused) return withSecurityHeaders(refused);
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return text(400, 'Bad request URL.');
    }
    if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) return text(404, 'Not found.');
    if (gate) {
      const outcome = gate.check(request, url);
      if (outcome.kind === 'refused') return text(outcome.status, outcome.reason);
      if (outcome.kind === 'exchanged') {
        return new Response(null, {
          status: 303,
          headers: { ...SECURITY_HEADERS, Location: outcome.location, 'Set-Cookie': outcome.cookie },
        });
      }
    }
    const path = url.pathname.slice(basePath.length);
    const method = request.method.toUpperCase();
    if (path === '') return redirect(`${basePath}/${url.search}`);
    if (method === 'GET' || method === 'HEAD') {
      if (path === '/') return asset('index.html');
      if (path.startsWith('/assets/')) return asset(path.slice('/assets/'.length));
      if (path === '/api/state') return json(200, snapshot());
      if (path === '/api/search') return json(200, search(registry, url));
      if (path === '/api/events') {
        return eventStreamResponse({
          feed,
          snapshot,
          closed: closing.signal,
          clientGone: request.signal,
          headers: SECURITY_HEADERS,
        });
      }
      return text(404, 'Not found.');
    }
    if (method === 'POST' && (path === '/api/call' || path === '/api/refresh')) {
      const crossSite = checkSameOrigin(request, url);
      if (crossSite) return crossSite;
      if (!allowCalls)
        return json(403, {
          ok: false,
          error: { code: 'FORBIDDEN', message: 'Calls are switched off for this inspector.' },
        });
      let body: Record<string, unknown>;
      try {
        body = await readJSONBody(request);
      } catch (error) {
        if (error instanceof RequestBodyError)
          return json(error.status, { ok: false, error: { code: 'BAD_REQUEST', message: error.message } });
        throw error;
      }
      return path === '/api/call'
        ? await callTool(registry, body, request.signal, options.maxCallTimeoutMs)
        : await refreshServer(registry, body);
    }
    return text(405, 'Method not allowed.');
  };

  return Object.assign(handle, {
    close() {
      closing.abort();
      feed.close();
    },
  });
}

function normalizeBasePath(basePath: string | undefined): string {
  if (basePath === undefined || basePath === '' || basePath === '/') return '';
  const withSlash = basePath.startsWith('/') ? basePath : `/${basePath}`;
  return withSlash.replace(/\/+$/, '');
}

function search(registry: Registry, url: URL) {
  const query = url.searchParams.get('q') ?? '';
  const limit = Math.min(500, Math.max(1, Number(url.searchParams.get('limit')) || 50));
  return registry
    .search(query, { limit, includeDisabled: true })
    .map((result) => ({ name: result.tool.name, score: result.score, matched: result.matched }));
}

async function callTool(
  registry: Registry,
  body: Record<string, unknown>,
  signal: AbortSignal,
  maxTimeoutMs: number | undefined,
): Promise<Response> {
  const { tool, arguments: args, timeoutMs } = body;
  if (typeof tool !== 'string' || tool === '') return badRequest('"tool" must be a tool name.');
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
    return badRequest('"arguments" must be a JSON object.');
  }
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !(timeoutMs > 0))) {
    return badRequest('"timeoutMs" must be a positive number.');
  }
  const limit =
    timeoutMs === undefined
      ? maxTimeoutMs
      : Math.min(timeoutMs as number, maxTimeoutMs ?? Number.POSITIVE_INFINITY);
  try {
    const result = await registry.callTool(tool, (args ?? {}) as Record<string, unknown>, {
      signal,
      ...(limit === undefined ? {} : { timeoutMs: limit }),
    });
    return json(200, { ok: true, result: callResultView(registry, result) });
  } catch (error) {
    if (ToolwireError.isInstance(error)) return json(200, { ok: false, error: errorView(registry, error) });
    return json(500, { ok: false, error: { code: 'INTERNAL', message: registry.redact(String(error)) } });
  }
}

async function refreshServer(registry: Registry, body: Record<string, unknown>): Promise<Response> {
  const { server } = body;
  if (typeof server !== 'string' || registry.server(server) === undefined) {
    return badRequest('"server" must name a configured server.');
  }
  await registry.refresh(server);
  return json(200, { ok: true });
}

/**
 * State-changing requests must come from the page itself: a JSON body (which a cross-site form
 * cannot send without a CORS preflight we never answer) and, when the browser says where it comes
 * from, the same origin.
 */
function checkSameOrigin(request: Request, url: URL): Response | undefined {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(contentType)) {
    return json(415, { ok: false, error: { code: 'BAD_REQUEST', message: 'Send application/json.' } });
  }
  const origin = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site');
  if (
    (origin !== null && origin !== url.origin) ||
    (site !== null && site !== 'same-origin' && site !== 'none')
  ) {
    return json(403, {
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Cross-origin requests are refused.' },
    });
  }
  return undefined;
}

function asset(name: string): Response {
  const found = Object.hasOwn(uiAssets, name) ? uiAssets[name] : undefined;
  if (!found) return text(404, 'Not found.');
  return new Response(found.body, {
    status: 200,
    headers: { ...SECURITY_HEADERS, 'Content-Type': found.type },
  });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' },
  });
}

function badRequest(message: string): Response {
  return json(400, { ok: false, error: { code: 'BAD_REQUEST', message } });
}

function text(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

function redirect(location: string): Response {
  return new Response(null, { status: 308, headers: { ...SECURITY_HEADERS, Location: location } });
}

function withSecurityHeaders(response: Response): Response {
  const headers = new Headers(response.headers);
  for (const [key, value] of Object.entries(SECURITY_HEADERS)) if (!headers.has(key)) headers.set(key, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
