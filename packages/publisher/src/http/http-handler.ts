/**
 * The web-standard `fetch(request) → Response` face of a publisher: CORS preflight, DNS-rebinding
 * checks, health, protected resource metadata, bearer auth, the body limit, the batch policy and
 * per-tool scopes run here, in that order, before a request reaches the SDK. Requests are then
 * routed by protocol era: 2026-07-28 traffic to the SDK's per-request handler, 2025-era traffic
 * to stateful sessions (default) or to the stateless per-request fallback. Each POST's response
 * goes out through a `ResponseExchange`: one JSON body when its answer is ready before anything
 * else is said for it (`adaptive-answer.ts`), otherwise an SSE stream with a bounded buffer
 * (backpressure for its tool calls). `listen()` enters through `serve`, with the body already read.
 */
import {
  type AuthInfo,
  createMcpHandler,
  isLegacyRequest,
  legacyStatelessFallback,
  readRequestBody,
} from '@modelcontextprotocol/server';
import {
  authenticate,
  insufficientScopeResponse,
  metadataUrlFor,
  type PublisherAuthOptions,
  protectedResourceMetadata,
  type ResolvedAuth,
  resolveAuth,
} from '../auth/auth-options.js';
import { positive } from '../check-option.js';
import { buildServer, type ServerBlueprint } from '../server/build-server.js';
import { attachChannel } from '../server/call-channel.js';
import { CallTracker } from '../server/call-tracker.js';
import { anyListPerCaller } from '../server/visible-lists.js';
import { createMemoryEventStore } from '../store/memory-event-store.js';
import { createMemorySessionStore, type PublisherStore } from '../store/session-store.js';
import { DEFAULT_STORE_TIMEOUT_MS, guardSessionStore } from '../store/store-guard.js';
import { createTaskStatusStreams, wantsTaskStatus } from '../tasks/task-status-stream.js';
import { ANSWER_HOLD_MS } from './adaptive-answer.js';
import { refuseBatch } from './batch-policy.js';
import { broadcastsListChanges, withCallerListChanges } from './caller-list-changes.js';
import { requestedResourceURIs, withCallerResourceUpdates } from './caller-resource-updates.js';
import { jsonRpcError } from './error-answers.js';
import { isPlainLegacyMessage } from './legacy-message.js';
import { withPlainBody } from './plain-answer.js';
import { DEFAULT_MAX_BUFFERED_BYTES_PER_STREAM, ResponseExchange } from './response-stream.js';
import {
  type CORSOptions,
  checkHostAndOrigin,
  corsHeaders,
  defaultHostCheck,
  type HostCheck,
  preflight,
  withHeaders,
} from './security.js';
import { SessionManager } from './session-manager.js';
import type { SessionOptions } from './session-options.js';
import { sessionOwnerKey } from './session-owner.js';

/** `createPublisher({ http })`; the session lifetimes, limits and store deadline are `SessionOptions`. */
export interface HTTPOptions extends SessionOptions {
  /** The MCP endpoint's path. Default `/mcp`. */
  path?: string | undefined;
  /**
   * `true`: no sessions; each 2025-era request is served by a fresh server (scales behind any load
   * balancer; no server-to-client requests on that era). Default `false` (stateful sessions).
   * 2026-07-28 requests are always per-request.
   */
  stateless?: boolean | undefined;
  /** Hostnames accepted in `Host`. Default: loopback names; required when listening on another interface. */
  allowedHosts?: readonly string[] | 'any' | undefined;
  /** Hostnames accepted in a browser's `Origin`. Default: loopback names. */
  allowedOrigins?: readonly string[] | 'any' | undefined;
  /** CORS for browser clients. Default: off (no CORS headers). */
  cors?: CORSOptions | undefined;
  /** Largest accepted request body in bytes. Default 1 MiB. */
  maxBodyBytes?: number | undefined;
  /**
   * Bytes of SSE messages held for one response stream while its client is not reading. Past
   * this, the tool calls answering on that stream wait in `reportProgress()` / `log()` until the
   * client reads (backpressure) instead of the server buffering without bound. Default 256 KiB.
   */
  maxBufferedBytesPerStream?: number | undefined;
  /**
   * Open 2026-07-28 `subscriptions/listen` streams this instance keeps (each a long-lived SSE
   * response on which list changes arrive); past it a new one is refused. Default 1,024.
   */
  maxSubscriptions?: number | undefined;
  /** Session and event store; memory by default, Redis from `@toolwire/publisher/redis`. */
  store?: PublisherStore | undefined;
  /**
   * The health check path, or `false`. Default `/health`. It answers `GET` without a session or
   * a token, after the Host/Origin check (a load balancer's probe must use an allowed Host).
   */
  healthPath?: string | false | undefined;
  /**
   * `true` adds the number of sessions and running tool calls to the health answer. Default
   * `false`: `{ status }` only, since the counts tell anyone who can reach the port how busy it is.
   */
  healthDetails?: boolean | undefined;
  /**
   * A readiness check, answered at `readyPath` (`GET`, without a session or a token, after the
   * Host/Origin check, like the health check): 200 with its `body` when it reports `ready`, 503
   * otherwise, and always 503 while draining. Liveness (`/health`) says the process serves;
   * readiness says whether a load balancer should send it traffic. Default: no readiness route.
   */
  readiness?:
    | (() =>
        | { ready: boolean; body?: Record<string, unknown> }
        | Promise<{ ready: boolean; body?: Record<string, unknown> }>)
    | undefined;
  /** Where `readiness` answers. Default `/ready`. */
  readyPath?: string | undefined;
  /** Require bearer tokens. */
  auth?: PublisherAuthOptions | undefined;
}

export interface HTTPHandler {
  fetch(request: Request): Promise<Response>;
  /**
   * `fetch` for the Node listener: `body` is the request's body, already read (within the body
   * limit); a plain JSON answer in the result is left for the caller to claim (`plain-answer.ts`).
   */
  serve(request: Request, body?: string): Promise<Response>;
  readonly sessionCount: number;
  /** Refuses new requests, waits for running tool calls (up to `drainMs`), then closes everything. */
  close(drainMs: number): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Open `subscriptions/listen` streams per instance (the SDK's own default). */
const DEFAULT_MAX_SUBSCRIPTIONS = 1024;

export function createHTTPHandler(
  blueprint: ServerBlueprint,
  options: HTTPOptions,
  onError: (error: Error) => void,
): HTTPHandler {
  const path = options.path ?? '/mcp';
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxBufferedBytes = options.maxBufferedBytesPerStream ?? DEFAULT_MAX_BUFFERED_BYTES_PER_STREAM;
  const healthPath = options.healthPath === undefined ? '/health' : options.healthPath;
  const defaults = defaultHostCheck();
  const hostCheck: HostCheck = {
    allowedHosts: options.allowedHosts ?? defaults.allowedHosts,
    allowedOrigins: options.allowedOrigins ?? defaults.allowedOrigins,
  };
  const auth: ResolvedAuth | undefined = options.auth ? resolveAuth(options.auth) : undefined;
  const store: PublisherStore = options.store ?? {
    sessions: createMemorySessionStore(),
    events: createMemoryEventStore(),
  };
  // The same deadline the session layer puts on every store call.
  const guardedSessions = guardSessionStore(
    store.sessions,
    options.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS,
  );
  const sessions = options.stateless
    ? undefined
    : new SessionManager({ blueprint, store, options, maxBodyBytes, onError });
  const stateless = options.stateless
    ? legacyStatelessFallback(() => buildServer(blueprint, 'legacy'), onError, {
        maxRequestBodySize: maxBodyBytes,
      })
    : undefined;
  const modern = createMcpHandler(() => buildServer(blueprint, 'modern'), {
    legacy: 'reject',
    onerror: onError,
    maxRequestBodySize: maxBodyBytes,
    maxSubscriptions: positive(
      'http.maxSubscriptions',
      options.maxSubscriptions,
      DEFAULT_MAX_SUBSCRIPTIONS,
      true,
    ),
  });
  // 2026-07-28 clients hear of list changes on their `subscriptions/listen` streams (SEP-2575);
  // 2025 sessions are told by their own server instances (`list-follower.ts`).
  // A list shaped per caller is told per stream instead (`withCallerListChanges`).
  const stopFollowing = blueprint.catalogue.onChange((kind) => {
    if (!broadcastsListChanges(blueprint, kind)) return;
    if (kind === 'tools') modern.notify.toolsChanged();
    else if (kind === 'prompts') modern.notify.promptsChanged();
    else modern.notify.resourcesChanged();
  });
  // …and of updates to the resources their `resourceSubscriptions` filter names (an update for
  // one caller is written into that caller's streams only: `withCallerResourceUpdates`).
  const stopUpdates = blueprint.resourceUpdates.subscribe((uri, principal) => {
    if (principal === undefined) modern.notify.resourceUpdated(uri);
  });
  const updatesLink = store.bus ? blueprint.resourceUpdates.link(store.bus) : undefined;
  updatesLink?.catch(onError);
  // On a fleet, `visibilityChanged()` on any instance rechecks the callers every instance holds.
  const rechecksLink =
    store.bus && anyListPerCaller(blueprint) ? blueprint.rechecks.link(store.bus) : undefined;
  rechecksLink?.catch(onError);
  let closing = false;
  // POST exchanges still streaming their answer: shutdown waits for them, not only for tool calls,
  // so a result computed just before the drain ends still reaches its client.
  const exchanges = new CallTracker();
  // Subscription streams answer nothing and never end by themselves: shutdown does not wait for
  // them, it ends them (`modern.close()`) once the calls have drained.
  const subscriptions = new WeakSet<Request>();
  // Task status notifications (SEP-2663) added to the listen streams that ask for them.
  const taskStreams = createTaskStatusStreams(blueprint.tasks.events);
  // On a fleet, every instance hears of every task's changes (for the streams it holds).
  const taskLink = store.bus ? blueprint.tasks.events.link(store.bus) : undefined;
  taskLink?.catch(onError);

  const resourceUrlFor = (url: URL) => new URL(options.auth?.resourceUrl ?? `${url.origin}${path}`);

  /** What `route` learnt that shapes the answer's form. */
  interface AnswerShape {
    /** The POST's body was a JSON-RPC batch. */
    batch: boolean;
  }

  async function route(request: Request, preRead: string | undefined, shape: AnswerShape): Promise<Response> {
    const url = new URL(request.url);
    if (request.method === 'OPTIONS' && options.cors) return preflight(request, options.cors);
    const rejected = checkHostAndOrigin(request, hostCheck);
    if (rejected) return rejected;
    if (healthPath !== false && url.pathname === healthPath && request.method === 'GET') {
      const details = options.healthDetails
        ? { sessions: sessions?.size ?? 0, inFlight: blueprint.calls.inFlight }
        : {};
      return Response.json(
        { status: closing ? 'draining' : 'ok', ...details },
        { status: closing ? 503 : 200 },
      );
    }

    if (options.readiness && url.pathname === (options.readyPath ?? '/ready') && request.method === 'GET') {
      if (closing) return Response.json({ status: 'draining' }, { status: 503 });
      const report = await Promise.resolve()
        .then(() => options.readiness?.())
        .catch((error: unknown) => {
          onError(error instanceof Error ? error : new Error(String(error)));
          return undefined;
        });
      const { ready, body } = report ?? { ready: false, body: {} };
      return Response.json(
        { status: ready ? 'ready' : 'not-ready', ...body },
        { status: ready ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
      );
    }

    if (auth && url.pathname.startsWith('/.well-known/oauth-protected-resource')) {
      const resourceUrl = resourceUrlFor(url);
      const expected = new URL(metadataUrlFor(resourceUrl)).pathname;
      if (url.pathname === expected || url.pathname === '/.well-known/oauth-protected-resource') {
        return Response.json(protectedResourceMetadata(auth.options, resourceUrl), {
          headers: { 'Access-Control-Allow-Origin': '*' },
        });
      }
    }
    if (url.pathname !== path) return jsonRpcError(404, -32000, `Not found: the MCP endpoint is ${path}.`);
    if (closing) return jsonRpcError(503, -32000, 'The publisher is shutting down.');

    let authInfo: AuthInfo | undefined;
    const metadataUrl = auth ? metadataUrlFor(resourceUrlFor(url)) : '';
    if (auth) {
      const outcome = await authenticate(request, auth, metadataUrl, onError);
      if (outcome instanceof Response) return outcome;
      authInfo = outcome;
    }

    let parsedBody: unknown;
    if (request.method === 'POST') {
      const body =
        preRead === undefined
          ? await readRequestBody(request, maxBodyBytes)
          : { tooLarge: false as const, text: preRead };
      if (body.tooLarge) return jsonRpcError(413, -32000, `Request body exceeds ${maxBodyBytes} bytes.`);
      try {
        parsedBody = JSON.parse(body.text);
      } catch {
        return jsonRpcError(400, -32700, 'Parse error: the body is not valid JSON.');
      }
      if (Array.isArray(parsedBody)) {
        shape.batch = true;
        const refused = await refuseBatch(request, parsedBody, (sessionId) =>
          ownSessionVersion(sessionId, authInfo),
        );
        if (refused) return refused;
      }
      if (auth) {
        const denied = checkToolScopes(parsedBody, authInfo, metadataUrl);
        if (denied) return denied;
      }
    }

    const handlerOptions = {
      ...(authInfo ? { authInfo } : {}),
      ...(parsedBody === undefined ? {} : { parsedBody }),
    };
    const legacy =
      (request.method === 'POST' &&
        isPlainLegacyMessage(parsedBody, request.headers.get('mcp-protocol-version'))) ||
      (await isLegacyRequest(request, parsedBody, { maxRequestBodySize: maxBodyBytes }));
    if (!legacy) {
      if ((parsedBody as { method?: unknown } | undefined)?.method === 'subscriptions/listen') {
        subscriptions.add(request);
        // On a fleet, a stream is acknowledged once other instances' resource updates (and
        // visibility changes) reach this one.
        await Promise.all([updatesLink?.catch(() => undefined), rechecksLink?.catch(() => undefined)]);
        const principal = await sessionOwnerKey(authInfo);
        const uris = blueprint.resourceSubscriptions ? requestedResourceURIs(parsedBody) : [];
        const ended =
          uris.length > 0 ? await announceResourceSubscription(uris, authInfo, principal) : undefined;
        let response = withCallerListChanges(
          await modern.fetch(request, handlerOptions),
          authInfo,
          blueprint,
        );
        if (uris.length > 0) {
          response = withCallerResourceUpdates(response, principal, blueprint.resourceUpdates, () => {
            try {
              ended?.();
            } catch (error) {
              onError(error instanceof Error ? error : new Error(String(error)));
            }
          });
        }
        // Task status notifications (SEP-2663) go to the streams of the tasks' own principal.
        if (!wantsTaskStatus(parsedBody)) return response;
        // On a fleet, the stream is acknowledged once other instances' changes reach this one.
        await taskLink?.catch(() => undefined);
        return taskStreams.wrap(response, principal);
      }
      return modern.fetch(request, handlerOptions);
    }
    if (stateless) return stateless(request, handlerOptions);
    return (sessions as SessionManager).handle(request, parsedBody, authInfo);
  }

  /** Tells `onResourceSubscribe` of a stream naming resources; resolves with what ends it. */
  async function announceResourceSubscription(
    uris: string[],
    authInfo: AuthInfo | undefined,
    principal: string,
  ): Promise<(() => void) | undefined> {
    if (!blueprint.onResourceSubscribe) return undefined;
    try {
      const ended = await blueprint.onResourceSubscribe({ uris, authInfo, principal });
      return typeof ended === 'function' ? ended : undefined;
    } catch (error) {
      onError(error instanceof Error ? error : new Error(String(error)));
      return undefined;
    }
  }

  /** The protocol version the caller's own session asked for (never another principal's). */
  async function ownSessionVersion(sessionId: string, authInfo: AuthInfo | undefined) {
    try {
      const record = await guardedSessions.get(sessionId);
      if (!record || record.owner !== (await sessionOwnerKey(authInfo))) return undefined;
      const requested = record.initialize.protocolVersion;
      return typeof requested === 'string' ? requested : undefined;
    } catch {
      return undefined; // The session layer answers a store outage (503) itself.
    }
  }

  function checkToolScopes(
    body: unknown,
    authInfo: AuthInfo | undefined,
    metadataUrl: string,
  ): Response | undefined {
    const granted = new Set(authInfo?.scopes ?? []);
    const messages: unknown[] = Array.isArray(body) ? body : [body];
    for (const message of messages) {
      if (typeof message !== 'object' || message === null) continue;
      const { method, params } = message as { method?: unknown; params?: { name?: unknown } };
      if (method !== 'tools/call' || typeof params?.name !== 'string') continue;
      const tool = blueprint.catalogue.tool(params.name);
      const missing = tool?.scopes.filter((scope) => !granted.has(scope)) ?? [];
      if (tool && missing.length > 0) return insufficientScopeResponse(tool.name, tool.scopes, metadataUrl);
    }
    return undefined;
  }

  async function serve(request: Request, body: string | undefined): Promise<Response> {
    let response: Response;
    // A POST's tool calls find their response stream through the request (backpressure).
    const exchange =
      request.method === 'POST' ? new ResponseExchange(exchanges.start().finish, request.signal) : undefined;
    if (exchange) attachChannel(request, exchange);
    const shape: AnswerShape = { batch: false };
    try {
      response = await route(request, body, shape);
    } catch (error) {
      onError(error instanceof Error ? error : new Error(String(error)));
      response = jsonRpcError(500, -32603, 'Internal error');
    }
    response = withHeaders(response, corsHeaders(request, options.cors));
    if (!exchange) return response;
    if (subscriptions.has(request)) {
      // A subscription stream answers nothing: it stays a stream, and shutdown does not wait for it.
      exchange.release();
      return exchange.wrap(response, maxBufferedBytes);
    }
    return exchange.wrap(response, maxBufferedBytes, { batch: shape.batch, holdMs: ANSWER_HOLD_MS });
  }

  return {
    get sessionCount() {
      return sessions?.size ?? 0;
    },
    async fetch(request) {
      // Nobody here writes the body itself: the runtime delivers it as it is.
      return withPlainBody(await serve(request, undefined));
    },
    serve,
    async close(drainMs) {
      closing = true;
      stopFollowing();
      stopUpdates();
      await Promise.all([exchanges.drain(drainMs), blueprint.calls.drain(drainMs)]);
      await Promise.allSettled([sessions?.closeAll(), modern.close()]);
      taskStreams.close();
      await taskLink?.then((stop) => stop()).catch(() => {});
      await updatesLink?.then((stop) => stop()).catch(() => {});
      await rechecksLink?.then((stop) => stop()).catch(() => {});
      await store.close?.();
    },
  };
}
