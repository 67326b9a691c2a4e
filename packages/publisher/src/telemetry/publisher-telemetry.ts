/**
 * The seam between the publisher and a telemetry implementation (OpenTelemetry lives behind the
 * `@toolwire/publisher/otel` subpath, so the root entry never loads `@opentelemetry/api`): one
 * wrapper around every tool run, told what the request carried.
 */

/** What a telemetry wrapper learns about one `tools/call`. */
export interface PublishedCall {
  /** The published tool name. */
  tool: string;
  /** The request's `params._meta` (W3C trace context under `traceparent`/`tracestate`, MCP SEP-414). */
  meta: Readonly<Record<string, unknown>> | undefined;
  /** The HTTP request's headers; `undefined` on stdio. */
  headers: Headers | undefined;
}

/** What `createPublisher({ telemetry })` takes; `createPublisherOpenTelemetry()` builds one. */
export interface PublisherTelemetry {
  /** Runs one tool call (`run`) inside the caller's trace; resolves or rejects as `run` does. */
  runTool<T>(call: PublishedCall, run: () => Promise<T>): Promise<T>;
}
