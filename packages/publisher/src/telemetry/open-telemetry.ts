/**
 * OpenTelemetry for the publisher (`@toolwire/publisher/otel`, optional peer
 * `@opentelemetry/api`): the caller's trace context is taken from the request's `_meta` (MCP
 * SEP-414, every transport) or else its `traceparent`/`tracestate` headers, and each tool runs
 * inside a server span `tools/call <tool>` that continues it, so the tool's own spans join the
 * caller's trace. Error messages never go on spans: only `error.type`.
 */
import {
  context as activeContext,
  propagation,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import type { PublishedCall, PublisherTelemetry } from './publisher-telemetry.js';

/** Options of {@link createPublisherOpenTelemetry}. */
export interface PublisherOpenTelemetryOptions {
  /** Default: the global provider (`trace.getTracerProvider()`). */
  tracerProvider?: TracerProvider | undefined;
}

/** The W3C trace-context and baggage headers (the only ones a propagator reads from HTTP). */
const TRACE_HEADERS = ['traceparent', 'tracestate', 'baggage'];

const carrierGetter: TextMapGetter<PublishedCall> = {
  keys: (call) => [
    ...new Set([
      ...Object.keys(call.meta ?? {}),
      ...TRACE_HEADERS.filter((name) => call.headers?.has(name) === true),
    ]),
  ],
  get: (call, key) => {
    const fromMeta = call.meta?.[key];
    if (typeof fromMeta === 'string') return fromMeta;
    return call.headers?.get(key) ?? undefined;
  },
};

/**
 * OpenTelemetry spans for a publisher's tool calls: pass the result as `createPublisher({ telemetry })`.
 * Register a propagator (the OpenTelemetry Node SDK registers W3C trace context by default) so
 * incoming context is read.
 *
 * @example
 * ```ts
 * import { createPublisher } from '@toolwire/publisher';
 * import { createPublisherOpenTelemetry } from '@toolwire/publisher/otel';
 *
 * const publisher = createPublisher({ name: 'tools', version: '1.0.0', tools, telemetry: createPublisherOpenTelemetry() });
 * ```
 */
export function createPublisherOpenTelemetry(
  options: PublisherOpenTelemetryOptions = {},
): PublisherTelemetry {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer('@toolwire/publisher');
  return {
    async runTool(call, run) {
      const parent = propagation.extract(activeContext.active(), call, carrierGetter);
      const span = tracer.startSpan(
        `tools/call ${call.tool}`,
        {
          kind: SpanKind.SERVER,
          attributes: {
            'mcp.method.name': 'tools/call',
            'gen_ai.operation.name': 'execute_tool',
            'gen_ai.tool.name': call.tool,
            'network.transport': call.headers === undefined ? 'pipe' : 'tcp',
          },
        },
        parent,
      );
      try {
        const result = await activeContext.with(trace.setSpan(parent, span), run);
        if (isErrorResult(result)) markError(span, 'tool_error');
        return result;
      } catch (error) {
        markError(span, errorType(error));
        throw error;
      } finally {
        span.end();
      }
    },
  };
}

function markError(
  span: ReturnType<ReturnType<TracerProvider['getTracer']>['startSpan']>,
  type: string,
): void {
  span.setAttribute('error.type', type);
  span.setStatus({ code: SpanStatusCode.ERROR, message: type });
}

function isErrorResult(result: unknown): boolean {
  return typeof result === 'object' && result !== null && (result as { isError?: unknown }).isError === true;
}

function errorType(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error && error.name !== 'Error' ? error.name : '_OTHER';
}
