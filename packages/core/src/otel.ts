/**
 * @toolwire/core/otel: OpenTelemetry spans, trace-context propagation and metrics for a
 * registry. Needs the optional peer dependency `@opentelemetry/api`; the root entry never loads it.
 */
export { createOpenTelemetry, type OpenTelemetryOptions } from './telemetry/open-telemetry.js';
