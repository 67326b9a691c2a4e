/**
 * OpenTelemetry for a registry (`@toolwire/core/otel`, needs the optional peer
 * `@opentelemetry/api`): a client span per tool call, connect and listing request, W3C trace context sent to
 * servers (HTTP headers and, per MCP SEP-414, the request's `_meta`), and metrics for call
 * duration and errors. With no SDK registered the API's no-op tracer and meter make it free.
 * Spans never carry error messages or arguments, only codes and names: nothing to redact.
 */

import type { FetchLike } from '@modelcontextprotocol/client';
import {
  type Attributes,
  context as activeContext,
  type MeterProvider,
  metrics,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { ToolwireError } from '../errors/toolwire-error.js';
import type { ToolCallInterceptor } from '../interceptors/interceptor-types.js';
import type { Registry } from '../registry/registry.js';
import type { ServerInfo } from '../registry/registry-types.js';
import { TOOLWIRE_VERSION } from '../version.js';
import type { RegistryTelemetry } from './registry-telemetry.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_MCP_METHOD_NAME,
  ATTR_MCP_PROTOCOL_VERSION,
  ATTR_NETWORK_TRANSPORT,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_TOOLWIRE_OAUTH_GRANT_TYPE,
  ATTR_TOOLWIRE_SERVER_NAME,
  ATTR_TOOLWIRE_TOOL_NAME,
  DURATION_BUCKETS,
  METRIC_CLIENT_OPERATION_DURATION,
  METRIC_CLIENT_TOOL_ERRORS,
  TOOL_ERROR_TYPE,
} from './semantic-conventions.js';

/** Options of {@link createOpenTelemetry}. */
export interface OpenTelemetryOptions {
  /** Default: the global provider (`trace.getTracerProvider()`). */
  tracerProvider?: TracerProvider | undefined;
  /** Default: the global provider (`metrics.getMeterProvider()`). */
  meterProvider?: MeterProvider | undefined;
  /**
   * Send the current trace context to servers with the global propagator (`traceparent` and
   * `tracestate` as HTTP headers, and in `params._meta` on every transport). Default `true`.
   */
  propagate?: boolean | undefined;
}

const SCOPE = '@toolwire/core';

/**
 * OpenTelemetry spans and metrics for a registry: pass the result as `createRegistry({ telemetry })`.
 *
 * @example
 * ```ts
 * import { createRegistry } from '@toolwire/core';
 * import { createOpenTelemetry } from '@toolwire/core/otel';
 *
 * const registry = await createRegistry({ servers, telemetry: createOpenTelemetry() });
 * ```
 */
export function createOpenTelemetry(options: OpenTelemetryOptions = {}): RegistryTelemetry {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE, TOOLWIRE_VERSION);
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE, TOOLWIRE_VERSION);
  const duration = meter.createHistogram(METRIC_CLIENT_OPERATION_DURATION, {
    unit: 's',
    description: 'Duration of MCP requests as the client sees them (tool calls)',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  const errors = meter.createCounter(METRIC_CLIENT_TOOL_ERRORS, {
    description: 'Tool calls that failed, by error.type (a ToolwireError code, or tool_error)',
  });
  const propagate = options.propagate !== false;
  let registry: Registry | undefined;

  const interceptor: ToolCallInterceptor = async (call, next) => {
    const common: Attributes = {
      [ATTR_MCP_METHOD_NAME]: 'tools/call',
      [ATTR_GEN_AI_TOOL_NAME]: call.serverToolName,
      [ATTR_TOOLWIRE_SERVER_NAME]: call.server,
    };
    const span = tracer.startSpan(`tools/call ${call.serverToolName}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        ...common,
        [ATTR_GEN_AI_OPERATION_NAME]: 'execute_tool',
        [ATTR_TOOLWIRE_TOOL_NAME]: call.tool,
        ...serverAttributes(registry?.server(call.server)),
      },
    });
    const spanContext = trace.setSpan(activeContext.active(), span);
    const started = performance.now();
    let errorType: string | undefined;
    try {
      const carrier: Record<string, string> = {};
      if (propagate) propagation.inject(spanContext, carrier);
      const changes = Object.keys(carrier).length > 0 ? { headers: carrier, meta: carrier } : undefined;
      const result = await activeContext.with(spanContext, () => next(changes));
      if (result.isError) errorType = TOOL_ERROR_TYPE;
      return result;
    } catch (error) {
      errorType = ToolwireError.isInstance(error) ? error.code : '_OTHER';
      throw error;
    } finally {
      const version = registry?.server(call.server)?.protocolVersion;
      if (version !== undefined) span.setAttribute(ATTR_MCP_PROTOCOL_VERSION, version);
      const outcome = errorType === undefined ? common : { ...common, [ATTR_ERROR_TYPE]: errorType };
      if (errorType !== undefined) {
        span.setAttribute(ATTR_ERROR_TYPE, errorType);
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
        errors.add(1, outcome);
      }
      span.end();
      duration.record((performance.now() - started) / 1000, outcome);
    }
  };

  return {
    interceptor,
    wrapAuthFetch: (fetch) => tracedTokenRequests(fetch, tracer),
    traceList: (method, server, run) => tracedList(tracer, method, server, run),
    observe(observed) {
      registry = observed;
      observeConnects(observed, tracer);
    },
  };
}

/**
 * A span per connect (`initialize`, with the tool listing that follows it), from the registry's
 * `server:status` events: `loading` opens it, `active` or `failed` ends it.
 */
function observeConnects(registry: Registry, tracer: Tracer): void {
  const open = new Map<string, Span>();
  registry.on('server:status', (event) => {
    if (event.status === 'loading') {
      open.get(event.server)?.end();
      open.set(
        event.server,
        tracer.startSpan(`initialize ${event.server}`, {
          kind: SpanKind.CLIENT,
          attributes: {
            [ATTR_MCP_METHOD_NAME]: 'initialize',
            [ATTR_TOOLWIRE_SERVER_NAME]: event.server,
            ...serverAttributes(registry.server(event.server)),
          },
        }),
      );
      return;
    }
    const span = open.get(event.server);
    if (!span) return;
    open.delete(event.server);
    const version = registry.server(event.server)?.protocolVersion;
    if (version !== undefined) span.setAttribute(ATTR_MCP_PROTOCOL_VERSION, version);
    if (event.status === 'failed') {
      const errorType = event.error?.code ?? '_OTHER';
      span.setAttribute(ATTR_ERROR_TYPE, errorType);
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
    }
    span.end();
  });
}

/** A span per listing request (`tools/list`, `prompts/list`) a connection makes. */
async function tracedList<T>(
  tracer: Tracer,
  method: string,
  server: string,
  run: () => Promise<T>,
): Promise<T> {
  const span = tracer.startSpan(`${method} ${server}`, {
    kind: SpanKind.CLIENT,
    attributes: { [ATTR_MCP_METHOD_NAME]: method, [ATTR_TOOLWIRE_SERVER_NAME]: server },
  });
  try {
    return await run();
  } catch (error) {
    markError(span, ToolwireError.isInstance(error) ? error.code : '_OTHER');
    throw error;
  } finally {
    span.end();
  }
}

/**
 * A span per token request (a POST with a `grant_type`: client credentials, refresh, JWT bearer,
 * token exchange); discovery and other requests pass untouched. No trace context is sent to the
 * authorization server.
 */
function tracedTokenRequests(fetch: FetchLike, tracer: Tracer): FetchLike {
  return async (url, init) => {
    const grantType = grantTypeOf(init?.body);
    if (grantType === undefined) return fetch(url, init);
    const target = new URL(String(url instanceof URL ? url.href : url));
    const span = tracer.startSpan(`token ${grantType}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR_TOOLWIRE_OAUTH_GRANT_TYPE]: grantType,
        [ATTR_HTTP_REQUEST_METHOD]: init?.method ?? 'POST',
        [ATTR_SERVER_ADDRESS]: target.hostname,
        [ATTR_SERVER_PORT]: portOf(target),
      },
    });
    try {
      const response = await fetch(url, init);
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.status);
      if (response.status >= 400) markError(span, String(response.status));
      return response;
    } catch (error) {
      markError(span, error instanceof Error && error.name !== 'Error' ? error.name : '_OTHER');
      throw error;
    } finally {
      span.end();
    }
  };
}

function grantTypeOf(body: unknown): string | undefined {
  if (body instanceof URLSearchParams) return body.get('grant_type') ?? undefined;
  if (typeof body === 'string' && body.includes('grant_type=')) {
    return new URLSearchParams(body).get('grant_type') ?? undefined;
  }
  return undefined;
}

function markError(span: Span, errorType: string): void {
  span.setAttribute(ATTR_ERROR_TYPE, errorType);
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
}

function portOf(url: URL): number {
  return url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
}

function serverAttributes(server: ServerInfo | undefined): Attributes {
  if (!server) return {};
  if (server.transport === 'stdio') return { [ATTR_NETWORK_TRANSPORT]: 'pipe' };
  if (server.url === undefined) return { [ATTR_NETWORK_TRANSPORT]: 'tcp' };
  const url = new URL(server.url);
  return {
    [ATTR_NETWORK_TRANSPORT]: 'tcp',
    [ATTR_SERVER_ADDRESS]: url.hostname,
    [ATTR_SERVER_PORT]: portOf(url),
  };
}
